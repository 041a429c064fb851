import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { unprivilegedPaths } from '../helpers/unprivileged-install.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const child = join(root, 'dist', 'test', 'service', 'status-writer-child.js');

interface StatusJson {
  agent: { state: string; reason: string | null; status: { pid: number; backend: string; alerts: { total: number }; stages: Record<string, { in: number; lost: number }>; rules: { loaded: number } } | null };
  uptimeS: number | null;
  service: { installed: boolean } | null;
}

function status(stateDir: string, format = 'json') {
  const r = spawnSync(process.execPath, [cli, 'status', '--state-dir', stateDir, '--format', format], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function startWriter(stateDir: string, intervalMs: number): Promise<ChildProcess> {
  const p = spawn(process.execPath, [child, stateDir, String(intervalMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(p.stdout!, 'data')) as [Buffer];
  assert.match(chunk.toString(), /ready/);
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A temp state dir removed when the test ends, pass or fail. */
function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-status-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('vigil status shows live counters of a running agent, then stopped after a clean stop', async (t) => {
  const dir = tmp(t);
  const p = await startWriter(dir, 100);
  try {
    const first = status(dir);
    assert.equal(first.code, 0, first.err);
    const a = JSON.parse(first.out) as StatusJson;
    assert.equal(a.agent.state, 'running');
    assert.equal(a.agent.status!.pid, p.pid);
    assert.equal(a.agent.status!.backend, 'procfs');
    assert.equal(a.agent.status!.rules.loaded, 12);
    assert.ok(a.uptimeS !== null && a.uptimeS >= 0);
    await sleep(450);
    const b = JSON.parse(status(dir).out) as StatusJson;
    assert.ok(b.agent.status!.stages.collector!.in > a.agent.status!.stages.collector!.in, 'counters move while the agent runs');
    assert.ok(b.agent.status!.alerts.total > a.agent.status!.alerts.total);
    const text = status(dir, 'text');
    assert.equal(text.code, 0);
    assert.match(text.out, new RegExp(`agent +running\\n +pid ${p.pid} \\(foreground\\)`));
    assert.match(text.out, /collector +procfs — fallback: eBPF: test stand-in/);
    assert.match(text.out, /rules +12 loaded, 1 with errors, 2 skipped/);
    assert.match(text.out, /lost +\d+ events/);
    assert.match(text.out, /\n +collector +\d+ +\d+ +\d+ +0 +0 +0\n/);
  } finally {
    p.kill('SIGTERM');
    await once(p, 'exit');
  }
  const after = status(dir);
  assert.equal(after.code, 3);
  const c = JSON.parse(after.out) as StatusJson;
  assert.equal(c.agent.state, 'stopped');
  assert.deepEqual(readdirSync(dir), ['status.json'], 'no temp file left behind');
});

test('vigil status calls an agent killed with SIGKILL stale (pid gone)', async (t) => {
  const dir = tmp(t);
  const p = await startWriter(dir, 100);
  p.kill('SIGKILL');
  await once(p, 'exit');
  const r = status(dir);
  assert.equal(r.code, 3);
  const s = JSON.parse(r.out) as StatusJson;
  assert.equal(s.agent.state, 'stale');
  assert.match(s.agent.reason!, new RegExp(`pid ${p.pid} is gone`));
  assert.match(status(dir, 'text').out, /agent +STALE: pid \d+ is gone/);
});

test('vigil status without a status file says the agent has not run, and bad files are reported', (t) => {
  const dir = tmp(t);
  const missing = status(dir);
  assert.equal(missing.code, 3);
  assert.equal((JSON.parse(missing.out) as StatusJson).agent.state, 'missing');
  assert.match(status(dir, 'text').out, /agent +not running: no status file/);
  writeFileSync(join(dir, 'status.json'), '{"schema": 99}');
  const badRun = status(dir);
  assert.equal(badRun.code, 4, 'unknown');
  const bad = JSON.parse(badRun.out) as StatusJson;
  assert.equal(bad.agent.state, 'invalid');
  assert.match(bad.agent.reason!, /unknown schema 99/);
  assert.ok(existsSync(join(dir, 'status.json')));
});

test('vigil status rejects an unknown format', () => {
  const r = spawnSync(process.execPath, [cli, 'status', '--format', 'yaml'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /'--format <format>' argument 'yaml' is invalid\. Allowed choices are text, json/);
});

test('a status file the user may not read is reported as such (exit 4), not as a stopped agent', { skip: process.geteuid?.() !== 0 ? 'needs root (to drop to uid 65534)' : false }, (t) => {
  const dir = tmp(t);
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'status.json'), '{}', { mode: 0o640 });
  // nobody runs a package it can reach (a copy when the checkout is under a 0700 directory, as in CI).
  const nobody = unprivilegedPaths();
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, nobody.cli, 'status', '--state-dir', dir, '--format', 'json'], { encoding: 'utf8', cwd: nobody.root });
  assert.equal(r.status, 4, r.stderr);
  const s = JSON.parse(r.stdout) as StatusJson;
  assert.equal(s.agent.state, 'unreadable');
  assert.match(s.agent.reason!, /permission denied \(the service's status is readable by root and the vigil group\)/);
});
