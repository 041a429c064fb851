import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertMatch } from '../../src/alerts/alert-match.js';
import { dedupKey } from '../../src/alerts/dedup-key.js';
import { HEALTH_RULE_PREFIX, HealthAlerts } from '../../src/agent/health-alert.js';

const host = { name: 'h', id: 'hid', os: 'linux' };

test('health alerts: one per (check, subject) per interval, each a distinct alert with its figures', () => {
  const emitted: AlertMatch[] = [];
  const h = new HealthAlerts({ intervalMs: 60_000, emit: (m) => emitted.push(m), host, collector: () => 'ebpf' });
  const cond = (n: number) => ({ check: 'sequence-eviction', subject: 'rule-a', message: `detection degraded: rule A evicted ${n} partial sequences`, details: { evicted: n } });
  assert.equal(h.raise(cond(5), 1000), true);
  assert.equal(h.raise(cond(7), 2000), false, 'inside the interval');
  assert.equal(h.raise({ ...cond(1), subject: 'rule-b' }, 2000), true, 'another subject has its own interval');
  assert.equal(h.due('sequence-eviction', 'rule-a', 60_999), false);
  assert.equal(h.raise(cond(9), 61_000), true);
  assert.deepEqual(h.stats(), { raised: 3, suppressed: 1 });
  assert.equal(emitted.length, 3);
  const first = emitted[0]!;
  assert.equal(first.rule.id, HEALTH_RULE_PREFIX + 'sequence-eviction');
  assert.equal(first.rule.name, 'detection degraded: rule A evicted 5 partial sequences');
  assert.equal(first.collector, 'ebpf');
  assert.equal(first.timeMs, 1000);
  assert.deepEqual((first.events[0] as any).vigil.health, { check: 'sequence-eviction', subject: 'rule-a', evicted: 5 });
  assert.notEqual(dedupKey(first), dedupKey(emitted[2]!), 'two raises of one condition are two alerts, not duplicates');
});
