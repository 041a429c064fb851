import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { AlertMatch } from '../../src/alerts/alert-match.js';
import { DEFAULT_FLOOD_POLICY } from '../../src/alerts/flood-policy.js';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import type { RuleMeta } from '../../src/rules/rule-meta.js';
import { cliPath } from '../helpers/agent-process.js';
import { sampleMatch, SEED_RULE } from './sample-match.js';
import { tempDir } from './temp-dir.js';

const tmp = tempDir('retention');
after(tmp.cleanup);
let n = 0;
const dbPath = (): string => join(tmp.dir, `r${n++}`, 'alerts.db');

const CURL_SH: RuleMeta = { ...SEED_RULE, id: 'f0f0f0f0-curl-pipe-shell', name: 'Curl piped to a shell' };

/** A match of CURL_SH raised by `uid`'s process number `i` (what `bash -c ': curl x | sh'` in a loop gives). */
function floodMatch(i: number, uid: string, timeMs: number): AlertMatch {
  const m = sampleMatch(100_000 + i, timeMs, CURL_SH);
  const events = m.events.map((e) => (e === null ? null : { ...e, user: { id: uid, name: uid === '65534' ? 'nobody' : 'dev' } }));
  return { ...m, events };
}

test('issue 19 #4: `vigil alerts ack` and `close` never prune, whatever the agent keeps (retention_days = 0 keeps 2020)', () => {
  const path = dbPath();
  const store = SqliteAlertStore.open(path);
  const old = [1, 2, 3].map((i) => store.insert(sampleMatch(i, Date.UTC(2020, 0, 1) + i)).id);
  store.close();
  for (const sub of ['ack', 'close']) {
    const r = spawnSync(process.execPath, [cliPath, 'alerts', sub, String(old[0]), '--db', path], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const after = SqliteAlertStore.open(path, { readonly: true });
  assert.deepEqual(after.list({ order: 'asc' }).map((a) => a.id), old, 'the 2020 alerts are all still there');
  assert.equal(after.get(old[0]!)!.state, 'closed');
  after.close();
});

test('issue 19 #3: retention by count deletes acknowledged and closed alerts before any open one', () => {
  const now = Date.UTC(2026, 10, 28);
  const store = SqliteAlertStore.open(dbPath(), { retention: { maxAgeDays: 0, maxCount: 3 }, pruneEvery: 0, now: () => now });
  const ids = [1, 2, 3, 4, 5].map((i) => store.insert(sampleMatch(i, now - 10_000 + i)).id);
  store.setState([ids[3]!], 'acknowledged');
  store.setState([ids[4]!], 'closed');
  assert.equal(store.prune(), 2);
  assert.deepEqual(store.list({ order: 'asc' }).map((a) => a.id), ids.slice(0, 3), 'the three open alerts stay, oldest included');
  // Past that, open alerts go oldest first.
  store.insert(sampleMatch(6, now));
  assert.equal(store.prune(), 1);
  assert.deepEqual(store.list({ order: 'asc' }).map((a) => a.id)[0], ids[1]);
  store.close();
});

test('issue 19 #3: 6,700 alerts of one rule from `nobody` in 20 s do not push out a real alert of another rule (retention_max_alerts = 5000)', () => {
  const t0 = Date.UTC(2026, 10, 28, 8, 0, 5);
  let clock = t0;
  const store = SqliteAlertStore.open(dbPath(), {
    retention: { maxAgeDays: 90, maxCount: 5000 },
    flood: DEFAULT_FLOOD_POLICY,
    now: () => clock,
  });
  const real = store.insert(sampleMatch(1, t0 - 1000));
  assert.equal(real.inserted, true);
  // The flood: 6,700 matches over 20 s, stored in per-tick batches as the agent does.
  const total = 6700;
  for (let i = 0; i < total; i += 50) {
    clock = t0 + Math.floor((i / total) * 20_000);
    store.insertMany(Array.from({ length: Math.min(50, total - i) }, (_, k) => floodMatch(i + k, '65534', clock)));
  }
  assert.ok(store.get(real.id) !== null, 'the real alert survived the flood');
  const flood = store.list({ rule: CURL_SH.id, limit: 100_000 });
  const folded = flood.reduce((a, b) => a + b.aggregateCount, 0);
  assert.equal(folded, total, 'every flood match is counted: stored alone or in an aggregate row');
  assert.ok(flood.length <= 2 * (DEFAULT_FLOOD_POLICY.perInterval + 1), `${flood.length} rows for the flood`);
  const aggregates = flood.filter((a) => a.aggregateCount > 1);
  assert.ok(aggregates.length >= 1);
  for (const a of aggregates) {
    assert.ok(a.events.length > 0 && a.events.length <= 2 * DEFAULT_FLOOD_POLICY.samples, 'sample events kept, bounded');
    assert.equal(a.state, 'open');
  }
  assert.equal(store.stats().aggregated, total - flood.length);
  // Another user's alert of the flooding rule is not folded into nobody's aggregate.
  const other = store.insert(floodMatch(999_999, '1000', clock));
  assert.equal(other.inserted, true);
  assert.equal(store.get(other.id)!.aggregateCount, 1);
  store.close();
});
