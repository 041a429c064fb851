/**
 * Alert flood through the live agent (real eBPF): exec-pacer runs `exec-nop vigil-storm TOKEN N` at RATE/s for
 * SECONDS under `vigil run` with one rule that matches every one of them, flood folding off (every alert its
 * own row). Reports alerts stored per second, commit latency (stored time minus event time: avg, p99, max),
 * commits, and the machine's load average (this box is shared: the latency needs the CPU it is sized for).
 * Prints a table and writes bench/results/alert-flood.json. Needs root.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EbpfCollector } from '../src/collectors/linux/ebpf-collector.js';
import { alertLatencies, runExecPacer } from '../test/helpers/exec-pacer.js';
import { startMarkerAgent } from '../test/helpers/marker-agent.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RATE = Number(process.env.BENCH_RATE ?? '1000');
const SECONDS = Number(process.env.BENCH_SECONDS ?? '10');

async function once(run: number) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-flood-'));
  const token = `vigil-flood-bench-${process.pid}-${run}`;
  const m = await startMarkerAgent(dir, token);
  try {
    const load = loadavg()[0]!;
    const t0 = Date.now();
    const pacer = await runExecPacer(RATE, SECONDS, token);
    await m.until(() => m.stored() >= pacer.spawned, 60_000);
    const lat = alertLatencies(m.db);
    const lastStored = lat.count;
    return {
      run,
      rate: RATE,
      seconds: SECONDS,
      execs: pacer.spawned,
      achievedExecsPerSec: Math.round(pacer.achieved),
      stored: lastStored,
      storedPerSec: Math.round(lastStored / ((Date.now() - t0) / 1000)),
      commits: m.status()['alertStore']['commits'] as number,
      latencyAvgMs: lat.avgMs,
      latencyP99Ms: lat.p99Ms,
      latencyMaxMs: lat.maxMs,
      loadAverage: Math.round(load * 10) / 10,
      cores: availableParallelism(),
    };
  } finally {
    await m.agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const reason = await EbpfCollector.probe();
  if (reason !== null) {
    console.log(`alert-flood: skipped: ${reason}`);
    return;
  }
  const rows = [await once(1), await once(2)];
  console.table(rows);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'alert-flood.json'), JSON.stringify({ bench: 'alert-flood', date: new Date().toISOString(), rows }, null, 2) + '\n');
}

await main();
