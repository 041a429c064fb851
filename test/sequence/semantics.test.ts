import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { runSampleBatch, runSequenceBatch } from '../../src/sequence/batch.js';
import { ev, ids, sampleQuery, sequenceQuery, stage, tagIs, tsOf } from './stage-fixtures.js';

const run = (q: ReturnType<typeof sequenceQuery>, events: EcsEvent[]) => runSequenceBatch(q, events, { timestamp: tsOf });

// Table-driven: [name, events as (id, tag, key), expected ids]. Times are the ids unless given.
type Row = readonly [string, readonly (readonly [number, string, string?])[], number[][]];
const toEvents = (rows: Row[1]) => rows.map(([id, tag, k]) => ev(id, tag, k === undefined ? {} : { k }));

test('maxspan is measured from the first event; equal to maxspan still matches', () => {
  const q = sequenceQuery([stage({ filter: tagIs('A') }), stage({ filter: tagIs('B') }), stage({ filter: tagIs('C') })], { maxspanMs: 10 });
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(5, 'B'), ev(11, 'C')])), [[1, 5, 11]]);
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(5, 'B'), ev(12, 'C')])), []);
  // Each step within maxspan of the previous one is not enough.
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(9, 'B'), ev(17, 'C')])), []);
});

const untilRows: Row[] = [
  ['until of the key between the stages drops the sequence', [[1, 'A', 'x'], [2, 'U', 'x'], [3, 'B', 'x']], []],
  ['until of another key does not', [[1, 'A', 'x'], [2, 'U', 'y'], [3, 'B', 'x']], [[1, 3]]],
  ['until after completion changes nothing', [[1, 'A', 'x'], [2, 'B', 'x'], [3, 'U', 'x']], [[1, 2]]],
  ['a sequence started after the until is fine', [[1, 'A', 'x'], [2, 'U', 'x'], [3, 'A', 'x'], [4, 'B', 'x']], [[3, 4]]],
  ['until drops partial sequences at every stage', [[1, 'A', 'x'], [2, 'B', 'x'], [3, 'U', 'x'], [4, 'C', 'x']], []],
];
for (const [name, rows, expected] of untilRows) {
  test(`until: ${name}`, () => {
    const q = sequenceQuery(
      [stage({ filter: tagIs('A'), keys: ['k'] }), stage({ filter: tagIs('B'), keys: ['k'] }), ...(name.includes('every stage') ? [stage({ filter: tagIs('C'), keys: ['k'] })] : [])],
      { until: stage({ filter: tagIs('U'), keys: ['k'] }) },
    );
    assert.deepEqual(ids(run(q, toEvents(rows))), expected);
  });
}

test('runs: a stage with runs=3 needs three distinct events, most recent wins', () => {
  const q = sequenceQuery([stage({ filter: tagIs('A'), runs: 3 }), stage({ filter: tagIs('B') })]);
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(2, 'A'), ev(3, 'A'), ev(4, 'B')])), [[1, 2, 3, 4]]);
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(2, 'A'), ev(3, 'B')])), []);
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(2, 'A'), ev(3, 'A'), ev(4, 'A'), ev(5, 'B')])), [[2, 3, 4, 5]]);
  // runs=2 on both stages of the same predicate: one event never fills two stages.
  const q2 = sequenceQuery([stage({ filter: tagIs('A'), runs: 2 })]);
  assert.deepEqual(ids(run(q2, [ev(1, 'A'), ev(2, 'A'), ev(3, 'A')])), [[1, 2], [2, 3]]);
});

test('missing event in the middle: rejects when it occurs strictly between its neighbours', () => {
  const q = sequenceQuery([stage({ filter: tagIs('A') }), stage({ filter: tagIs('M'), missing: true }), stage({ filter: tagIs('B') })], { maxspanMs: 100 });
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(2, 'B')])), [[1, -1, 2]]);
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(2, 'M'), ev(3, 'B')])), []);
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(2, 'M'), ev(3, 'A'), ev(4, 'B')])), [[3, -1, 4]]);
  // Same timestamp as a neighbour is not "between".
  assert.deepEqual(ids(run(q, [ev(1, 'A', {}, 10), ev(2, 'M', {}, 10), ev(3, 'B', {}, 20)])), [[1, -1, 3]]);
  assert.deepEqual(ids(run(q, [ev(1, 'A', {}, 10), ev(2, 'M', {}, 20), ev(3, 'B', {}, 20)])), [[1, -1, 3]]);
});

test('missing event in the middle: a doomed sequence keeps its place as the most recent (ES)', () => {
  const q = sequenceQuery([
    stage({ filter: tagIs('A') }),
    stage({ filter: tagIs('M'), missing: true }),
    stage({ filter: tagIs('B') }),
    stage({ filter: tagIs('C') }),
  ]);
  // A1 B2 forms (1,-,2); A3 M4 B5 forms the doomed (3,-,5), the most recent at stage B: C6 takes it, nothing reported.
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(2, 'B'), ev(3, 'A'), ev(4, 'M'), ev(5, 'B'), ev(6, 'C')])), []);
});

