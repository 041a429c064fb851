#!/usr/bin/env node
// Runs the benchmarks (compiled to dist/bench/) one after the other; each prints its table and writes
// bench/results/<name>.json. `node scripts/run-bench.mjs -- NAME...` runs only those. Benchmarks that need root
// and the eBPF helper say why they skip. Never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
/** Entry points, cheapest first (the other files in bench/ are their modules and child processes). */
const BENCHES = [
  'rules-load',
  'alerts-insert',
  'normalize-loop',
  'pipeline-loop',
  'eql-match',
  'sequence-seed',
  'exec-storm',
  'agent-latency',
  'agent-resources',
  'agent-vs-bpftrace',
];

const args = process.argv.slice(2);
const sep = args.indexOf('--');
const wanted = sep >= 0 ? args.slice(sep + 1) : args;
const unknown = wanted.filter((w) => !BENCHES.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} (known: ${BENCHES.join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : BENCHES) {
  console.log(`\n=== ${name}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(root, 'dist', 'bench', `${name}.js`)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${name}: exit ${r.status ?? r.signal}`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
