import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

interface Reading {
  agent: { state: string; status: { pid: number; mode: string; backend: string; stages: { collector: { in: number } }; rules: { loaded: number }; documents?: { probedOut: number; gateMemoClears: number } } | null };
}

function status(dir: string): { code: number | null; reading: Reading; err: string } {
  const r = spawnSync(process.execPath, [cli, 'status', '--state-dir', dir, '--format', 'json'], { encoding: 'utf8' });
  return { code: r.status, reading: JSON.parse(r.stdout || 'null') as Reading, err: r.stderr };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, fn: () => T | null): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

test('vigil status against a running foreground `vigil run` shows live counters, then stopped', { timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-status-live-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const agent = spawn(process.execPath, [cli, 'run', '--state-dir', dir, '--db', join(dir, 'alerts.db'), '--no-notify', '--log-format', 'json'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, STATE_DIRECTORY: '', VIGIL_STATE_DIR: '' },
  });
  let log = '';
  agent.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  try {
    const first = await until('a running status', 30_000, () => {
      if (agent.exitCode !== null) throw new Error(`vigil run exited ${agent.exitCode}: ${log}`);
      if (!existsSync(join(dir, 'status.json'))) return null;
      const s = status(dir);
      return s.code === 0 && s.reading.agent.state === 'running' ? s.reading : null;
    });
    const st = first.agent.status!;
    assert.equal(st.pid, agent.pid);
    assert.equal(st.mode, 'foreground');
    assert.ok(st.rules.loaded > 0);
    // Make telemetry: short-lived processes.
    for (let i = 0; i < 20; i++) spawnSync('/bin/true');
    const later = await until('counters to move', 30_000, () => {
      const s = status(dir).reading;
      return s.agent.status!.stages.collector.in > st.stages.collector.in ? s : null;
    });
    assert.equal(later.agent.state, 'running');
    // /bin/true is no program a bundled rule is about: its documents are left unbuilt, and counted
    const docs = (await until('probed-out documents counted', 30_000, () => {
      const d = status(dir).reading.agent.status!.documents;
      return d !== undefined && d.probedOut > 0 ? d : null;
    }));
    assert.equal(docs.gateMemoClears, 0);
  } finally {
    agent.kill('SIGTERM');
    await once(agent, 'exit');
  }
  const after = status(dir);
  assert.equal(after.code, 3, after.err);
  assert.equal(after.reading.agent.state, 'stopped');
});