test('missing events: keys of the missing stage must equal the sequence key', () => {
  const q = sequenceQuery(
    [stage({ filter: tagIs('A'), keys: ['k'] }), stage({ filter: tagIs('M'), keys: ['k'], missing: true }), stage({ filter: tagIs('B'), keys: ['k'] })],
    { maxspanMs: 100 },
  );
  assert.deepEqual(ids(run(q, [ev(1, 'A', { k: 'x' }), ev(2, 'M', { k: 'y' }), ev(3, 'B', { k: 'x' })])), [[1, -1, 3]]);
  assert.deepEqual(ids(run(q, [ev(1, 'A', { k: 'x' }), ev(2, 'M', { k: 'x' }), ev(3, 'B', { k: 'x' })])), []);
});

test('leading missing event: rejects when it fits with the sequence within maxspan', () => {
  const q = sequenceQuery([stage({ filter: tagIs('M'), missing: true }), stage({ filter: tagIs('A') })], { maxspanMs: 10 });
  assert.deepEqual(ids(run(q, [ev(5, 'A')])), [[-1, 5]]);
  assert.deepEqual(ids(run(q, [ev(1, 'M'), ev(5, 'A')])), []);
  assert.deepEqual(ids(run(q, [ev(1, 'M'), ev(20, 'A')])), [[-1, 20]]);
  // Without maxspan any earlier missing event rejects.
  const open = sequenceQuery([stage({ filter: tagIs('M'), missing: true }), stage({ filter: tagIs('A') })]);
  assert.deepEqual(ids(run(open, [ev(1, 'M'), ev(1000, 'A')])), []);
});

test('trailing missing event: rejects when it occurs within maxspan of the start', () => {
  const q = sequenceQuery([stage({ filter: tagIs('A') }), stage({ filter: tagIs('B') }), stage({ filter: tagIs('M'), missing: true })], { maxspanMs: 10 });
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(3, 'B')])), [[1, 3, -1]]);
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(3, 'B'), ev(8, 'M')])), []);
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(3, 'B'), ev(11, 'M')])), []);
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(3, 'B'), ev(12, 'M')])), [[1, 3, -1]]);
  // Before the last positive event does not count.
  assert.deepEqual(ids(run(q, [ev(1, 'A'), ev(2, 'M'), ev(3, 'B')])), [[1, 3, -1]]);
});

test('leading and trailing missing events together (ES verdict)', () => {
  const q = sequenceQuery(
    [stage({ filter: tagIs('M'), missing: true }), stage({ filter: tagIs('A') }), stage({ filter: tagIs('M'), missing: true })],
    { maxspanMs: 10 },
  );
  assert.deepEqual(ids(run(q, [ev(5, 'A')])), [[-1, 5, -1]]);
  // No leading event: accepted whatever follows.
  assert.deepEqual(ids(run(q, [ev(5, 'A'), ev(6, 'M')])), [[-1, 5, -1]]);
  // Leading at 1 and trailing at 8 fit in 10: rejected; trailing at 12 does not fit: accepted.
  assert.deepEqual(ids(run(q, [ev(1, 'M'), ev(5, 'A'), ev(8, 'M')])), []);
  assert.deepEqual(ids(run(q, [ev(1, 'M'), ev(5, 'A'), ev(12, 'M')])), [[-1, 5, -1]]);
  // Leading only, no trailing event: accepted.
  assert.deepEqual(ids(run(q, [ev(1, 'M'), ev(5, 'A')])), [[-1, 5, -1]]);
});

test('optional join keys: null is a value; required keys must be present', () => {
  const opt = sequenceQuery([stage({ filter: tagIs('A'), keys: ['k'], optional: [true] }), stage({ filter: tagIs('B'), keys: ['k'], optional: [true] })]);
  const hits = run(opt, [ev(1, 'A'), ev(2, 'B')]);
  assert.deepEqual(ids(hits), [[1, 2]]);
  assert.deepEqual(hits[0]!.joinKeys, [null]);
  assert.deepEqual(ids(run(opt, [ev(1, 'A', { k: null }), ev(2, 'B', { k: 'x' })])), []);
  const req = sequenceQuery([stage({ filter: tagIs('A'), keys: ['k'] }), stage({ filter: tagIs('B'), keys: ['k'] })]);
  assert.deepEqual(ids(run(req, [ev(1, 'A'), ev(2, 'B')])), []);
  assert.deepEqual(ids(run(req, [ev(1, 'A', { k: null }), ev(2, 'B', { k: null })])), []);
  // Types matter: the string "1" and the number 1 are different keys.
  assert.deepEqual(ids(run(req, [ev(1, 'A', { k: 1 }), ev(2, 'B', { k: '1' })])), []);
  // Two keys, one optional: [null, 123] joins.
  const mixed = sequenceQuery([
    stage({ filter: tagIs('A'), keys: ['e', 'pid'], optional: [true, false] }),
    stage({ filter: tagIs('B'), keys: ['e', 'pid'], optional: [true, false] }),
  ]);
  const m = run(mixed, [ev(1, 'A', { pid: 123 }), ev(2, 'B', { pid: 123 })]);
  assert.deepEqual(m.map((h) => h.joinKeys), [[null, 123]]);
});

