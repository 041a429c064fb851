import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import { sampleMatch, SEED_RULE } from './sample-match.js';
import { tempDir } from './temp-dir.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const tmp = tempDir('cli');
after(tmp.cleanup);
const db = join(tmp.dir, 'alerts.db');
let ids: number[] = [];

function vigil(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, COLUMNS: '100' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every row of every table, to prove a refused statement changed nothing. */
function dump(): string {
  const d = new Database(db, { readonly: true });
  const rows = d.prepare('SELECT * FROM alerts ORDER BY id').all();
  const schema = d.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
  d.close();
  return JSON.stringify({ rows, schema });
}

before(() => {
  const store = SqliteAlertStore.open(db);
  const now = Date.now();
  const high = { ...SEED_RULE, id: 'r-high', name: 'Shell Spawned By Web Server', severity: 'high' };
  ids = [
    store.insert(sampleMatch(1, now - 3 * 86_400_000)).id,
    store.insert(sampleMatch(2, now - 60_000, high)).id,
    store.insert(sampleMatch(3, now - 1000)).id,
  ];
  store.close();
});

test('alerts list --format json prints one JSON array, newest first, and filters', () => {
  const all = vigil('alerts', 'list', '--db', db, '--format', 'json');
  assert.equal(all.status, 0, all.stderr);
  const list = JSON.parse(all.stdout) as Array<{ id: number; rule: { name: string }; events: unknown[] }>;
  assert.deepEqual(list.map((a) => a.id), [...ids].reverse());
  assert.equal(list[0]!.events.length, 2);
  const since = JSON.parse(vigil('alerts', 'list', '--db', db, '--format', 'json', '--since', '1d').stdout) as Array<{ id: number }>;
  assert.deepEqual(since.map((a) => a.id), [ids[2], ids[1]]);
  const sev = JSON.parse(vigil('alerts', 'list', '--db', db, '--format', 'json', '--severity', 'high').stdout) as Array<{ id: number }>;
  assert.deepEqual(sev.map((a) => a.id), [ids[1]]);
  const rule = JSON.parse(vigil('alerts', 'list', '--db', db, '--format', 'json', '--rule', 'GenAI').stdout) as Array<{ id: number }>;
  assert.deepEqual(rule.map((a) => a.id), [ids[2], ids[0]]);
  const bad = vigil('alerts', 'list', '--db', db, '--state', 'bogus');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /'--state <s>' argument 'bogus' is invalid\. Allowed choices are open, acknowledged, closed/);
});

test('alerts list (table) fits the terminal width', () => {
  const r = vigil('alerts', 'list', '--db', db);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /^ID\s+TIME \(UTC\)\s+SEVERITY\s+STATE\s+RULE/);
  for (const l of lines) assert.ok(l.length <= 100, `${l.length} > 100: ${l}`);
  assert.match(r.stdout, /Shell Spawned By Web/);
});

