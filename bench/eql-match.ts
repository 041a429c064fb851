/**
 * Benchmark: EQL matching over 1M generated Defend-shaped ECS events (bench/eql-events.ts), split into JSON
 * parsing and matching, plus `vigil hunt` end to end from an NDJSON file. Prints a table and writes
 * bench/results/eql-match.json.
 *
 *   node dist/bench/eql-match.js [--events 1000000] [--runs 3] [--e2e-runs 2]
 */
// An entry point: rule regexes run on V8's linear-time fallback, as under the CLI.
import '../test/helpers/linear-regex-engine.js';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { execFileSync } from 'node:child_process';
import type { EcsEvent } from '../src/ecs/ecs-event.js';
import { compileQuery, parseQuery, renderExpr, type CompiledEventQuery } from '../src/eql/index.js';
import { generateDefendEvents } from './eql-events.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const EVENTS = arg('events', 1_000_000);
const RUNS = arg('runs', 3);
/** End-to-end runs read the whole file each time: fewer of them keeps the benchmark under two minutes. */
const E2E_RUNS = arg('e2e-runs', 2);

interface Row {
  readonly measure: string;
  /** Per CPU second of this process (user + system): the one-core rate, whatever else runs on the machine. */
  readonly eventsPerSec: number;
  /** Per wall-clock second (depends on the machine's load). */
  readonly wallEventsPerSec: number;
  readonly target: number | null;
  readonly matches: number;
  readonly ms: number;
}

/** CPU milliseconds (user + system) of this process since `from`: robust to other load on a shared machine. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

/** Best of `runs` timings of fn (which returns a match count), in CPU time and wall time. */
async function best(runs: number, fn: () => number | Promise<number>): Promise<{ ms: number; wallMs: number; matches: number }> {
  let ms = Infinity;
  let wallMs = Infinity;
  let matches = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    matches = await fn();
    wallMs = Math.min(wallMs, performance.now() - t0);
    ms = Math.min(ms, cpuMs(c0));
  }
  return { ms, wallMs, matches };
}

function seedFirstStage(): string {
  const dir = join(root, '..', 'shared', 'seed');
  const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.toml')) : undefined;
  if (file === undefined) throw new Error(`seed rule not found in ${dir}`);
  const rule = parseToml(readFileSync(join(dir, file), 'utf8')) as { rule: { query: string } };
  const q = parseQuery(rule.rule.query);
  if (q.kind !== 'sequence') throw new Error('seed rule is not a sequence');
  const stage = q.stages[0]!.filter;
  return `${stage.category ?? 'any'} where ${renderExpr(stage.condition)}`;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const add = (measure: string, t: { ms: number; wallMs: number; matches: number }, target: number | null): void => {
    rows.push({
      measure, eventsPerSec: Math.round(EVENTS / (t.ms / 1000)), wallEventsPerSec: Math.round(EVENTS / (t.wallMs / 1000)),
      target, matches: t.matches, ms: Math.round(t.ms),
    });
  };

  const events = generateDefendEvents(EVENTS, 1);
  const lines = events.map((e) => JSON.stringify(e));
  events.length = 0;
  const ndjsonBytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);

  // 1. JSON parsing alone, as a streaming reader does it (each object dropped after use).
  add('JSON.parse (NDJSON line -> object)', await best(RUNS, () => {
    let n = 0;
    for (let i = 0; i < lines.length; i++) if ((JSON.parse(lines[i]!) as EcsEvent).event !== undefined) n++;
    return n;
  }), null);
  const parsed: EcsEvent[] = lines.map((l) => JSON.parse(l) as EcsEvent);

  // 2. Matching alone, over parsed events.
  const simple = compileQuery('process where process.name == "base64"') as CompiledEventQuery;
  const seedText = seedFirstStage();
  const seed = compileQuery(seedText) as CompiledEventQuery;
  const count = (q: CompiledEventQuery): number => {
    const f = q.stage.filter;
    let n = 0;
    for (let i = 0; i < parsed.length; i++) if (f(parsed[i]!)) n++;
    return n;
  };
  count(simple);
  count(seed); // warm-up
  add('match: process where process.name == "base64"', await best(RUNS, () => count(simple)), 1_000_000);
  add('match: seed rule, first stage', await best(RUNS, () => count(seed)), 300_000);
  parsed.length = 0;

  // 3. End to end: `vigil hunt`'s code path (read the NDJSON file, parse, filter, order, print) in a fresh process.
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  try {
    const file = join(dir, 'events.ndjson');
    const fd = openSync(file, 'w');
    for (let i = 0; i < lines.length; i += 10_000) writeSync(fd, lines.slice(i, i + 10_000).join('\n') + '\n');
    closeSync(fd);
    lines.length = 0;
    const e2e = (query: string): { ms: number; wallMs: number; matches: number } => {
      const out = execFileSync(process.execPath, [join(here, 'eql-hunt-e2e.js'), file, query, String(E2E_RUNS)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const r = JSON.parse(out) as { cpuMs: number; wallMs: number; hits: number; events: number };
      if (r.events !== EVENTS) throw new Error(`end to end read ${r.events} events, expected ${EVENTS}`);
      return { ms: r.cpuMs, wallMs: r.wallMs, matches: r.hits };
    };
    add('end to end: vigil hunt <seed stage 1> --events file.ndjson', e2e(seedText), 150_000);
    add('end to end: vigil hunt <simple equality> --events file.ndjson', e2e('process where process.name == "base64"'), 150_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const table = rows.map((r) => ({
    measure: r.measure,
    'events/s (CPU)': r.eventsPerSec.toLocaleString('en-US'),
    'events/s (wall)': r.wallEventsPerSec.toLocaleString('en-US'),
    target: r.target === null ? '' : `>= ${r.target.toLocaleString('en-US')}`,
    ok: r.target === null ? '' : r.eventsPerSec >= r.target ? 'yes' : 'NO',
    matches: r.matches,
    'CPU ms': r.ms,
  }));
  console.log(`EQL match benchmark: ${EVENTS.toLocaleString('en-US')} events, ${(ndjsonBytes / 1048576).toFixed(0)} MiB NDJSON, best of ${RUNS} (end to end: ${E2E_RUNS}), node ${process.version}, one core, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.table(table);
  const outDir = join(root, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'eql-match.json'), JSON.stringify({ events: EVENTS, ndjsonBytes, runs: RUNS, e2eRuns: E2E_RUNS, loadAverage: loadavg(), node: process.version, date: new Date().toISOString(), rows }, null, 2) + '\n');
}

await main();