test('multi-valued join keys: each value is its own key (cartesian product for several), ascending key order', () => {
  const q = sequenceQuery([stage({ filter: tagIs('A'), keys: ['tags'] }), stage({ filter: tagIs('B'), keys: ['tags'] })]);
  const both = run(q, [ev(1, 'A', { tags: ['foo', 'bar'] }), ev(2, 'B', { tags: ['foo', 'bar'] })]);
  assert.deepEqual(ids(both), [[1, 2], [1, 2]]);
  assert.deepEqual(both.map((h) => h.joinKeys), [['bar'], ['foo']]);
  assert.deepEqual(run(q, [ev(1, 'A', { tags: ['foo', 'bar'] }), ev(2, 'B', { tags: 'bar' })]).map((h) => h.joinKeys), [['bar']]);
  const two = sequenceQuery([stage({ filter: tagIs('A'), keys: ['name', 'tags'] }), stage({ filter: tagIs('B'), keys: ['name', 'tags'] })]);
  const e = { name: ['a', 'b'], tags: ['foo', 'bar'] };
  assert.deepEqual(run(two, [ev(1, 'A', e), ev(2, 'B', e)]).map((h) => h.joinKeys), [['a', 'bar'], ['a', 'foo'], ['b', 'bar'], ['b', 'foo']]);
});

test('per-stage by keys join positionally (query by + stage by)', () => {
  const q = sequenceQuery([stage({ filter: tagIs('A'), keys: ['host', 'pid'] }), stage({ filter: tagIs('B'), keys: ['host', 'ppid'] })]);
  const hits = run(q, [ev(1, 'A', { host: 'h', pid: 7 }), ev(2, 'B', { host: 'h', ppid: 8 }), ev(3, 'B', { host: 'h', ppid: 7 })]);
  assert.deepEqual(ids(hits), [[1, 3]]);
  assert.deepEqual(hits[0]!.joinKeys, ['h', 7]);
});

test('sample: one event per filter, distinct, any time order, keys ascending', () => {
  const q = sampleQuery([stage({ filter: tagIs('A'), keys: ['k'] }), stage({ filter: tagIs('B'), keys: ['k'] })]);
  const events = [ev(1, 'B', { k: 2 }), ev(2, 'A', { k: 2 }), ev(3, 'A', { k: 1 }), ev(4, 'B', { k: 1 }), ev(5, 'A', { k: 3 })];
  const hits = runSampleBatch(q, events, { timestamp: tsOf });
  assert.deepEqual(ids(hits), [[3, 4], [2, 1]]);
  assert.deepEqual(hits.map((h) => h.joinKeys), [[1], [2]]);
});

test('sample: maxSamplesPerKey gives distinct combinations (events reused across samples), never one event twice in a sample', () => {
  const q = sampleQuery([stage({ filter: tagIs('A'), keys: ['k'] }), stage({ filter: tagIs('B'), keys: ['k'] })]);
  const events = [ev(1, 'A', { k: 1 }), ev(2, 'A', { k: 1 }), ev(3, 'B', { k: 1 }), ev(4, 'B', { k: 1 }), ev(5, 'B', { k: 1 })];
  assert.deepEqual(ids(runSampleBatch(q, events, { timestamp: tsOf })), [[1, 3]]);
  assert.deepEqual(ids(runSampleBatch(q, events, { timestamp: tsOf, maxSamplesPerKey: 5 })), [[1, 3], [1, 4], [1, 5], [2, 3], [2, 4]]);
  assert.equal(runSampleBatch(q, events, { timestamp: tsOf, maxSamplesPerKey: 100 }).length, 6, 'all 2 x 3 combinations, no more');
  const either = (e: EcsEvent) => e['tag'] === 'A' || e['tag'] === 'AB';
  const q2 = sampleQuery([stage({ filter: either, keys: ['k'] }), stage({ filter: (e) => e['tag'] === 'AB', keys: ['k'] })]);
  assert.deepEqual(ids(runSampleBatch(q2, [ev(1, 'AB', { k: 1 })], { timestamp: tsOf })), []);
  assert.deepEqual(ids(runSampleBatch(q2, [ev(1, 'AB', { k: 1 }), ev(2, 'A', { k: 1 })], { timestamp: tsOf })), [[2, 1]]);
});
