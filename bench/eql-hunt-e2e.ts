/**
 * Child process of bench/eql-match.ts: runs `vigil hunt`'s code path (runHunt) over an NDJSON file in a fresh
 * process, so the measurement carries no heap from the parent's generated events. Prints one JSON line with
 * the best CPU and wall time of `runs` runs.
 *
 *   node dist/bench/eql-hunt-e2e.js FILE QUERY [RUNS]
 */
// An entry point: rule regexes run on V8's linear-time fallback, as under the CLI.
import '../test/helpers/linear-regex-engine.js';
import { runHunt } from '../src/cli/hunt.js';

const [file, query, runsArg] = process.argv.slice(2);
if (file === undefined || query === undefined) {
  process.stderr.write('usage: eql-hunt-e2e FILE QUERY [RUNS]\n');
  process.exit(2);
}
const io = { stdin: (async function* () {})(), stdout: { write: () => true }, stderr: { write: (s: string) => process.stderr.write(s), isTTY: false } };
let cpuMs = Infinity;
let wallMs = Infinity;
let hits = 0;
let events = 0;
for (let r = 0; r < Number(runsArg ?? 2); r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await runHunt({ query, events: file }, io);
  wallMs = Math.min(wallMs, performance.now() - t0);
  const d = process.cpuUsage(c0);
  cpuMs = Math.min(cpuMs, (d.user + d.system) / 1000);
  hits = summary.hits;
  events = summary.events;
}
process.stdout.write(`${JSON.stringify({ cpuMs, wallMs, hits, events })}\n`);
