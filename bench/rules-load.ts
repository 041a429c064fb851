/**
 * Rule loading: Elastic's detection-rules corpus (../shared/rule-corpus/detection-rules, ~600 files) through
 * the loader, phase by phase, plus `vigil rules check` end to end as a fresh process, plus the rule index's
 * dispatch cost per event. Prints a table and writes bench/results/rules-load.json.
 */
// An entry point: rule regexes run on V8's linear-time fallback, as under the CLI.
import '../test/helpers/linear-regex-engine.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EcsEvent } from '../src/ecs/ecs-event.js';
import { checkRules } from '../src/rules/check-report.js';
import { compileRule } from '../src/rules/compile-rule.js';
import { isDeprecatedPath, listRuleFiles } from '../src/rules/rule-files.js';
import { loadRules } from '../src/rules/rule-loader.js';
import { RuleSet } from '../src/rules/rule-set.js';
import { readTomlRule } from '../src/rules/toml-rule-reader.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = join(root, '..', 'shared', 'rule-corpus', 'detection-rules');
const RUNS = Number(process.env.BENCH_RUNS ?? '7');

if (!existsSync(corpus)) {
  process.stdout.write(`rules-load: ${corpus} is absent; nothing to measure\n`);
  process.exit(0);
}

function timeRuns(fn: () => void): { medianMs: number; minMs: number; maxMs: number } {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 10) / 10;
  return { medianMs: r(ms[Math.floor(ms.length / 2)]!), minMs: r(ms[0]!), maxMs: r(ms[ms.length - 1]!) };
}

const files = listRuleFiles([corpus]).files;
const texts = files.map((f) => readFileSync(f, 'utf8'));
const reads = files.map((f, i) => readTomlRule(f, texts[i]!, isDeprecatedPath(f)));

const rows: Array<{ case: string; medianMs: number; minMs: number; maxMs: number; note: string }> = [];
const add = (name: string, note: string, fn: () => void): void => {
  rows.push({ case: name, ...timeRuns(fn), note });
};

add('list files (recursive walk)', `${files.length} files`, () => void listRuleFiles([corpus]));
add('read + parse TOML + build metadata', `${files.length} files`, () => {
  for (let i = 0; i < files.length; i++) readTomlRule(files[i]!, readFileSync(files[i]!, 'utf8'), false);
});
const runnable = reads.filter((r) => r.kind === 'rule');
add('compile EQL queries', `${runnable.length} queries`, () => {
  for (const r of runnable) if (r.kind === 'rule') compileRule(r);
});
const full = loadRules([corpus]);
add('loadRules (all phases)', `${full.rules.length} ok, ${full.errors.length} error, ${full.skipped.length} skipped`, () => void loadRules([corpus]));
add('RuleSet.load {os: linux} (agent path, + index)', `${RuleSet.load([corpus], { os: 'linux' }).rules.length} rules for linux`, () => void RuleSet.load([corpus], { os: 'linux' }));
add('checkRules linux (+ coverage per rule)', 'what `vigil rules check` computes', () => void checkRules([corpus], 'linux'));

// End to end, as a user runs it: a fresh node process, module loading included.
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
add('`vigil rules check --format json` (fresh process)', 'wall time incl. node startup', () => {
  const r = spawnSync(process.execPath, [cli, 'rules', 'check', '--format', 'json', '--os', 'linux', corpus], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`rules check exited ${r.status}: ${r.stderr}`);
});

// Index dispatch: how many stages an event visits, and the cost of finding them.
const set = RuleSet.load([corpus], { os: 'linux' });
const shapes: EcsEvent[] = [
  { event: { category: ['process'], type: ['start'], action: 'exec' } },
  { event: { category: ['process'], type: ['start'], action: 'fork' } },
  { event: { category: ['process'], type: ['end'], action: 'end' } },
  { event: { category: ['network'], type: ['start'], action: 'connection_attempted' } },
  { event: { category: ['network'], type: ['start'], action: 'connection_accepted' } },
];
const visits = shapes.map((e) => `${(e['event'] as { action: string }).action}: ${set.candidates(e).stages.length}`).join(', ');
const LOOKUPS = 1_000_000;
const t = process.hrtime.bigint();
for (let i = 0; i < LOOKUPS; i++) set.candidates(shapes[i % shapes.length]!);
const lookupNs = Number(process.hrtime.bigint() - t) / LOOKUPS;

const result = {
  corpus,
  files: files.length,
  runs: RUNS,
  rows,
  index: { stages: set.index.size, visitsPerEventShape: visits, lookupNs: Math.round(lookupNs), stats: set.index.stats },
};
const w = Math.max(...rows.map((r) => r.case.length));
process.stdout.write(`${'case'.padEnd(w)}  median ms    min    max  note\n`);
for (const r of rows) process.stdout.write(`${r.case.padEnd(w)}  ${String(r.medianMs).padStart(9)}  ${String(r.minMs).padStart(5)}  ${String(r.maxMs).padStart(5)}  ${r.note}\n`);
process.stdout.write(`index: ${set.index.size} stages of ${set.rules.length} rules; stages visited per event: ${visits}; lookup ${Math.round(lookupNs)} ns/event\n`);
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'rules-load.json'), JSON.stringify(result, null, 2) + '\n');
