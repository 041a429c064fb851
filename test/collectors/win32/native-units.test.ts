import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './win32-fixtures.js';

const cxx = spawnSync('sh', ['-c', 'command -v g++ || command -v clang++'], { encoding: 'utf8' }).stdout.trim().split('\n')[0] ?? '';
const skip = cxx === '' ? 'no host C++ compiler (g++ or clang++)' : false;

test("the addon's platform-neutral C++ (IP text, bounded queue, pid, UDP flow and command line tables, Kernel-File parsing and file tracker) passes its unit test", { skip, timeout: 120_000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-etw-units-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const native = join(projectRoot, 'native', 'win32');
  const exe = join(dir, 'units');
  const sources = ['test/units.cc', 'src/ip-format.cc', 'src/record-queue.cc', 'src/pid-table.cc', 'src/udp-flow-table.cc', 'src/command-line-cache.cc', 'src/kernel-file-parse.cc', 'src/file-tracker.cc'].map((f) => join(native, f));
  const build = spawnSync(cxx, ['-std=c++17', '-O1', '-Wall', '-Wextra', '-Wpedantic', '-Wshadow', '-Wconversion', '-Werror', '-o', exe, ...sources], { encoding: 'utf8' });
  assert.equal(build.status, 0, `compile failed:\n${build.stderr}`);
  const run = spawnSync(exe, [], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /^\d+ checks, 0 failures$/m);
});
