import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './eql-conformance-harness.js';

// `vigil hunt` as users run it: a real spawned CLI (exit codes, stdin, files, table output, malformed lines).
const root = projectRoot();
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const sample = join(root, 'test', 'fixtures', 'hunt', 'sample-events.ndjson');
const SEED_LIKE = 'sequence by process.entity_id with maxspan=30s ' +
  '[process where event.type == "start" and process.name in ("base64", "gzip", "tar") and process.parent.name == "claude"] ' +
  '[network where event.action == "connection_attempted" and not cidrMatch(destination.ip, "127.0.0.0/8")]';

function hunt(args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, 'hunt', ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('hunt: a sequence over the bundled sample prints Elasticsearch-shaped hits and exits 0', () => {
  const r = hunt(['--events', sample, SEED_LIKE]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as { join_keys: unknown[]; events: Array<{ _source: { process: { name: string } } }> });
  assert.equal(lines.length, 1);
  assert.deepEqual(lines[0]!.join_keys, ['p-102']);
  assert.deepEqual(lines[0]!.events.map((e) => e._source.process.name), ['base64', 'base64']);
  assert.equal(r.err, '', 'nothing on stderr for a clean run on a pipe (no progress)');
});

test('hunt: event query from stdin, ordered by @timestamp; a malformed line is reported with its number and skipped', () => {
  const input = [
    '{"@timestamp":"2026-01-01T00:00:02Z","event":{"category":"process"},"n":2}',
    '{"@timestamp": oops',
    '{"@timestamp":1767225601000,"event":{"category":"process"},"n":1}',
    '{"event":{"category":"process"},"n":3}',
  ].join('\n');
  const r = hunt(['process where true'], input);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.out.trim().split('\n').map((l) => (JSON.parse(l) as { _source: { n: number } })._source.n), [1, 2]);
  assert.match(r.err, /line 2: skipped malformed input/);
  assert.match(r.err, /skipped 1 malformed line/);
  assert.match(r.err, /skipped 1 event\(s\) without a readable @timestamp/);
});

test('hunt: a bad query exits 2 with the positioned error and a caret', () => {
  const r = hunt(['--events', sample, 'process where\n  process.name = "x"']);
  assert.equal(r.code, 2);
  assert.match(r.err, /EQL_SYNTAX: .* at line 2, column 16/);
  assert.match(r.err, /\n {2}process\.name = "x"\n {15}\^/);
  assert.equal(r.out, '');
});

test('hunt: zero hits is success', () => {
  const r = hunt(['--events', sample, 'process where process.name == "nothing-like-this"']);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
});

test('hunt: --output table for people, --size caps hits', () => {
  const r = hunt(['--events', sample, '--output', 'table', '--size', '2', 'process where process.parent.name : "*"']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.match(lines[0]!, /^@timestamp\s+event\.category\s+process\.parent\.name$/);
  assert.match(lines[2]!, /^2026-11-28T08:00:00\.000Z\s+process\s+sshd$/);
  assert.equal(lines.at(-1), '(2 events)');
});

test('hunt: a JSON array file, custom category/timestamp/tiebreaker fields, head pipe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-hunt-'));
  try {
    const file = join(dir, 'events.json');
    writeFileSync(file, JSON.stringify([
      { t: 10, kind: 'file', seq: 2 }, { t: 10, kind: 'file', seq: 1 }, { t: 5, kind: 'file', seq: 3 }, { t: 1, kind: 'dns', seq: 4 },
    ]));
    const r = hunt(['--events', file, '--event-category-field', 'kind', '--timestamp-field', 't', '--tiebreaker-field', 'seq', 'file where true | head 2']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.trim().split('\n').map((l) => (JSON.parse(l) as { _source: { seq: number } })._source.seq), [3, 1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hunt: an unreadable events file exits 1', () => {
  const r = hunt(['--events', join(tmpdir(), 'vigil-no-such-file.ndjson'), 'process where true']);
  assert.equal(r.code, 1);
  assert.match(r.err, /cannot read/);
});
