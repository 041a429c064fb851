import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NdjsonAlertLog } from '../../src/alerts/ndjson-alert-log.js';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import { sampleMatch, SEED_RULE } from './sample-match.js';
import { tempDir } from './temp-dir.js';

const tmp = tempDir('ndjson');
after(tmp.cleanup);

test('the NDJSON alert log appends one ECS alert document per line, in a 0600 file', () => {
  const old = process.umask(0);
  const store = SqliteAlertStore.open(join(tmp.dir, 'a.db'));
  const path = join(tmp.dir, 'out', 'alerts.ndjson');
  try {
    const log = new NdjsonAlertLog(path, { agentVersion: '0.1.0' });
    for (let i = 0; i < 3; i++) log.append(store.insert({ ...sampleMatch(i), lostEvents: i }).alert);
    log.close();
  } finally {
    process.umask(old);
    store.close();
  }
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const docs = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  assert.equal(docs.length, 3);
  const d = docs[2]!;
  assert.equal(d.event.kind, 'alert');
  assert.equal(d.event.dataset, 'vigil.alerts');
  assert.equal(d.event.severity, 47);
  assert.equal(d.event.risk_score, 47);
  assert.equal(d.rule.name, SEED_RULE.name);
  assert.equal(d.rule.description, SEED_RULE.description);
  assert.deepEqual(d.tags, SEED_RULE.tags);
  assert.deepEqual(d.threat, SEED_RULE.threat);
  assert.equal(d.agent.version, '0.1.0');
  assert.equal(d.vigil.alert.lost_events, 2);
  assert.equal(d.vigil.alert.collector, 'ebpf');
  assert.equal(d.vigil.alert.events[0].process.parent.name, 'ollama');
  assert.ok(!Number.isNaN(Date.parse(d['@timestamp'])));
});

test('the NDJSON alert log rotates to .1 past maxBytes and keeps appending', () => {
  const store = SqliteAlertStore.open(join(tmp.dir, 'b.db'));
  const path = join(tmp.dir, 'rot.ndjson');
  const log = new NdjsonAlertLog(path, { maxBytes: 10_000, fsync: 'never' });
  for (let i = 0; i < 12; i++) log.append(store.insert(sampleMatch(i)).alert);
  log.close();
  store.close();
  const stats = log.stats();
  assert.equal(stats.written, 12);
  assert.ok(stats.rotations >= 1);
  const lines = (p: string): number => readFileSync(p, 'utf8').trimEnd().split('\n').length;
  assert.ok(statSync(path).size <= 10_000);
  assert.ok(lines(path) + lines(path + '.1') <= 12 && lines(path) >= 1);
});
