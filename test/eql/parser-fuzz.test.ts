import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { compileQuery, EqlError } from '../../src/eql/index.js';
import { corpusQueries, specQueries } from './query-corpus.js';
import { seededRandom } from '../helpers/seeded-random.js';

// Mutates real queries thousands of times: each must compile or throw a positioned EqlError, quickly.
const MUTATIONS = 15_000;
const PER_QUERY_LIMIT_MS = 500;
const FRAGMENTS = [
  '(', ')', '[', ']', '![', '"', '"""', '\\', '`', '?', '~', '*', ',', '|', ':', '==', '!=', '<', '>=', ' and ', ' or ', ' not ',
  ' in ', ' in~ ', ' like~ ', ' regex ', ' where ', ' by ', ' with ', ' maxspan=', ' runs=', ' until ', ' sequence ', ' sample ',
  ' of ', ' as ', ' | head ', ' | tail ', ' | unique ', 'null', 'true', '1', '-1', '1.5e3', '0x', '\n', '/*', '*/', '//', '@',
  'length(', 'between~(', 'concat(', 'cidrMatch(', '"a(b"', '"[z-a]"', '"\\u{110000}"', '\u00e9', '\ud83d', '\0',
];

const EVENTS: EcsEvent[] = [
  {},
  { event: { category: ['process'], type: ['start'] }, process: { name: 'bash', pid: 1, args: ['a', 'b'], parent: { name: 'x' } } },
  { event_type: 'process', process_name: 'cmd.exe', serial_event_id: 5, command_line: 'a b', 'process.name': 'dotted' },
  { event: { category: 'network' }, source: { ip: '10.0.0.1' }, destination: { ip: 'not-an-ip' }, a: [null, [1, 'x'], { b: 2 }], n: null },
  { '@timestamp': '2024-01-01T00:00:00Z', x: true, y: 1.5, z: -0, s: '', u: '\u00e9\ud83d' },
];


function mutate(q: string, r: () => number): string {
  let s = q;
  const steps = 1 + Math.floor(r() * 3);
  for (let k = 0; k < steps; k++) {
    const i = Math.floor(r() * (s.length + 1));
    const j = Math.min(s.length, i + Math.floor(r() * 12));
    switch (Math.floor(r() * 6)) {
      case 0:
        s = s.slice(0, i) + s.slice(j);
        break;
      case 1:
        s = s.slice(0, i) + FRAGMENTS[Math.floor(r() * FRAGMENTS.length)] + s.slice(i);
        break;
      case 2:
        s = s.slice(0, j) + s.slice(i, j) + s.slice(j);
        break;
      case 3:
        s = s.slice(0, i);
        break;
      case 4:
        s = s.slice(0, i) + String.fromCharCode(Math.floor(r() * 128)) + s.slice(j);
        break;
      default:
        s = s.slice(i, j) + s.slice(0, i) + s.slice(j);
    }
  }
  return s;
}

test(`parser fuzz: ${MUTATIONS} mutated queries parse (and evaluate) or fail with a positioned EqlError`, (t) => {
  const seeds = [...specQueries(), ...corpusQueries(), 'process where a == 1', 'sequence [a where b] [c where d]'];
  const r = seededRandom(0x5eed);
  let ok = 0;
  let errors = 0;
  let slowest = 0;
  const started = Date.now();
  for (let n = 0; n < MUTATIONS; n++) {
    const q = mutate(seeds[Math.floor(r() * seeds.length)]!, r);
    const t0 = performance.now();
    let compiled: ReturnType<typeof compileQuery> | undefined;
    try {
      compiled = compileQuery(q);
      ok++;
    } catch (err) {
      if (!(err instanceof EqlError)) assert.fail(`non-EqlError ${String(err)} for query:\n${JSON.stringify(q)}`);
      const d = err.diagnostics[0]!;
      assert.ok(d.line >= 1 && d.column >= 1 && d.offset >= 0 && d.offset <= q.length, `bad position ${JSON.stringify(d)} for ${JSON.stringify(q)}`);
      assert.ok(/^EQL_[A-Z_]+$/.test(d.code), d.code);
      assert.ok(err.message.includes('^'), 'caret line');
      errors++;
    }
    // What compiles must also evaluate without throwing, on events of every shape.
    if (compiled !== undefined) {
      const stages = compiled.kind === 'event' ? [compiled.stage] : compiled.stages;
      for (const stage of stages) {
        for (const e of EVENTS) {
          assert.equal(typeof stage.filter(e), 'boolean', q);
          for (const k of stage.keys) k(e);
        }
      }
    }
    const dt = performance.now() - t0;
    slowest = Math.max(slowest, dt);
    assert.ok(dt < PER_QUERY_LIMIT_MS, `took ${dt.toFixed(0)} ms: ${JSON.stringify(q)}`);
  }
  t.diagnostic(`${ok} compiled, ${errors} rejected with positions, slowest ${slowest.toFixed(1)} ms, total ${Date.now() - started} ms`);
  assert.equal(ok + errors, MUTATIONS);
  assert.ok(ok > 0 && errors > 0);
});

test('parser fuzz: deep nesting and long inputs fail cleanly', () => {
  for (const q of ['process where ' + '('.repeat(5000) + 'a' + ')'.repeat(5000), 'process where ' + 'not '.repeat(5000) + 'a', 'process where ' + '-'.repeat(5000) + '1']) {
    assert.throws(() => compileQuery(q), (err: unknown) => err instanceof EqlError && err.code === 'EQL_SYNTAX');
  }
  const wide = 'process where a in (' + Array.from({ length: 20000 }, (_, i) => `"v${i}"`).join(', ') + ')';
  assert.equal(compileQuery(wide).kind, 'event');
  const long = 'process where ' + Array.from({ length: 2000 }, (_, i) => `f${i} == ${i}`).join(' and ');
  assert.equal(compileQuery(long).kind, 'event');
  const tooLong = 'process where ' + Array.from({ length: 50000 }, (_, i) => `f${i} == ${i}`).join(' or ');
  assert.throws(() => compileQuery(tooLong), (err: unknown) => err instanceof EqlError && /more than 2500 operators/.test(err.message));
});
