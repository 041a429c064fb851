import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from './project-paths.js';
import { MAX_RULE_DIR_DEPTH } from '../../src/rules/rule-files.js';

/** Issue 19, defect 7: a rules directory with a symlink loop or a FIFO named x.toml hung startup. */
const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface CheckJson {
  rules: Array<{ file: string; status: string; diagnostics: Array<{ code: string; message: string }> }>;
  summary: { skipped_by_reason: Record<string, number> };
}

/** `vigil rules check --format json DIR` in a child with a deadline (a hang is a failure, not a stuck suite). */
function check(path: string): { code: number | null; out: CheckJson | null; stderr: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, [cliPath, 'rules', 'check', '--format', 'json', '--os', 'linux', path], { encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  const timedOut = r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  return { code: r.status, out: r.status !== null && r.stdout !== '' ? (JSON.parse(r.stdout) as CheckJson) : null, stderr: r.stderr, timedOut };
}

const RULE = '// name: Good\nprocess where process.name == "nc"\n';

test('rules directory with a symlink loop (ln -s . d/e/a; ln -s . d/e/b): each directory walked once, the loop reported', () => {
  const root = join(dir, 'loop');
  mkdirSync(join(root, 'd', 'e'), { recursive: true });
  writeFileSync(join(root, 'd', 'e', 'good.eql'), RULE);
  symlinkSync('.', join(root, 'd', 'e', 'a'));
  symlinkSync('.', join(root, 'd', 'e', 'b'));
  const r = check(root);
  assert.equal(r.timedOut, false, 'rules check finished');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.out!.rules.filter((x) => x.status === 'ok').length, 1, 'the rule is loaded once');
  assert.equal(r.out!.summary.skipped_by_reason['SKIP_DIR_LOOP'], 2, 'both loop links reported');
});

test('a FIFO named x.toml is skipped with a diagnostic, never opened; the other rules load', () => {
  const root = join(dir, 'fifo');
  mkdirSync(root);
  writeFileSync(join(root, 'good.eql'), RULE);
  const mk = spawnSync('mkfifo', [join(root, 'x.toml')]);
  assert.equal(mk.status, 0);
  const r = check(root);
  assert.equal(r.timedOut, false, 'rules check finished');
  assert.equal(r.code, 0, r.stderr);
  const fifo = r.out!.rules.find((x) => x.file.endsWith('x.toml'));
  assert.equal(fifo?.status, 'skipped');
  assert.match(fifo!.diagnostics[0]!.message, /a FIFO, not a regular file/);
  assert.equal(r.out!.rules.filter((x) => x.status === 'ok').length, 1);
  // Named explicitly, too.
  const direct = check(join(root, 'x.toml'));
  assert.equal(direct.timedOut, false);
  assert.equal(direct.out!.rules[0]!.status, 'skipped');
});

test('the walk is bounded in depth', () => {
  const root = join(dir, 'deep');
  let p = root;
  for (let i = 0; i <= MAX_RULE_DIR_DEPTH + 1; i++) p = join(p, 'd');
  mkdirSync(p, { recursive: true });
  writeFileSync(join(p, 'deep.eql'), RULE);
  writeFileSync(join(root, 'top.eql'), RULE.replace('Good', 'Top'));
  const r = check(root);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.out!.rules.filter((x) => x.status === 'ok').length, 1);
  assert.equal(r.out!.summary.skipped_by_reason['SKIP_TOO_DEEP'], 1);
});
