import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { CompileContext } from '../../src/eql/compile-context.js';
import { closureFilter, compileFilterFunction } from '../../src/eql/compile-filter-source.js';
import { checkQuery } from '../../src/eql/checker.js';
import { EqlError } from '../../src/eql/index.js';
import { parseQuery } from '../../src/eql/parser.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { condition, randomEvents, type Rand } from '../conformance/hunt-differential-corpus.js';

/**
 * The generated filter (compile-filter-source.ts) must agree with the closures of compile-expression.ts on
 * every event: fuzzed conditions (nested `not` for the exact three-valued results, `and`/`or` chains for the
 * reordering and the stop at null) over generated events (arrays, numbers as text, literal dotted keys).
 */
function nested(r: Rand, depth: number): string {
  const x = r();
  if (depth <= 0 || x < 0.3) return condition(r, 1);
  if (x < 0.45) return `not (${nested(r, depth - 1)})`;
  const n = 2 + Math.floor(r() * 3);
  return `(${Array.from({ length: n }, () => nested(r, depth - 1)).join(r() < 0.5 ? ' and ' : ' or ')})`;
}

function events(r: Rand): EcsEvent[] {
  const out: EcsEvent[] = [];
  for (const line of randomEvents(r, 400).split('\n')) {
    try {
      const doc: unknown = JSON.parse(line);
      if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) out.push(doc as EcsEvent);
    } catch {
      // the corpus mixes in malformed lines for the hunt tests
    }
  }
  out.push({ event: { category: 'process' }, process: { name: ['curl', null], args: [[1, 'x'], null] } } as unknown as EcsEvent);
  out.push({ event: { category: ['process', 'file'] }, 'process.name': 'curl', process: { 'args': 'curl' } } as unknown as EcsEvent);
  return out;
}

test('generated filters agree with the closures on 500 fuzzed conditions', () => {
  const r = seededRandom(20261204);
  const docs = events(r);
  let agreed = 0;
  let queries = 0;
  let held = 0;
  for (let q = 0; queries < 500 && q < 5000; q++) {
    const category = ['process', 'network', 'file', 'any'][Math.floor(r() * 4)]!;
    const text = `${category} where ${nested(r, 3)}`;
    let ast;
    try {
      ast = parseQuery(text);
      checkQuery(text, ast);
    } catch (err) {
      if (err instanceof EqlError) continue; // the corpus spells some texts EQL refuses (\u0001)
      throw err;
    }
    if (ast.kind !== 'event') continue;
    queries++;
    const make = (): CompileContext => new CompileContext(text, 'event.category', '@timestamp');
    const generated = compileFilterFunction(make(), ast.filter.category, ast.filter.condition);
    const reference = closureFilter(make(), ast.filter.category, ast.filter.condition);
    for (const doc of docs) {
      const want = reference(doc);
      assert.equal(generated(doc), want, `${text}\n${JSON.stringify(doc)}`);
      agreed++;
      if (want) held++;
    }
  }
  // the corpus must exercise both outcomes, not only "false"
  assert.equal(queries, 500, `only ${queries} queries compiled`);
  assert.ok(held > 1000, `only ${held} matches among ${agreed}`);
});

test('generated filters record the fields they read, as the closures do', () => {
  const text = 'process where process.name == "a" and not user.name in ("b") and file.path : "*c"';
  const ast = parseQuery(text);
  assert.equal(ast.kind, 'event');
  if (ast.kind !== 'event') return;
  const [a, b] = [new CompileContext(text, 'event.category', '@timestamp'), new CompileContext(text, 'event.category', '@timestamp')];
  compileFilterFunction(a, ast.filter.category, ast.filter.condition);
  closureFilter(b, ast.filter.category, ast.filter.condition);
  assert.deepEqual([...a.fields].sort(), [...b.fields].sort());
});

test('field names and constants reach the generated code only as data', () => {
  const text = 'any where `a"]; throw 1; //`.`b\\u2028` == "x\\"); throw 2; //" and `__proto__`.x == "y"';
  const ast = parseQuery(text);
  if (ast.kind !== 'event') assert.fail('event query');
  const f = compileFilterFunction(new CompileContext(text, 'event.category', '@timestamp'), ast.filter.category, ast.filter.condition);
  const doc = { 'a"]; throw 1; //': { 'b\u2028': 'x"); throw 2; //' } } as unknown as EcsEvent;
  assert.equal(f(doc), false);
  assert.equal(f({} as EcsEvent), false);
});

test('where code generation is forbidden, filters fall back to the closures with the same results', () => {
  const script = `
    import { compileQuery } from ${JSON.stringify(new URL('../../src/eql/index.js', import.meta.url).href)};
    const q = compileQuery('process where process.name in ("curl", "wget") and not process.args : "*-s*"');
    const yes = { event: { category: ['process'] }, process: { name: 'curl', args: ['curl', 'x'] } };
    const no = { event: { category: ['process'] }, process: { name: 'curl', args: ['curl', '-s'] } };
    let generated = true;
    try { new Function('return 1'); } catch { generated = false; }
    console.log(JSON.stringify({ generated, yes: q.stage.filter(yes), no: q.stage.filter(no) }));
  `;
  const r = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { generated: false, yes: true, no: false });
});
