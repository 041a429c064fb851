// Live: the controlling terminal in eBPF records (vg_proc.tty_nr) equals /proc/<pid>/stat field 7, at exec and
// at fork; the normalizer turns it into process.interactive. Skips with the probe's reason where the helper
// cannot load. Every process started here is killed and reaped.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { EbpfCollector } from '../../../src/collectors/linux/ebpf-collector.js';
import { readHostIdentity } from '../../../src/collectors/host-identity.js';
import type { RawEvent, RawExec, RawFork } from '../../../src/collectors/raw-event.js';
import type { EcsEvent } from '../../../src/ecs/ecs-event.js';
import { Normalizer } from '../../../src/normalize/normalizer.js';
import { procStat, waitFor } from './ebpf-live-helpers.js';

const skipReason = await EbpfCollector.probe();
const MAX_KEPT = 200_000;

interface ProcessDoc {
  readonly event: { readonly action: string };
  readonly process: { readonly pid: number; readonly interactive?: boolean; readonly parent?: { readonly interactive?: boolean } };
}

/** A unique sleep argument, so the exec can be picked out of everything else the machine runs. */
const sleepArg = (): string => `${300 + randomInt(1000)}.${randomInt(1_000_000)}`;

async function started(child: ChildProcess): Promise<ChildProcess> {
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child;
}

describe('eBPF controlling terminal (live)', { skip: skipReason ?? false }, () => {
  const collector = new EbpfCollector();
  const normalizer = new Normalizer({ host: readHostIdentity('linux'), agent: { id: 'test', version: '0' } });
  const events: RawEvent[] = [];
  const docs: ProcessDoc[] = [];
  const execOf = (arg: string): RawExec | undefined =>
    events.find((e): e is RawExec => e.kind === 'exec' && e.process.args?.[0] === 'sleep' && e.process.args[1] === arg);
  const docOf = (action: string, pid: number): ProcessDoc | undefined => docs.find((d) => d.event.action === action && d.process.pid === pid);

  before(async () => {
    await collector.start((e) => {
      if (events.length >= MAX_KEPT) return;
      events.push(e);
      const d: EcsEvent | null = normalizer.normalize(e);
      if (d !== null && e.kind !== 'connect' && e.kind !== 'accept' && e.kind !== 'disconnect') docs.push(d as unknown as ProcessDoc);
    });
  });
  after(async () => {
    await collector.stop();
  });

  test('under script -qc (a pty): the shell exec and the forked sleep carry tty = /proc stat field 7, non-zero', async () => {
    const arg = sleepArg();
    // `; true` keeps sh alive, so sleep is forked by sh (inside the pty session) rather than exec'd in its place.
    const script = await started(spawn('script', ['-qc', `sleep ${arg}; true`, '/dev/null'], { stdio: ['ignore', 'ignore', 'inherit'] }));
    const closed = new Promise((r) => script.once('close', r));
    let sleepPid = 0;
    try {
      await waitFor('exec of the sleep under script', () => execOf(arg) !== undefined);
      const exec = execOf(arg)!;
      sleepPid = exec.process.pid;
      const stat = procStat(sleepPid);
      assert.notEqual(stat.ttyNr, 0, 'script gives the command a terminal');
      assert.equal(exec.process.tty, stat.ttyNr, 'exec: tty = stat field 7');

      const fork = events.find((e): e is RawFork => e.kind === 'fork' && e.process.pid === sleepPid);
      assert.ok(fork, 'the fork of sleep by sh');
      assert.equal(fork.process.tty, stat.ttyNr, 'fork: tty = stat field 7');

      const shPid = exec.process.ppid!;
      const sh = events.find((e): e is RawExec => e.kind === 'exec' && e.process.pid === shPid);
      assert.ok(sh, 'the exec of sh -c by script');
      assert.equal(sh.process.tty, procStat(shPid).ttyNr, 'sh exec: tty = stat field 7');

      await waitFor('the ECS exec document', () => docOf('exec', sleepPid) !== undefined);
      assert.equal(docOf('exec', sleepPid)!.process.interactive, true);
      assert.equal(docOf('exec', sleepPid)!.process.parent?.interactive, true);
    } finally {
      if (sleepPid !== 0) process.kill(sleepPid, 'SIGKILL'); // sh then runs `true` and exits, and so does script
      else script.kill('SIGKILL');
      await closed;
    }
  });

  const noTty: Array<[string, (arg: string) => [string, string[]], number | 'as-stat']> = [
    ['setsid (a new session has no controlling terminal): tty 0', (arg) => ['setsid', ['sleep', arg]], 0],
    ['a plain child of the test runner: tty = its stat field 7', (arg) => ['sleep', [arg]], 'as-stat'],
  ];
  for (const [name, argv, want] of noTty) {
    test(name, async () => {
      const arg = sleepArg();
      const [cmd, args] = argv(arg);
      const child = await started(spawn(cmd, args, { stdio: 'ignore' }));
      const closed = new Promise((r) => child.once('close', r));
      try {
        await waitFor(`exec of sleep ${arg}`, () => execOf(arg) !== undefined);
        const exec = execOf(arg)!;
        const stat = procStat(exec.process.pid);
        assert.equal(exec.process.tty, want === 'as-stat' ? stat.ttyNr : want);
        assert.equal(stat.ttyNr, exec.process.tty, 'stat field 7 agrees');
        if (exec.process.tty === 0) {
          await waitFor('the ECS exec document', () => docOf('exec', exec.process.pid) !== undefined);
          assert.equal(docOf('exec', exec.process.pid)!.process.interactive, false);
        }
      } finally {
        const sleepPid = execOf(arg)?.process.pid;
        if (sleepPid !== undefined && sleepPid !== child.pid) process.kill(sleepPid, 'SIGKILL'); // had setsid forked
        child.kill('SIGKILL');
        await closed;
      }
    });
  }
});
