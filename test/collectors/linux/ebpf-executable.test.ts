// Live: the eBPF helper reports process.executable as the kernel resolved it (what /proc/<pid>/exe shows), not
// the path given to execve: through symlinks, relative paths, `..` and #! interpreters. Skips with the probe's
// reason where the helper cannot load. Every process started here is killed and reaped; the directory removed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EbpfCollector } from '../../../src/collectors/linux/ebpf-collector.js';
import type { RawEvent, RawExec } from '../../../src/collectors/raw-event.js';
import { waitFor } from './ebpf-live-helpers.js';

const skipReason = await EbpfCollector.probe();
const MAX_KEPT = 200_000;

/** A process that waits on its stdin (a pipe) until killed: long-running, no grandchildren. */
async function startWaiting(cmd: string, args: readonly string[], cwd: string): Promise<ChildProcess> {
  const child = spawn(cmd, [...args], { cwd, stdio: ['pipe', 'ignore', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((r) => child.once('close', r));
  child.kill('SIGKILL');
  await closed;
}

describe('eBPF executable: the resolved path, as /proc/<pid>/exe (live)', { skip: skipReason ?? false }, () => {
  const collector = new EbpfCollector();
  const events: RawEvent[] = [];
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'vigil-ebpf-exe-')));
  const cat = realpathSync('/bin/cat');
  const dash = realpathSync('/bin/sh');
  // Deeper than the kernel walk goes (48 steps): the helper falls back to the execve filename, here absolute.
  const deep = join(dir, ...new Array<string>(60).fill('d'));

  before(async () => {
    // cat with no argument waits on its stdin.
    symlinkSync(cat, join(dir, 'cat-link'));
    symlinkSync('cat-link', join(dir, 'rel-link')); // relative symlink to a symlink
    mkdirSync(join(dir, 'sub'));
    copyFileSync(cat, join(dir, 'cat-copy'));
    chmodSync(join(dir, 'cat-copy'), 0o755);
    writeFileSync(join(dir, 'script.sh'), '#!/bin/sh\nread line\n', { mode: 0o755 });
    mkdirSync(deep, { recursive: true });
    copyFileSync(cat, join(deep, 'cat'));
    chmodSync(join(deep, 'cat'), 0o755);
    await collector.start((e) => {
      if (events.length < MAX_KEPT) events.push(e);
    });
  });
  after(async () => {
    await collector.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // [case, command as given to execve, cwd, the path the kernel resolves it to]
  const rows: Array<[string, string, string, () => string]> = [
    ['/bin/cat, where /bin is a symlink to usr/bin', '/bin/cat', '/', () => cat],
    ['an absolute symlink', join(dir, 'cat-link'), '/', () => cat],
    ['a relative path through a chain of symlinks', './rel-link', dir, () => cat],
    ['a relative path with ..', 'sub/../cat-copy', dir, () => join(dir, 'cat-copy')],
    ['a #! script: its interpreter, through the /bin/sh symlink', './script.sh', dir, () => dash],
    ['a path deeper than the walk: the absolute execve filename', join(deep, 'cat'), '/', () => join(deep, 'cat')],
  ];
  for (const [name, cmd, cwd, want] of rows) {
    test(`${name}: executable = readlink /proc/<pid>/exe`, async () => {
      const child = await startWaiting(cmd, [], cwd);
      try {
        const pid = child.pid!;
        const exec = (): RawExec | undefined => events.find((e): e is RawExec => e.kind === 'exec' && e.process.pid === pid);
        await waitFor(`exec of ${cmd}`, () => exec() !== undefined);
        const procExe = readlinkSync(`/proc/${pid}/exe`);
        assert.equal(procExe, want(), 'the case resolves where expected');
        assert.equal(exec()!.process.executable, procExe);
        assert.equal(exec()!.process.cwd, cwd);
      } finally {
        await stop(child);
      }
    });
  }

  test('a 200-exec burst through /bin/true: every executable is /usr/bin/true as resolved', async () => {
    const token = String(process.hrtime.bigint());
    const r = spawn('/bin/sh', ['-c', `i=0; while [ $i -lt 200 ]; do /bin/true vigil-exe ${token}; ./rel-link </dev/null; i=$((i+1)); done`], { cwd: dir, stdio: 'ignore' });
    const code = await new Promise((resolve) => r.once('close', resolve));
    assert.equal(code, 0);
    const trues = (): RawExec[] => events.filter((e): e is RawExec => e.kind === 'exec' && e.process.args?.[2] === token);
    const cats = (): RawExec[] => events.filter((e): e is RawExec => e.kind === 'exec' && e.process.ppid === r.pid && e.process.args?.[0] === './rel-link');
    await waitFor('400 execs', () => trues().length >= 200 && cats().length >= 200);
    assert.deepEqual(new Set(trues().map((e) => e.process.executable)), new Set([realpathSync('/bin/true')]));
    assert.deepEqual(new Set(cats().map((e) => e.process.executable)), new Set([cat]));
    assert.equal(collector.stats().lost, 0);
  });
});
