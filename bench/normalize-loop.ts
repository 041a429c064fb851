/**
 * The normalizer alone, on the raw events an exec storm produces (what the eBPF decoder hands it: fork, exec,
 * exit per process, plus a connect every 8th process), with the real /etc user directory. Reports CPU per raw
 * event (process.cpuUsage, this thread only) and the projected share of a core at 1600 execs/s.
 * Run: node dist/bench/normalize-loop.js   (BENCH_EVENTS=N changes the measured count; default 600000).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readHostIdentity } from '../src/collectors/host-identity.js';
import type { RawEvent, RawProcess } from '../src/collectors/raw-event.js';
import { Normalizer } from '../src/normalize/normalizer.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultPath = join(root, 'bench', 'results', 'normalize-loop.json');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 600_000);
const RATE = 1600;

/** A RawProcess shaped as the eBPF decoder builds it (ebpf-record-decoder.ts: one literal, then the exec extras). */
function decoded(pid: number, startKey: string, startTimeMs: number, ppid: number, parentStartKey: string, comm: string, extra?: Partial<RawProcess>): RawProcess {
  return { pid, startKey, startTimeMs, ppid, parentStartKey, comm, uid: 0, gid: 0, euid: 0, egid: 0, groupLeaderPid: 1990, sessionLeaderPid: 1990, ...extra };
}

/** A deterministic exec storm: the pacer (pid 2000, child of a shell) forks, the child execs, then exits. */
function* storm(startMs: number): Generator<RawEvent> {
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

/** Normalizes `count` events in batches of 1024 (generated outside the measured spans, kept young as in the agent). */
function run(count: number, n: Normalizer, source: Generator<RawEvent>, clock: { now: number }): { cpuUs: number; docs: number } {
  const batch: RawEvent[] = new Array<RawEvent>(1024);
  let docs = 0;
  let cpuUs = 0;
  for (let done = 0; done < count; done += batch.length) {
    for (let i = 0; i < batch.length; i++) batch[i] = source.next().value as RawEvent;
    const before = process.cpuUsage();
    for (const e of batch) {
      clock.now = e.timeMs;
      if (n.normalize(e) !== null) docs++;
    }
    const used = process.cpuUsage(before);
    cpuUs += used.user + used.system;
  }
  return { cpuUs, docs };
}

function main(): void {
  const host = readHostIdentity('linux');
  const clock = { now: Date.now() };
  const n = new Normalizer({ host, agent: { id: 'bench', version: '0' }, nowMs: () => clock.now });
  const source = storm(clock.now);
  run(100_000, n, source, clock); // JIT warm-up, not measured
  const rows: Array<{ events: number; docs: number; usPerEvent: number; pctCoreAt1600: number }> = [];
  for (let round = 0; round < 3; round++) {
    const { cpuUs, docs } = run(EVENTS, n, source, clock);
    const usPerEvent = cpuUs / docs;
    // an exec storm at 1600 execs/s makes 3.125 raw events per exec (fork, exec, exit, 1/8 connect)
    rows.push({ events: docs, docs, usPerEvent: Math.round(usPerEvent * 1000) / 1000, pctCoreAt1600: Math.round(usPerEvent * 3.125 * RATE / 100) / 100 });
  }
  console.log('normalize-loop: exec-storm raw events through Normalizer.normalize (CPU of this thread)');
  console.log('  round  events   docs     us/event  %core@1600 execs/s');
  rows.forEach((r, i) => console.log(`  ${String(i + 1).padEnd(6)} ${String(r.events).padEnd(8)} ${String(r.docs).padEnd(8)} ${String(r.usPerEvent).padEnd(9)} ${r.pctCoreAt1600}`));
  const best = Math.min(...rows.map((r) => r.usPerEvent));
  console.log(`  best: ${best} us/event; cache ${JSON.stringify(n.stats().cache)}`);
  mkdirSync(dirname(resultPath), { recursive: true });
  writeFileSync(resultPath, JSON.stringify({ bench: 'normalize-loop', when: new Date().toISOString(), node: process.version, rows, bestUsPerEvent: best }, null, 2) + '\n');
}

main();
