import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { CompileContext } from '../../src/eql/compile-context.js';
import { closureFilter } from '../../src/eql/compile-filter-source.js';
import { checkQuery } from '../../src/eql/checker.js';
import { compileQuery, EqlError } from '../../src/eql/index.js';
import { parseQuery } from '../../src/eql/parser.js';
import { deriveGate, gateFilter, stageGateStats } from '../../src/eql/stage-gate.js';
import { seededRandom } from '../helpers/seeded-random.js';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Gate fields and others, with few values each so that verdicts are remembered and reused. */
const GATED = ['process.name', 'process.executable', 'process.parent.name', 'process.ai_agent.is_descendant'];
const OTHER = ['process.args', 'process.command_line', 'user.name', 'n'];
const STRINGS = ['curl', 'CURL', 'bash', 'node', '/usr/bin/curl', '/tmp/x', 'python3', '', 'true', '1', 'stra\u00dfe', 'STRASSE'];
const VALUES: unknown[] = [...STRINGS, 1, 0, 1.5, true, false, null, ['curl', 'bash'], ['x'], { a: 1 }];

function value(r: Rand): unknown {
  return r() < 0.7 ? pick(r, STRINGS) : pick(r, VALUES);
}

function doc(r: Rand): EcsEvent {
  const d: Record<string, unknown> = { event: { category: pick(r, [['process'], 'process', ['network']]) } };
  const set = (path: string, v: unknown): void => {
    const parts = path.split('.');
    let o = d;
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[parts[parts.length - 1]!] = v;
  };
  for (const f of [...GATED, ...OTHER]) if (r() < 0.7) set(f, value(r));
  if (r() < 0.05) d['process.name'] = pick(r, STRINGS); // a literal dotted key, read by the same getter
  return d as EcsEvent;
}

function atom(r: Rand): string {
  const f = pick(r, r() < 0.6 ? GATED : OTHER);
  const lit = (): string => JSON.stringify(pick(r, STRINGS));
  switch (Math.floor(r() * 10)) {
    case 0: return `${f} == ${lit()}`;
    case 1: return `${f} != ${lit()}`;
    case 2: return `${f} in (${lit()}, ${lit()})`;
    case 3: return `${f} in~ (${lit()})`;
    case 4: return `${f} : "*${pick(r, STRINGS).slice(0, 2)}*"`;
    case 5: return `${f} like~ ("${pick(r, STRINGS).slice(0, 3)}*", ${lit()})`;
    case 6: return `startsWith~(${f}, ${lit()})`;
    case 7: return `${f} == ${pick(r, ['true', 'false', 'null', '1'])}`;
    case 8: return `${f} != null`;
    default: return `${f} == ${pick(r, GATED)}`; // two fields in one comparison
  }
}

function condition(r: Rand, depth: number): string {
  const x = r();
  if (depth <= 0 || x < 0.3) return atom(r);
  if (x < 0.45) return `not (${condition(r, depth - 1)})`;
  const n = 2 + Math.floor(r() * 3);
  return `(${Array.from({ length: n }, () => condition(r, depth - 1)).join(r() < 0.5 ? ' and ' : ' or ')})`;
}

test('a gated filter agrees with the filter on every event, verdicts remembered or not (600 fuzzed conditions)', () => {
  const r = seededRandom(20261205);
  const docs = Array.from({ length: 300 }, () => doc(r));
  let queries = 0;
  let held = 0;
  let gated = 0;
  const before = { ...stageGateStats };
  for (let q = 0; queries < 600 && q < 6000; q++) {
    const text = `${pick(r, ['process', 'any'])} where ${condition(r, 3)}`;
    let ast;
    try {
      ast = parseQuery(text);
      checkQuery(text, ast);
    } catch (err) {
      if (err instanceof EqlError) continue;
      throw err;
    }
    if (ast.kind !== 'event') continue;
    queries++;
    const ctx = new CompileContext(text, 'event.category', '@timestamp');
    const reference = closureFilter(ctx, ast.filter.category, ast.filter.condition);
    const filter = gateFilter(deriveGate(ctx, ast.filter.condition), reference);
    if (filter !== reference) gated++;
    // twice over, the second time in another order: the remembered verdicts are read back
    for (const round of [docs, [...docs].reverse()]) {
      for (const d of round) {
        const want = reference(d);
        assert.equal(filter(d), want, `${text}\n${JSON.stringify(d)}`);
        if (want) held++;
      }
    }
  }
  assert.equal(queries, 600);
  assert.ok(gated > 300, `only ${gated} of 600 conditions gated`);
  assert.ok(held > 5000, `only ${held} matches`);
  assert.ok(stageGateStats.rejected - before.rejected > 10_000, 'the gates rejected too few events to be tested');
  assert.ok(stageGateStats.notMemoizable - before.notMemoizable > 1000, 'arrays and objects in gate fields not exercised');
});

test('the gate memo stays bounded: emptied when full, counted, verdicts still right', () => {
  const text = 'process where process.name : "a*" and process.command_line : "*x*"';
  const q = compileQuery(text);
  assert.equal(q.kind, 'event');
  if (q.kind !== 'event') return;
  const clears = stageGateStats.memoClears;
  for (let i = 0; i < 10_000; i++) {
    const name = `${i % 2 === 0 ? 'a' : 'b'}${i}`;
    const e = { event: { category: ['process'] }, process: { name, command_line: i % 3 === 0 ? 'x' : 'y' } } as EcsEvent;
    assert.equal(q.stage.filter(e), name.startsWith('a') && i % 3 === 0);
  }
  assert.ok(stageGateStats.memoClears - clears >= 2, 'a memo of 4096 verdicts must have been emptied at least twice');
});

test('the bundled kind of rule is gated on image names: an unrelated program never runs the whole filter', () => {
  const text = `process where event.type == "start" and (
    (process.args in ("--yolo", "-y") and (process.name in ("gemini", "gemini.exe") or
      (process.name == "node" and process.args : "*@google/gemini-cli*"))) or
    (process.command_line : "*--sandbox danger-full-access*" and process.executable : "*/codex*"))`;
  const q = compileQuery(text);
  if (q.kind !== 'event') throw new Error('event query expected');
  const e = (name: string, args: string[], executable = `/usr/bin/${name}`): EcsEvent =>
    ({ event: { category: ['process'], type: ['start'] }, process: { name, executable, args, command_line: args.join(' ') } }) as EcsEvent;
  const rejected = stageGateStats.rejected;
  assert.equal(q.stage.filter(e('exec-nop', ['--yolo'])), false);
  assert.equal(q.stage.filter(e('exec-nop', ['--yolo'])), false);
  assert.equal(stageGateStats.rejected - rejected, 2, 'rejected by the gate (name and executable), not by the filter');
  assert.equal(q.stage.filter(e('gemini', ['gemini', '--yolo'])), true);
  assert.equal(q.stage.filter(e('node', ['node', '/x/@google/gemini-cli/index.js', '-y'])), true);
  assert.equal(q.stage.filter(e('node', ['node', 'server.js', '-y'])), false);
  assert.equal(q.stage.filter(e('codex', ['codex', '--sandbox', 'danger-full-access'], '/opt/codex/bin/codex')), true);
});
