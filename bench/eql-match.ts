/**
 * Benchmark: EQL matching over 1M generated Defend-shaped ECS events (bench/eql-events.ts), split into JSON
 * parsing and matching, plus `vigil hunt` end to end from an NDJSON file. Prints a table and writes
 * bench/results/eql-match.json.
 *
 *   node dist/bench/eql-match.js [--events 1000000] [--runs 3]
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { runHunt } from '../src/cli/hunt.js';
import type { EcsEvent } from '../src/ecs/ecs-event.js';
import { compileQuery, parseQuery, renderExpr, type CompiledEventQuery } from '../src/eql/index.js';
import { generateDefendEvents } from './eql-events.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const EVENTS = arg('events', 1_000_000);
const RUNS = arg('runs', 3);

interface Row {
  readonly measure: string;
  readonly eventsPerSec: number;
  readonly target: number | null;
  readonly matches: number;
  readonly ms: number;
}

/** Best of RUNS timings of fn (which returns a match count). */
function best(fn: () => number): { ms: number; matches: number } {
  let ms = Infinity;
  let matches = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    matches = fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, matches };
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
  const add = (measure: string, ms: number, matches: number, target: number | null, n = EVENTS): void => {
    rows.push({ measure, eventsPerSec: Math.round(n / (ms / 1000)), target, matches, ms: Math.round(ms) });
  };

  const events = generateDefendEvents(EVENTS, 1);
  const lines = events.map((e) => JSON.stringify(e));
  const ndjsonBytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);

  // 1. JSON parsing alone, as a streaming reader does it (each object dropped after use).
  const parse = best(() => {
    let n = 0;
    for (let i = 0; i < lines.length; i++) if ((JSON.parse(lines[i]!) as EcsEvent).event !== undefined) n++;
    return n;
  });
  add('JSON.parse (NDJSON line -> object)', parse.ms, parse.matches, null);
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
  const s = best(() => count(simple));
  add('match: process where process.name == "base64"', s.ms, s.matches, 1_000_000);
  const sd = best(() => count(seed));
  add('match: seed rule, first stage', sd.ms, sd.matches, 300_000);

  // 3. End to end: `vigil hunt` (read NDJSON file, parse, timestamp, filter, sort, print) of the seed's first stage.
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  try {
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const io = { stdin: (async function* () {})(), stdout: { write: () => true }, stderr: { write: () => true, isTTY: false } };
    let e2eMs = Infinity;
    let hits = 0;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const summary = await runHunt({ query: seedText, events: file }, io);
      e2eMs = Math.min(e2eMs, performance.now() - t0);
      hits = summary.hits;
    }
    add('end to end: vigil hunt <seed stage 1> --events file.ndjson', e2eMs, hits, 150_000);
    let e2eSimple = Infinity;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const summary = await runHunt({ query: 'process where process.name == "base64"', events: file }, io);
      e2eSimple = Math.min(e2eSimple, performance.now() - t0);
      hits = summary.hits;
    }
    add('end to end: vigil hunt <simple equality> --events file.ndjson', e2eSimple, hits, 150_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const table = rows.map((r) => ({
    measure: r.measure,
    'events/s': r.eventsPerSec.toLocaleString('en-US'),
    target: r.target === null ? '' : `>= ${r.target.toLocaleString('en-US')}`,
    ok: r.target === null ? '' : r.eventsPerSec >= r.target ? 'yes' : 'NO',
    matches: r.matches,
    ms: r.ms,
  }));
  console.log(`EQL match benchmark: ${EVENTS.toLocaleString('en-US')} events, ${(ndjsonBytes / 1048576).toFixed(0)} MiB NDJSON, best of ${RUNS}, node ${process.version}, one core`);
  console.table(table);
  const outDir = join(root, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'eql-match.json'), JSON.stringify({ events: EVENTS, ndjsonBytes, runs: RUNS, node: process.version, date: new Date().toISOString(), rows }, null, 2) + '\n');
}

await main();
