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
import type { RawEvent } from '../src/collectors/raw-event.js';
import { Normalizer } from '../src/normalize/normalizer.js';
import { RATE, storm } from './storm-events.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultPath = join(root, 'bench', 'results', 'normalize-loop.json');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 600_000);

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
