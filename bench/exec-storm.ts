/**
 * Exec storm: a C driver (native/linux/bench/exec-pacer.c) execs a tiny static program at 100, 400, 1600 and
 * 5000 execs/s while the eBPF collector runs with normalization on (every RawEvent goes through the ECS
 * Normalizer). Reports execs lost (spawned - seen), the kernel's lost-record counter, delivery latency (kernel
 * timestamp -> sink), and the CPU of the helper and of this Node process as % of one core over the storm.
 * Prints a table and writes bench/results/exec-storm.json. Needs root (eBPF); otherwise records why it skipped.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readHostIdentity } from '../src/collectors/host-identity.js';
import { EbpfCollector } from '../src/collectors/linux/ebpf-collector.js';
import type { RawEvent } from '../src/collectors/raw-event.js';
import { Normalizer } from '../src/normalize/normalizer.js';
import { runPacer, type PacerResult } from './pacer-run.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const nativeBuild = join(root, 'native', 'linux', 'build');
const RATES = (process.env.BENCH_RATES ?? '100,400,1600,5000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? '5');
/** BENCH_NORMALIZE=0 measures decode only (the sink drops RawEvents without normalizing). */
const NORMALIZE = process.env.BENCH_NORMALIZE !== '0';
/** BENCH_DRAIN_MS: the helper's drain interval (default: the collector's, 10 ms). */
const DRAIN_MS = process.env.BENCH_DRAIN_MS !== undefined ? Number(process.env.BENCH_DRAIN_MS) : undefined;
const resultPath = join(root, 'bench', 'results', NORMALIZE ? 'exec-storm.json' : 'exec-storm-decode-only.json');

interface Row {
  readonly rate: number;
  readonly achieved: number;
  readonly spawned: number;
  readonly seen: number;
  readonly lostExecs: number;
  readonly kernelLost: number;
  readonly rawEvents: number;
  readonly ecsDocs: number;
  readonly helperCpuPct: number;
  readonly nodeCpuPct: number;
  readonly totalCpuPct: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Time inside Normalizer.normalize per raw event (wall, this process). */
  readonly normalizeUsPerEvent: number;
}

function writeResult(body: object): void {
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(resultPath, JSON.stringify(body, null, 2) + '\n');
}

/** CPU time of a process in ns (schedstat: time on CPU, all threads of the leader's view). */
function cpuNs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return ticks * 1e7;
  }
}

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const r1 = (x: number): number => Math.round(x * 10) / 10;
const r2 = (x: number): number => Math.round(x * 100) / 100;

interface StormResult extends PacerResult {
  /** CPU of the pacer and its children per exec, kernel side included (BPF programs run there). */
  readonly cpu_us_per_exec: number;
}

function runStorm(rate: number, token: string, program: string, seconds = SECONDS): Promise<StormResult> {
  return runPacer<StormResult>(join(nativeBuild, 'exec-pacer'), [String(rate), String(seconds), token, program]);
}

