import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/alerts/migrations.js';
import { sampleMatch, SEED_RULE } from './sample-match.js';
import { tempDir } from './temp-dir.js';

const tmp = tempDir('store');
after(tmp.cleanup);
let n = 0;
const dbPath = (): string => join(tmp.dir, `a${n++}`, 'alerts.db');

test('a new database is created 0600 whatever the umask, and so are its -wal and -shm files', () => {
  const old = process.umask(0);
  try {
    const path = dbPath();
    const store = SqliteAlertStore.open(path);
    store.insert(sampleMatch(1));
    for (const f of [path, path + '-wal', path + '-shm']) assert.equal(statSync(f).mode & 0o777, 0o600, f);
    assert.equal(statSync(join(path, '..')).mode & 0o777, 0o700);
    assert.equal(store.database.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(store.database.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    store.close();
  } finally {
    process.umask(old);
  }
});

test('an alert round-trips with rule, host, collector, join keys, state, lost count and events in full', () => {
  const store = SqliteAlertStore.open(dbPath(), { now: () => Date.UTC(2026, 10, 28, 9) });
  const match = { ...sampleMatch(7), events: [sampleMatch(7).events[0]!, null], lostEvents: 3 };
  const { id, inserted, alert } = store.insert(match);
  assert.equal(inserted, true);
  assert.ok(id > 0);
  const got = store.get(id)!;
  assert.deepEqual(got, alert);
  assert.equal(got.rule.name, SEED_RULE.name);
  assert.equal(got.rule.riskScore, 47);
  assert.deepEqual(got.rule.tags, SEED_RULE.tags);
  assert.deepEqual(got.rule.threat, SEED_RULE.threat);
  assert.deepEqual(got.host, match.host);
  assert.equal(got.collector, 'ebpf');
  assert.deepEqual(got.joinKeys, match.joinKeys);
  assert.equal(got.state, 'open');
  assert.equal(got.lostEvents, 3);
  assert.deepEqual(got.events, match.events);
  assert.equal(got.time, new Date(match.timeMs).toISOString());
  assert.equal(got.createdAt, '2026-11-28T09:00:00.000Z');
  assert.equal(store.get(id + 1000), null);
  store.close();
});

test('identical matches are stored once; a different event or rule is a new alert', () => {
  const store = SqliteAlertStore.open(dbPath());
  const a = store.insert(sampleMatch(1));
  const again = store.insert({ ...sampleMatch(1), timeMs: sampleMatch(1).timeMs + 999, lostEvents: 5 });
  assert.equal(again.inserted, false);
  assert.equal(again.id, a.id);
  assert.equal(store.insert(sampleMatch(2)).inserted, true);
  assert.equal(store.insert(sampleMatch(1, undefined, { ...SEED_RULE, id: 'other-rule' })).inserted, true);
  const batch = store.insertMany([sampleMatch(3), sampleMatch(3), sampleMatch(1)]);
  assert.deepEqual(batch.map((r) => r.inserted), [true, false, false]);
  assert.equal(store.count(), 4);
  assert.deepEqual(store.stats(), { inserted: 4, duplicates: 3, aggregated: 0, pruned: 0, pruneFailures: 0, failed: 0 });
  store.close();
});

test('list filters by since, rule, severity and state; ack and close change states', () => {
  const store = SqliteAlertStore.open(dbPath());
  const base = Date.UTC(2026, 10, 1);
  const high = { ...SEED_RULE, id: 'r-high', name: 'Shell Spawned By Web Server', severity: 'high' };
  const ids = [
    store.insert(sampleMatch(1, base)).id,
    store.insert(sampleMatch(2, base + 60_000, high)).id,
    store.insert(sampleMatch(3, base + 120_000)).id,
  ];
  assert.deepEqual(store.list().map((a) => a.id), [...ids].reverse());
  assert.deepEqual(store.list({ order: 'asc', limit: 2 }).map((a) => a.id), ids.slice(0, 2));
  assert.deepEqual(store.list({ sinceMs: base + 60_000 }).map((a) => a.id), [ids[2], ids[1]]);
  assert.deepEqual(store.list({ rule: 'web server' }).map((a) => a.id), [ids[1]]);
  assert.deepEqual(store.list({ rule: 'r-high' }).map((a) => a.id), [ids[1]]);
  assert.deepEqual(store.list({ severity: 'HIGH' }).map((a) => a.id), [ids[1]]);
  assert.deepEqual(store.setState([ids[0]!, 9999], 'acknowledged'), [ids[0]]);
  assert.deepEqual(store.setState([ids[2]!], 'closed'), [ids[2]]);
  assert.deepEqual(store.list({ state: 'open' }).map((a) => a.id), [ids[1]]);
  assert.equal(store.get(ids[0]!)!.state, 'acknowledged');
  assert.ok(store.get(ids[0]!)!.stateChangedAt !== null);
  assert.deepEqual(store.list({ afterId: ids[1] }).map((a) => a.id), [ids[2]]);
  store.close();
});

test('retention deletes by age and by count, oldest first, and ids are never reused', () => {
  const now = Date.UTC(2026, 10, 28);
  const store = SqliteAlertStore.open(dbPath(), { retention: { maxAgeDays: 7, maxCount: 3 }, pruneEvery: 0, now: () => now });
  store.insert(sampleMatch(1, now - 8 * 86_400_000));
  const kept = [2, 3, 4, 5].map((i) => store.insert(sampleMatch(i, now - i * 1000)).id);
  assert.equal(store.count(), 5);
  assert.equal(store.prune(), 2);
  assert.deepEqual(store.list({ order: 'asc' }).map((a) => a.id), kept.slice(1));
  const next = store.insert(sampleMatch(6, now)).id;
  assert.ok(next > kept[3]!);
  assert.equal(store.stats().pruned, 2);
  store.close();
  // Automatic pruning every N inserts.
  const auto = SqliteAlertStore.open(dbPath(), { retention: { maxAgeDays: 0, maxCount: 2 }, pruneEvery: 2 });
  for (let i = 0; i < 5; i++) auto.insert(sampleMatch(i));
  assert.ok(auto.count() <= 3);
  auto.close();
});

test('a version 1 database is migrated to the current schema, keeping its alerts', () => {
  const path = dbPath();
  const store0 = SqliteAlertStore.open(path);
  store0.close();
  // Build a genuine version-1 file: only the first migration, then a row written as version 1 wrote it.
  const v1Path = path + '.v1';
  const db = new Database(v1Path);
  migrate(db, 1);
  assert.equal(db.pragma('user_version', { simple: true }), 1);
  const m = sampleMatch(1);
  db.prepare(`INSERT INTO alerts (uuid, dedup_key, time_ms, created_ms, rule_id, rule_name, rule_severity, rule_risk_score, rule_tags,
    rule_threat, host_name, host_id, host_os, collector, join_keys, events, lost_events)
    VALUES ('u1', 'k1', ?, ?, ?, ?, 'medium', 47, '[]', '[]', 'h', 'hid', 'linux', 'procfs', '[]', ?, 2)`)
    .run(m.timeMs, m.timeMs, m.rule.id, m.rule.name, JSON.stringify(m.events));
  db.close();
  const store = SqliteAlertStore.open(v1Path);
  assert.equal(store.database.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  const [old] = store.list();
  assert.equal(old!.rule.name, m.rule.name);
  assert.equal(old!.stateChangedAt, null);
  assert.equal(old!.lostEvents, 2);
  store.setState([old!.id], 'closed');
  assert.ok(store.get(old!.id)!.stateChangedAt !== null);
  const view = store.database.prepare('SELECT alert_id, position, json_extract(event, \'$.process.name\') AS name FROM alert_events').all();
  assert.deepEqual(view, [{ alert_id: old!.id, position: 0, name: 'python3' }, { alert_id: old!.id, position: 1, name: 'python3' }]);
  assert.equal(MIGRATIONS.length, SCHEMA_VERSION);
  store.close();
});

test('a database newer than this code is refused, not downgraded', () => {
  const path = dbPath();
  SqliteAlertStore.open(path).close();
  const db = new Database(path);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(() => SqliteAlertStore.open(path), { code: 'ALERTS_SCHEMA_TOO_NEW' });
  assert.throws(() => SqliteAlertStore.open(path, { readonly: true }), { code: 'ALERTS_SCHEMA_TOO_NEW' });
});

test('a reader holding a read transaction never blocks inserts (WAL)', () => {
  const path = dbPath();
  const store = SqliteAlertStore.open(path, { busyTimeoutMs: 5000 });
  store.insert(sampleMatch(0));
  const reader = new Database(path, { readonly: true });
  reader.exec('BEGIN');
  assert.equal((reader.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n, 1);
  let slowest = 0;
  for (let i = 1; i <= 200; i++) {
    const t = performance.now();
    store.insert(sampleMatch(i));
    slowest = Math.max(slowest, performance.now() - t);
  }
  // The reader's snapshot is unchanged while the writer committed 200 alerts, none waiting on the reader.
  assert.equal((reader.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n, 1);
  assert.ok(slowest < 1000, `slowest insert ${slowest.toFixed(1)} ms`);
  reader.exec('COMMIT');
  assert.equal((reader.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n, 201);
  reader.close();
  store.close();
});

test('a read-only store lists but refuses to insert', () => {
  const path = dbPath();
  const w = SqliteAlertStore.open(path);
  w.insert(sampleMatch(1));
  const r = SqliteAlertStore.open(path, { readonly: true });
  assert.equal(r.list().length, 1);
  assert.throws(() => r.insert(sampleMatch(2)), /read-only/);
  assert.throws(() => r.setState([1], 'closed'), /readonly|read-only/i);
  r.close();
  w.close();
  assert.throws(() => SqliteAlertStore.open(join(tmp.dir, 'none.db'), { readonly: true }), { code: 'ALERTS_DB_MISSING' });
});