test('alerts show, ack and close; unknown ids are reported with exit 1', () => {
  const show = vigil('alerts', 'show', String(ids[1]), '--db', db);
  assert.equal(show.status, 0, show.stderr);
  assert.match(show.stdout, /Rule {8}Shell Spawned By Web Server/);
  assert.match(show.stdout, /"destination": \{/);
  const ack = vigil('alerts', 'ack', String(ids[0]), String(ids[1]), '--db', db);
  assert.equal(ack.status, 0, ack.stderr);
  const close = vigil('alerts', 'close', String(ids[1]), '999', '--db', db);
  assert.equal(close.status, 1);
  assert.match(close.stderr, /no such alert: 999/);
  const states = (JSON.parse(vigil('alerts', 'list', '--db', db, '--format', 'json').stdout) as Array<{ id: number; state: string }>).map((a) => [a.id, a.state]);
  assert.deepEqual(states, [[ids[2], 'open'], [ids[1], 'closed'], [ids[0], 'acknowledged']]);
  const json = JSON.parse(vigil('alerts', 'show', String(ids[1]), '--db', db, '--format', 'json').stdout) as { state: string };
  assert.equal(json.state, 'closed');
  assert.equal(vigil('alerts', 'show', '424242', '--db', db).status, 1);
});

test('alerts export writes ECS alert documents, one per line, oldest first', () => {
  const r = vigil('alerts', 'export', '--db', db, '--format', 'ndjson');
  assert.equal(r.status, 0, r.stderr);
  const docs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  assert.equal(docs.length, 3);
  assert.deepEqual(docs.map((d) => d.vigil.alert.id), ids);
  const d = docs[0]!;
  assert.equal(d.event.kind, 'alert');
  assert.equal(d.event.risk_score, 47);
  assert.equal(d.event.severity, 47);
  assert.deepEqual(d.event.category, ['process', 'network']);
  assert.equal(d.rule.name, SEED_RULE.name);
  assert.equal(d.rule.id, SEED_RULE.id);
  assert.equal(d.host.name, 'ws-01');
  assert.equal(d.vigil.alert.events.length, 2);
  assert.equal(d.vigil.alert.events[1].destination.port, 443);
});

test('alerts query runs read-only SQL; DELETE, UPDATE, DROP and setting pragmas are refused and change nothing', () => {
  const ok = vigil('alerts', 'query', 'SELECT count(*) AS n FROM alerts', '--db', db, '--format', 'json');
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), [{ n: 3 }]);
  const view = vigil('alerts', 'query', "SELECT alert_id, json_extract(event, '$.destination.ip') AS ip FROM alert_events WHERE position = 1 ORDER BY alert_id", '--db', db);
  assert.equal(view.status, 0, view.stderr);
  assert.match(view.stdout, /203\.0\.113\.1/);
  const before = dump();
  for (const sql of [
    'DELETE FROM alerts',
    'delete from alerts where id > 0',
    "UPDATE alerts SET state = 'closed'",
    'DROP TABLE alerts',
    "INSERT INTO alerts (uuid) VALUES ('x')",
    'PRAGMA query_only = OFF',
    'PRAGMA user_version = 99',
    "ATTACH DATABASE 'other.db' AS other",
    'WITH x AS (SELECT 1) DELETE FROM alerts',
    'VACUUM',
  ]) {
    const r = vigil('alerts', 'query', sql, '--db', db);
    assert.equal(r.status, 1, `${sql}: exit ${r.status}`);
    assert.match(r.stderr, /refused|read-only|readonly/i, `${sql}: ${r.stderr}`);
  }
  const twoStatements = vigil('alerts', 'query', 'SELECT 1; DELETE FROM alerts', '--db', db);
  assert.equal(twoStatements.status, 1);
  assert.equal(dump(), before);
});

test('alerts on a missing database says so', () => {
  const r = vigil('alerts', 'list', '--db', join(tmp.dir, 'nope.db'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no alert database at/);
});

test('alerts hunt runs EQL over the stored events: event queries, sequences, pipes, and positioned errors', () => {
  const seq = vigil('alerts', 'hunt', '--db', db,
    'sequence by process.entity_id with maxspan=30s [process where event.type == "start" and process.parent.name == "ollama"] [network where destination.port == 443]');
  assert.equal(seq.status, 0, seq.stderr);
  // The same hit shape as `vigil hunt`: {"join_keys", "events": [{"_source"}]} / {"_source"}.
  const hits = seq.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { join_keys: string[]; events: Array<{ _source: Record<string, any> }> });
  assert.equal(hits.length, 3);
  assert.equal(hits[0]!.events.length, 2);
  assert.equal(hits[0]!.join_keys.length, 1);
  assert.equal(hits[0]!.events[1]!._source.event.action, 'connection_attempted');
  const ev = vigil('alerts', 'hunt', '--db', db, 'network where destination.ip == "203.0.113.2"');
  assert.equal(ev.status, 0, ev.stderr);
  const events = ev.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { _source: Record<string, any> });
  assert.deepEqual(events.map((e) => e._source.event.id), ['ev-2-2']);
  const head = vigil('alerts', 'hunt', '--db', db, 'process where true | head 2');
  assert.equal(head.stdout.trimEnd().split('\n').length, 2);
  const none = vigil('alerts', 'hunt', '--db', db, '--rule', 'r-high', 'network where destination.ip == "203.0.113.1"');
  assert.equal(none.stdout, '');
  assert.match(none.stderr, /no matches in 1 alert$/m);
  const bad = vigil('alerts', 'hunt', '--db', db, 'network where bogus(');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /line 1, column \d+/);
});
