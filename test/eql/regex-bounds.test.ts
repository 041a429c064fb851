import '../helpers/linear-regex-engine.js';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileLuceneRegex, LuceneRegexError, MAX_REGEX_EXPANSION, MAX_REGEX_NESTING, translateLucene } from '../../src/eql/lucene-regex.js';
import { cliPath, projectRoot } from '../helpers/agent-process.js';

/** Issue 19, defect 6: a regex `rules check` accepted pinned the live agent on one 3000-character argument. */
const HOSTILE = '[a-z]{1,1000}[a-z]{1,1000}[a-z]{1,1000}[a-z]{1,1000}b';
const dir = mkdtempSync(join(tmpdir(), 'vigil-regex-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('regex bounds: the issue\'s pattern is refused at compile time, naming its expansion and the limit', () => {
  assert.throws(
    () => compileLuceneRegex(HOSTILE, false),
    (err: unknown) => err instanceof LuceneRegexError && /bounded time: .* ways to match \(limit 100000\)/.test(err.message),
  );
});

test('regex bounds: expansion counts repeat counts and alternatives', () => {
  const rows: Array<[string, number]> = [
    ['abc', 1],
    ['[a-z]{1,1000}', 1000],
    ['[a-z]{1,300}[a-z]{1,300}', 90_000],
    ['(a|b|c)', 3],
    ['(a|aa){1,3}', 2 + 4 + 8],
    ['x?y?', 4],
  ];
  for (const [p, w] of rows) assert.equal(translateLucene(p, false).expansion, w, p);
  // Refused unless V8's linear engine runs it: repeated alternatives explode ((a|a){1,30} is 2^31 ways).
  for (const p of ['(a|a){1,30}', '[a-z]{1,400}[a-z]{1,400}', HOSTILE]) {
    assert.ok(translateLucene(p, false).expansion > MAX_REGEX_EXPANSION, p);
    assert.throws(() => compileLuceneRegex(p, false), LuceneRegexError, p);
  }
  // Accepted patterns stay fast on a long hostile input.
  for (const p of ['[a-z]{1,300}[a-z]{1,300}b', '[a-z]{1,17}b', '(a|b){1,16}c']) {
    const m = compileLuceneRegex(p, false);
    const t0 = performance.now();
    assert.equal(m('a'.repeat(3000)), false, p);
    assert.ok(performance.now() - t0 < 200, `${p}: ${performance.now() - t0} ms`);
  }
});

test('regex bounds: group nesting is bounded (no stack overflow on 5000 parentheses)', () => {
  assert.equal(compileLuceneRegex('('.repeat(MAX_REGEX_NESTING) + 'a' + ')'.repeat(MAX_REGEX_NESTING), false)('a'), true);
  for (const n of [MAX_REGEX_NESTING + 1, 4999]) {
    assert.throws(
      () => compileLuceneRegex('('.repeat(n) + 'a' + ')'.repeat(n), false),
      (err: unknown) => err instanceof LuceneRegexError && /nested deeper than 32/.test(err.message),
    );
  }
});

test('regex bounds: `vigil rules check` reports the hostile regex as an error with its position', () => {
  const file = join(dir, 'redos.eql');
  writeFileSync(file, `// name: ReDoS\nprocess where process.args regex "${HOSTILE}"\n`);
  const r = spawnSync(process.execPath, [cliPath, 'rules', 'check', '--format', 'json', '--os', 'linux', file], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 1, r.stderr);
  const row = (JSON.parse(r.stdout) as { rules: Array<{ status: string; diagnostics: Array<{ code: string; message: string; line: number; column: number }> }> }).rules[0]!;
  assert.equal(row.status, 'error');
  assert.equal(row.diagnostics[0]!.code, 'EQL_REGEX');
  assert.match(row.diagnostics[0]!.message, /ways to match \(limit 100000\)/);
  assert.equal(row.diagnostics[0]!.line, 2);
});

/**
 * The EQL engine embedded in a process that did not switch V8's linear fallback on (a fresh `node`, no flags):
 * importing it sets no V8 flag, and the compile-time bounds still hold (unbounded and nested repeats are
 * refused, bounded ones run); once the entry point enables the engine, the same pattern runs in linear time.
 */
test('regex bounds: embedded without the linear engine, importing sets no V8 flag and unbounded repeats are refused', () => {
  const src = (m: string): string => pathToFileURL(join(projectRoot, 'dist', 'src', 'eql', m)).href;
  const script = `
    const { compileQuery } = await import(${JSON.stringify(src('index.js'))});
    const { compileLuceneRegex } = await import(${JSON.stringify(src('lucene-regex.js'))});
    const { enableLinearRegexEngine, linearRegexFallback } = await import(${JSON.stringify(src('linear-regex-engine.js'))});
    const out = {};
    try { new RegExp('a', 'l'); out.lFlag = true; } catch { out.lFlag = false; }
    out.fallback = linearRegexFallback();
    try { compileLuceneRegex('(a*)*b', false); out.nested = 'accepted'; } catch (e) { out.nested = e.message; }
    try { compileQuery('process where process.name regex ".*x"'); out.query = 'accepted'; } catch (e) { out.query = e.message; }
    const bounded = compileLuceneRegex('[a-z]{1,16}b', false);
    let t0 = performance.now();
    out.bounded = [bounded('a'.repeat(3000)), bounded('abcb'), performance.now() - t0];
    enableLinearRegexEngine();
    out.fallbackAfter = linearRegexFallback();
    const m = compileLuceneRegex('(a*)*b', false);
    t0 = performance.now();
    out.linear = [m('a'.repeat(20000)), performance.now() - t0];
    console.log(JSON.stringify(out));
  `;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000, env });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    lFlag: boolean; fallback: boolean; nested: string; query: string; bounded: [boolean, boolean, number]; fallbackAfter: boolean; linear: [boolean, number];
  };
  assert.equal(out.lFlag, false, 'importing the EQL engine set a V8 flag');
  assert.equal(out.fallback, false);
  assert.match(out.nested, /cannot be matched in bounded time/);
  assert.match(out.query, /cannot be matched in bounded time/);
  assert.deepEqual(out.bounded.slice(0, 2), [false, true]);
  assert.ok(out.bounded[2] < 200, `bounded pattern: ${out.bounded[2]} ms`);
  assert.equal(out.fallbackAfter, true);
  assert.equal(out.linear[0], false);
  assert.ok(out.linear[1] < 2000, `(a*)*b after enabling: ${out.linear[1]} ms`);
});