async function main(): Promise<void> {
  const reason = await EbpfCollector.probe();
  if (reason !== null) {
    console.log(`exec-storm: skipped: ${reason}`);
    writeResult({ bench: 'exec-storm', skipped: reason });
    return;
  }
  if (!existsSync(join(nativeBuild, 'exec-pacer')) || !existsSync(join(nativeBuild, 'exec-nop'))) {
    const make = spawnSync('make', ['-C', join(root, 'native', 'linux'), 'bench'], { stdio: 'inherit' });
    if (make.status !== 0) throw new Error('cannot build the exec-pacer driver');
  }
  const program = process.arch === 'x64' ? join(nativeBuild, 'exec-nop') : '/bin/true';

  const host = readHostIdentity('linux');
  const normalizer = new Normalizer({ host, agent: { id: 'bench', version: '0' } });
  let token = '';
  let seen = 0;
  let rawEvents = 0;
  let docs = 0;
  let latencies: number[] = [];
  let normalizeMs = 0;
  const sink = (e: RawEvent): void => {
    rawEvents++;
    if (NORMALIZE) {
      const t = performance.now();
      if (normalizer.normalize(e) !== null) docs++;
      normalizeMs += performance.now() - t;
    }
    if (e.kind === 'exec' && e.process.args?.[2] === token && e.process.args[1] === 'vigil-storm') {
      seen++;
      if (latencies.length < 100_000) latencies.push(Date.now() - e.timeMs);
    }
  };
  // Exec cost (CPU per spawn+exec+exit, kernel side included) without and with the BPF programs attached.
  const COST_RATE = 2000;
  const bareCost = (await runStorm(COST_RATE, 'bare', program, 2)).cpu_us_per_exec;
  const collector = new EbpfCollector(DRAIN_MS !== undefined ? { drainIntervalMs: DRAIN_MS } : {});
  await collector.start(sink);
  const rows: Row[] = [];
  let tracedCost = 0;
  try {
    token = 'warmup';
    await runStorm(1000, 'warmup', program, 1); // JIT warm-up of the decoder and normalizer, not measured
    tracedCost = (await runStorm(COST_RATE, 'traced', program, 2)).cpu_us_per_exec;
    for (const rate of RATES) {
      token = `${rate}-${randomBytes(4).toString('hex')}`;
      seen = 0;
      rawEvents = 0;
      docs = 0;
      latencies = [];
      normalizeMs = 0;
      await new Promise((r) => setTimeout(r, 300));
      const helperPid = collector.helperState().pid!;
      const lost0 = collector.stats().lost;
      const helper0 = cpuNs(helperPid);
      const node0 = process.cpuUsage();
      const t0 = performance.now();
      // Two pacers in parallel above 2000/s: one process alone falls behind when the shared cores are busy.
      const pacers = rate > 2000 ? 2 : 1;
      const parts = await Promise.all(Array.from({ length: pacers }, () => runStorm(rate / pacers, token, program)));
      const pacer = {
        spawned: parts.reduce((n, p) => n + p.spawned, 0),
        achieved: parts.reduce((n, p) => n + p.achieved, 0),
      };
      const drainUntil = performance.now() + 2000;
      while (seen < pacer.spawned && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
      const wallNs = (performance.now() - t0) * 1e6;
      const helperNs = cpuNs(helperPid) - helper0;
      const nodeUse = process.cpuUsage(node0);
      const nodeNs = (nodeUse.user + nodeUse.system) * 1e3;
      latencies.sort((a, b) => a - b);
      rows.push({
        rate,
        achieved: r1(pacer.achieved),
        spawned: pacer.spawned,
        seen,
        lostExecs: pacer.spawned - seen,
        kernelLost: collector.stats().lost - lost0,
        rawEvents,
        ecsDocs: docs,
        helperCpuPct: r2((helperNs / wallNs) * 100),
        nodeCpuPct: r2((nodeNs / wallNs) * 100),
        totalCpuPct: r2(((helperNs + nodeNs) / wallNs) * 100),
        latencyP50Ms: r2(pct(latencies, 50)),
        latencyP99Ms: r2(pct(latencies, 99)),
        normalizeUsPerEvent: r2(rawEvents > 0 ? (normalizeMs * 1000) / rawEvents : 0),
      });
    }
  } finally {
    await collector.stop();
  }

  console.log(`exec-storm: ${SECONDS}s per rate, program ${program}, normalization ${NORMALIZE ? 'on' : 'OFF (decode only)'}, drain ${DRAIN_MS ?? 10} ms, ring 8 MiB`);
  console.table(rows);
  console.log(`exec cost at ${COST_RATE}/s: ${r1(bareCost)} us without the helper, ${r1(tracedCost)} us with it (${r1((tracedCost / bareCost - 1) * 100)}%)`);
  writeResult({
    bench: 'exec-storm',
    when: new Date().toISOString(),
    secondsPerRate: SECONDS,
    program,
    normalization: NORMALIZE,
    drainMs: DRAIN_MS ?? 10,
    cpus: (await import('node:os')).cpus().length,
    loadavg: (await import('node:os')).loadavg(),
    collector: collector.stats(),
    execCostUs: { rate: COST_RATE, withoutHelper: r1(bareCost), withHelper: r1(tracedCost) },
    rows,
  });
}

await main();
