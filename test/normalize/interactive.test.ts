import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { compileFieldGetter } from '../../src/ecs/field-getter.js';
import { readHostIdentity } from '../../src/collectors/host-identity.js';
import { readProcProcess } from '../../src/collectors/linux/procfs-process-reader.js';
import { fixtureEtc, makeNormalizer, proc, T0 } from './normalize-fixtures.js';

const get = (doc: EcsEvent | null, path: string): unknown => {
  assert.ok(doc, 'a document was emitted');
  return compileFieldGetter(path)(doc);
};
const base = { backend: 'ebpf', platform: 'linux' } as const;
const PTS = (136 << 8) | 3; // /dev/pts/3

test('process.interactive: a controlling terminal (tty != 0) is interactive, none is not, unknown is absent', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir);
  const shell = n.normalize({ ...base, backend: 'procfs', kind: 'snapshot', timeMs: T0, process: proc(100, '100', { executable: '/bin/bash', tty: PTS, sessionLeaderPid: 100 }) });
  const daemon = n.normalize({ ...base, backend: 'procfs', kind: 'snapshot', timeMs: T0, process: proc(200, '200', { executable: '/usr/sbin/cron', tty: 0, sessionLeaderPid: 200 }) });
  const unknown = n.normalize({ ...base, kind: 'exec', timeMs: T0, process: proc(300, '300', { executable: '/bin/true' }) });
  assert.equal(get(shell, 'process.interactive'), true);
  assert.equal(get(daemon, 'process.interactive'), false);
  assert.equal(get(unknown, 'process.interactive'), undefined);
  // a child of the shell: parent interactivity from the cache; the child inherits the terminal at fork
  const fork = n.normalize({ ...base, kind: 'fork', timeMs: T0 + 1, process: proc(101, '101', { ppid: 100, parentStartKey: '100' }) });
  assert.equal(get(fork, 'process.parent.interactive'), true);
  assert.equal(get(fork, 'process.interactive'), true);
  // exec without a tty report keeps the terminal (exec does not change it)
  const exec = n.normalize({ ...base, kind: 'exec', timeMs: T0 + 2, process: proc(101, '101', { ppid: 100, parentStartKey: '100', executable: '/usr/bin/vim', args: ['vim'], sessionLeaderPid: 100 }) });
  assert.equal(get(exec, 'process.interactive'), true);
  // network documents carry the thin process set only: no interactive
  const conn = n.normalize({ ...base, kind: 'connect', timeMs: T0 + 3, transport: 'tcp', family: 'ipv4', destination: { ip: '127.0.0.1', port: 80 }, result: 0, process: proc(101, '101') });
  assert.equal(get(conn, 'process.interactive'), undefined);
});

test('process.interactive: setsid (a new session) drops a terminal known only by inheritance', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir);
  n.normalize({ ...base, backend: 'procfs', kind: 'snapshot', timeMs: T0, process: proc(100, '100', { executable: '/bin/bash', tty: PTS, sessionLeaderPid: 100 }) });
  n.normalize({ ...base, kind: 'fork', timeMs: T0 + 1, process: proc(102, '102', { ppid: 100, parentStartKey: '100' }) });
  const daemonized = n.normalize({ ...base, kind: 'exec', timeMs: T0 + 2, process: proc(102, '102', { ppid: 100, parentStartKey: '100', executable: '/usr/bin/nohup', sessionLeaderPid: 102 }) });
  assert.equal(get(daemonized, 'process.interactive'), undefined);
  assert.equal(get(daemonized, 'process.parent.interactive'), true);
  // a collector that reads the terminal after setsid says so directly
  const seen = n.normalize({ ...base, backend: 'procfs', kind: 'exec', timeMs: T0 + 3, process: proc(102, '102', { executable: '/usr/bin/nohup', sessionLeaderPid: 102, tty: 0 }) });
  assert.equal(get(seen, 'process.interactive'), false);
});

test('data_stream.*: as Defend writes it, per event dataset', (t) => {
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir);
  const p = n.normalize({ ...base, kind: 'exec', timeMs: T0, process: proc(1, '1', { executable: '/sbin/init' }) });
  const c = n.normalize({ ...base, kind: 'connect', timeMs: T0, transport: 'tcp', family: 'ipv4', destination: { ip: '127.0.0.1', port: 80 }, process: proc(1, '1') });
  assert.deepEqual(get(p, 'data_stream'), { type: 'logs', dataset: 'endpoint.events.process', namespace: 'default' });
  assert.deepEqual(get(c, 'data_stream'), { type: 'logs', dataset: 'endpoint.events.network', namespace: 'default' });
  const w = n.normalize({ backend: 'etw', platform: 'windows', kind: 'exec', timeMs: T0, process: proc(4, '9', { executable: 'C:\\x.exe' }) });
  assert.equal(get(w, 'data_stream.dataset'), 'endpoint.events.process');
});

function waitFor<T>(probe: () => T | undefined, ms: number): Promise<T> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const v = probe();
      if (v !== undefined) resolve(v);
      else if (Date.now() > until) reject(new Error('timed out'));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

/** The pid of a `sleep` child of `parent` (script(1) runs the command under a shell on the new pty). */
function sleepUnder(parent: number): number | undefined {
  const queue = [parent];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    let children: string;
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const c of children.trim().split(/\s+/).filter((x) => x !== '').map(Number)) {
      try {
        if (readFileSync(`/proc/${c}/comm`, 'utf8').trim() === 'sleep') return c;
      } catch {
        // gone
      }
      queue.push(c);
    }
  }
  return undefined;
}

const canRun = process.platform === 'linux' ? false : 'Linux procfs only';

test('procfs: a process on a pseudo-terminal is interactive, a setsid one is not (real processes)', { skip: canRun }, async (t) => {
  const host = readHostIdentity('linux');
  const pids: number[] = [];
  const children: ChildProcess[] = [];
  t.after(() => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  // script(1) allocates a pty and makes it the controlling terminal of the command it runs; a detached
  // child is started with setsid(), so it has no controlling terminal
  const onPty = spawn('script', ['-qfec', 'sleep 30', '/dev/null'], { detached: true, stdio: 'ignore' });
  const noTty = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  children.push(onPty, noTty);
  pids.push(onPty.pid!, noTty.pid!);
  const ptyPid = await waitFor(() => sleepUnder(onPty.pid!), 5000);
  pids.unshift(ptyPid);
  const etc = fixtureEtc();
  t.after(etc.dispose);
  const n = makeNormalizer(etc.dir, { host });
  for (const [pid, want] of [[ptyPid, true], [noTty.pid!, false]] as const) {
    const r = readProcProcess('/proc', pid, host);
    assert.ok(r.ok, `read /proc/${pid}`);
    assert.equal(r.process.tty !== 0, want, `tty_nr of ${pid}: ${r.process.tty}`);
    const doc = n.normalize({ backend: 'procfs', platform: 'linux', kind: 'snapshot', timeMs: Date.now(), process: r.process });
    assert.equal(get(doc, 'process.interactive'), want, `pid ${pid}`);
  }
});
