import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireInstanceLock, InstanceLockedError } from '../../src/agent/instance-lock.js';
import { cliPath, startAgent } from '../helpers/agent-process.js';

const vigil = (args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 60_000 });

test('two agents on one state dir, or on one database: the second exits 2 naming the first pid', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
  try {
    const first = await startAgent(['--db', join(dir, 'a.db'), '--state-dir', join(dir, 's1'), '--backend', 'procfs', '--log-format', 'json', '--no-notify']);
    try {
      const pid = first.child.pid!;
      const sameState = vigil(['run', '--db', join(dir, 'b.db'), '--state-dir', join(dir, 's1'), '--backend', 'procfs', '--log-format', 'json', '--no-notify']);
      assert.equal(sameState.status, 2, sameState.stderr);
      assert.match(sameState.stderr, new RegExp(`another Vigil agent \\(pid ${pid}: [^)]*main\\.js run[^)]*\\) holds ${join(dir, 's1', 'agent.lock')}`));
      assert.doesNotMatch(sameState.stderr, /"message":"ready/);
      const sameDb = vigil(['run', '--db', join(dir, 'a.db'), '--state-dir', join(dir, 's2'), '--backend', 'procfs', '--log-format', 'json', '--no-notify']);
      assert.equal(sameDb.status, 2, sameDb.stderr);
      assert.match(sameDb.stderr, new RegExp(`pid ${pid}\\b.*holds ${join(dir, 'a.db')}\\.agent-lock`));
      // The second agent left the first one's status and pid file alone.
      const status = JSON.parse(vigil(['status', '--state-dir', join(dir, 's1'), '--format', 'json']).stdout) as { agent: { status: { pid: number } } };
      assert.equal(status.agent.status.pid, pid);
    } finally {
      assert.equal(await first.stop('SIGTERM'), 0);
    }
    assert.ok(!existsSync(join(dir, 's1', 'agent.lock.pid')), 'a clean stop removes the pid file');
    // The lock went with the process: the state dir can be used again.
    const again = await startAgent(['--db', join(dir, 'a.db'), '--state-dir', join(dir, 's1'), '--backend', 'procfs', '--log-format', 'json', '--no-notify']);
    assert.equal(await again.stop('SIGTERM'), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock held by a process killed with SIGKILL is free again (a kernel lock, nothing stale)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
  try {
    const first = await startAgent(['--db', join(dir, 'a.db'), '--state-dir', dir, '--backend', 'procfs', '--log-format', 'json', '--no-notify']);
    assert.throws(() => acquireInstanceLock(join(dir, 'agent.lock')), (err: unknown) => err instanceof InstanceLockedError && err.pid === first.child.pid);
    await first.stop('SIGKILL');
    const lock = acquireInstanceLock(join(dir, 'agent.lock'));
    lock.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
