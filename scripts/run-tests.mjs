#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with Node's built-in runner.
// Node 20 does not expand globs, so the files are listed here. Extra arguments are passed through
// (e.g. `node scripts/run-tests.mjs --test-name-pattern=parser`), and `-- FILTER` keeps only test
// files whose path contains FILTER.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const testRoot = join(root, 'dist', 'test');

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const sep = args.indexOf('--');
const filters = sep >= 0 ? args.slice(sep + 1) : [];
const nodeArgs = sep >= 0 ? args.slice(0, sep) : args;
let files = collect(testRoot);
if (filters.length > 0) files = files.filter((f) => filters.some((x) => relative(root, f).includes(x)));
if (files.length === 0) {
  console.error('no test files found under dist/test (run `npm run build` first)');
  process.exit(1);
}
const concurrency = process.env.VIGIL_TEST_CONCURRENCY ?? '2';
// No single test may hang the run: each gets at most this long (ms).
const timeout = process.env.VIGIL_TEST_TIMEOUT_MS ?? '180000';
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeout}`, ...nodeArgs, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
