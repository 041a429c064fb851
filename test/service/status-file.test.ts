import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  agentStateDir,
  pidStartKey,
  readStatusFile,
  STATUS_SCHEMA,
  statusFilePath,
  StatusFileWriter,
  userStateDir,
  zeroStages,
  type AgentStatus,
} from '../../src/agent/status-file.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function status(over: Partial<AgentStatus> = {}): AgentStatus {
  const now = new Date().toISOString();
  return {
    schema: STATUS_SCHEMA,
    pid: process.pid,
    started: now,
    updated: now,
    intervalMs: 1000,
    version: '0.0.0',
    mode: 'foreground',
    hostname: 'h',
    backend: 'ebpf',
    fallbackReason: null,
    rules: { loaded: 1, errors: 0, skipped: 0 },
    stages: zeroStages(),
    sequences: { inFlight: 0 },
    alerts: { total: 0 },
    db: '/x/alerts.db',
    ...over,
  };
}

/** A temp dir removed when the test ends, pass or fail. */
function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-statusfile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the writer replaces the file atomically, mode 0640, and leaves no temp file', (t) => {
  const dir = tmp(t);
  const w = new StatusFileWriter(statusFilePath(dir));
  assert.equal(w.write(status()), true);
  assert.equal(w.write(status({ alerts: { total: 5 } })), true);
  assert.deepEqual(readdirSync(dir), ['status.json']);
  assert.equal(statSync(statusFilePath(dir)).mode & 0o777, 0o640 & ~process.umask());
  const r = readStatusFile(statusFilePath(dir));
  assert.equal(r.state, 'running');
  assert.equal(r.status?.alerts.total, 5);
  assert.equal(w.writes, 2);
});

test('a write that fails is counted, not thrown', () => {
  const w = new StatusFileWriter('/nonexistent/dir/status.json');
  assert.equal(w.write(status()), false);
  assert.equal(w.failures, 1);
  assert.match(w.lastError!, /ENOENT/);
});

const t0 = Date.parse('2026-01-01T00:00:00Z');
const rows: Array<[string, Partial<AgentStatus>, { now?: number; pidAlive?: (p: number, k: string | undefined) => boolean }, string, RegExp | null]> = [
  ['fresh', { updated: new Date(t0).toISOString(), intervalMs: 5000 }, { now: t0 + 4000, pidAlive: () => true }, 'running', null],
  ['three missed intervals', { updated: new Date(t0).toISOString(), intervalMs: 5000 }, { now: t0 + 16_000, pidAlive: () => true }, 'stale', /not updated for 16 s \(expected every 5 s\)/],
  ['short interval still gets 15 s', { updated: new Date(t0).toISOString(), intervalMs: 100 }, { now: t0 + 10_000, pidAlive: () => true }, 'running', null],
  ['pid gone', { pid: 999_999_99 }, {}, 'stale', /pid 99999999 is gone/],
  ['clean stop', { stopped: new Date().toISOString() }, {}, 'stopped', /stopped at/],
];
for (const [name, over, options, state, reason] of rows) {
  test(`reader: ${name} -> ${state}`, (t) => {
    const dir = tmp(t);
    new StatusFileWriter(statusFilePath(dir)).write(status(over));
    const r = readStatusFile(statusFilePath(dir), options);
    assert.equal(r.state, state);
    if (reason === null) assert.equal(r.reason, null);
    else assert.match(r.reason!, reason);
    });
}

test('reader: a reused pid (same pid, other start time) is stale', { skip: process.platform !== 'linux' ? 'needs /proc' : false }, (t) => {
  const dir = tmp(t);
  const real = pidStartKey(process.pid);
  assert.match(real!, /^\d+$/);
  new StatusFileWriter(statusFilePath(dir)).write(status({ pidStartKey: String(Number(real) + 1) }));
  assert.equal(readStatusFile(statusFilePath(dir)).state, 'stale');
  new StatusFileWriter(statusFilePath(dir)).write(status({ pidStartKey: real! }));
  assert.equal(readStatusFile(statusFilePath(dir)).state, 'running');
});

test('state dir: config, then VIGIL_STATE_DIR, then systemd STATE_DIRECTORY, then the per-user dir', () => {
  const env = { VIGIL_STATE_DIR: '/v', STATE_DIRECTORY: '/var/lib/vigil:/other', XDG_STATE_HOME: '/xdg', HOME: '/home/u' };
  assert.equal(agentStateDir('/cfg', env), '/cfg');
  assert.equal(agentStateDir('', env), '/v');
  assert.equal(agentStateDir('', { ...env, VIGIL_STATE_DIR: undefined }), '/var/lib/vigil');
  assert.equal(agentStateDir('', { XDG_STATE_HOME: '/xdg', HOME: '/home/u' }), '/xdg/vigil');
  assert.equal(userStateDir({ XDG_STATE_HOME: 'relative', HOME: '/home/u' }, 'linux'), '/home/u/.local/state/vigil');
});

test('a reader never sees a partial document while a real process rewrites it every millisecond', async (t) => {
  const dir = tmp(t);
  const child = spawn(process.execPath, [join(root, 'dist', 'test', 'service', 'status-writer-child.js'), dir, '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await once(child.stdout!, 'data');
  let reads = 0;
  const seen = new Set<number>();
  const until = Date.now() + 1500;
  while (Date.now() < until) {
    const r = readStatusFile(statusFilePath(dir));
    assert.equal(r.state, 'running', `read ${reads}: ${r.reason}`);
    seen.add(r.status!.alerts.total);
    reads++;
    await new Promise((res) => setImmediate(res));
  }
  child.kill('SIGTERM');
  await once(child, 'exit');
  assert.ok(reads > 200, `${reads} reads`);
  assert.ok(seen.size > 20, `${seen.size} distinct versions seen`);
});
