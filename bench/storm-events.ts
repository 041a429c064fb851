/** The raw events an exec storm produces, generated (no kernel): shared by the in-process loop benchmarks. */
import type { RawEvent, RawProcess } from '../src/collectors/raw-event.js';

/** Execs per second of the generated storm (event times advance by 1/RATE s per exec). */
export const RATE = 1600;

/** A RawProcess shaped as the eBPF decoder builds it (ebpf-record-decoder.ts: one literal, then the exec extras). */
function decoded(pid: number, startKey: string, startTimeMs: number, ppid: number, parentStartKey: string, comm: string, extra?: Partial<RawProcess>): RawProcess {
  return { pid, startKey, startTimeMs, ppid, parentStartKey, comm, uid: 0, gid: 0, euid: 0, egid: 0, groupLeaderPid: 1990, sessionLeaderPid: 1990, ...extra };
}

/** A deterministic exec storm: the pacer (pid 2000, child of a shell) forks, the child execs, then exits. */
export function* storm(startMs: number): Generator<RawEvent> {
  const host = { backend: 'ebpf', platform: 'linux' } as const;
  const nop = '/work/main/native/linux/build/exec-nop';
  let t = startMs;
  let pid = 3000;
  yield { ...host, kind: 'exec', timeMs: t, process: decoded(2000, '500', startMs - 5000, 1990, '400', 'exec-pacer', { executable: '/work/main/native/linux/build/exec-pacer', args: ['exec-pacer', '1600', '5', 'tok', nop], cwd: '/work/main' }) };
  for (let i = 0; ; i++) {
    t += 1000 / RATE;
    pid = pid >= 4_000_000 ? 3000 : pid + 1;
    const startKey = String(600 + Math.floor(i / 16));
    yield { ...host, kind: 'fork', timeMs: t, process: decoded(pid, startKey, t, 2000, '500', 'exec-pacer') };
    const exec = decoded(pid, startKey, t, 2000, '500', 'exec-nop', { executable: nop, args: [nop, 'vigil-storm', `tok${i}`], cwd: '/work/main' });
    yield { ...host, kind: 'exec', timeMs: t + 0.05, process: exec };
    if (i % 8 === 0) {
      yield {
        ...host, kind: 'connect', timeMs: t + 0.08, transport: 'tcp', family: 'ipv4', result: -115,
        source: { ip: '127.0.0.1', port: 40000 + (i % 20000) }, destination: { ip: '127.0.0.1', port: 8080 },
        process: decoded(pid, startKey, t, 2000, '500', 'exec-nop'),
      };
    }
    yield { ...host, kind: 'exit', timeMs: t + 0.1, exitCode: 0, process: decoded(pid, startKey, t, 2000, '500', 'exec-nop') };
  }
}
