import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceMatcher } from '../../src/sequence/sequence-matcher.js';
import { ev, ids, sequenceQuery, stage, tagIs, tsOf } from './stage-fixtures.js';

const twoStage = (opts: { maxspanMs?: number | null } = {}) =>
  sequenceQuery([stage({ filter: tagIs('A'), keys: ['k'] }), stage({ filter: tagIs('B'), keys: ['k'] })], opts);

test('live: push returns each completed sequence once', () => {
  const m = new SequenceMatcher(twoStage({ maxspanMs: 1000 }), { timestamp: tsOf });
  assert.deepEqual(m.push(ev(1, 'A', { k: 'x' })), []);
  assert.deepEqual(ids(m.push(ev(2, 'B', { k: 'x' }))), [[1, 2]]);
  assert.deepEqual(m.push(ev(3, 'B', { k: 'x' })), []);
  assert.equal(m.stats().completed, 1);
  assert.equal(m.inFlight, 0);
  m.checkInvariants();
});

test('live: the clock expires state after maxspan without any event', () => {
  const m = new SequenceMatcher(twoStage({ maxspanMs: 1000 }), { timestamp: tsOf });
  for (let i = 0; i < 50; i++) m.push(ev(i, 'A', { k: `p${i}` }, 0));
  assert.equal(m.inFlight, 50);
  m.advance(1000);
  assert.equal(m.inFlight, 50, 'at exactly maxspan a match is still possible');
  m.advance(1001);
  assert.equal(m.inFlight, 0);
  assert.equal(m.stats().expired, 50);
  assert.deepEqual(m.sizes(), { partial: 0, pending: 0, keys: 0, leadingKeys: 0, startOrder: 0 });
  m.checkInvariants();
});

test('live: without maxspan the configured default lifetime applies', () => {
  const m = new SequenceMatcher(twoStage(), { timestamp: tsOf, defaultLifetimeMs: 5000 });
  m.push(ev(1, 'A', { k: 'x' }, 0));
  m.advance(5000);
  assert.equal(m.inFlight, 1);
  m.advance(5001);
  assert.equal(m.inFlight, 0);
  assert.equal(m.stats().expired, 1);
  assert.deepEqual(m.push(ev(2, 'B', { k: 'x' }, 5002)), []);
});

test('live: the in-flight cap evicts the oldest partial sequence first, counted', () => {
  const m = new SequenceMatcher(twoStage({ maxspanMs: 60_000 }), { timestamp: tsOf, maxInFlight: 3 });
  for (let i = 1; i <= 5; i++) m.push(ev(i, 'A', { k: `p${i}` }));
  assert.equal(m.inFlight, 3);
  assert.equal(m.stats().evicted, 2);
  assert.equal(m.stats().peakInFlight, 3);
  m.checkInvariants();
  assert.deepEqual(m.push(ev(6, 'B', { k: 'p1' })), [], 'p1 was the oldest: evicted');
  assert.deepEqual(ids(m.push(ev(7, 'B', { k: 'p5' }))), [[5, 7]]);
  m.checkInvariants();
});

test('live: most recent wins per key counts the superseded sequences, memory stays flat', () => {
  const m = new SequenceMatcher(twoStage({ maxspanMs: 60_000 }), { timestamp: tsOf });
  for (let i = 1; i <= 1000; i++) m.push(ev(i, 'A', { k: 'same' }));
  assert.equal(m.inFlight, 1);
  assert.equal(m.stats().superseded, 999);
  assert.ok(m.sizes().startOrder <= 2 * 1 + 1024);
  assert.deepEqual(ids(m.push(ev(1001, 'B', { k: 'same' }))), [[1000, 1001]]);
});

test('live: a trailing missing-event verdict is reported when the clock passes maxspan', () => {
  const q = sequenceQuery([stage({ filter: tagIs('A') }), stage({ filter: tagIs('M'), missing: true })], { maxspanMs: 100 });
  const m = new SequenceMatcher(q, { timestamp: tsOf });
  assert.deepEqual(m.push(ev(1, 'A', {}, 0)), []);
  assert.equal(m.inFlight, 1);
  assert.deepEqual(m.advance(100), []);
  assert.deepEqual(ids(m.advance(101)), [[1, -1]]);
  assert.equal(m.inFlight, 0);
  // And rejected when the missing event does occur in time.
  assert.deepEqual(m.push(ev(2, 'A', {}, 200)), []);
  assert.deepEqual(m.push(ev(3, 'M', {}, 250)), []);
  assert.deepEqual(m.advance(1000), []);
  assert.equal(m.stats().rejectedMissing, 1);
});

test('live: maxspan rejection and until are counted', () => {
  const q = sequenceQuery([stage({ filter: tagIs('A'), keys: ['k'] }), stage({ filter: tagIs('B'), keys: ['k'] })], {
    maxspanMs: 10,
    until: stage({ filter: tagIs('U'), keys: ['k'] }),
  });
  const m = new SequenceMatcher(q, { timestamp: tsOf, defaultLifetimeMs: 1e9 });
  m.push(ev(1, 'A', { k: 'x' }, 0));
  m.push(ev(2, 'U', { k: 'x' }, 1));
  assert.equal(m.stats().rejectedUntil, 1);
  m.push(ev(3, 'A', { k: 'y' }, 2));
  m.push(ev(4, 'B', { k: 'y' }, 30));
  // Expired by the watermark before the B was matched.
  assert.equal(m.stats().expired, 1);
  assert.equal(m.inFlight, 0);
  m.checkInvariants();
});

test('live: sequences waiting for a trailing verdict are capped too (earliest deadline evicted, counted)', () => {
  const q = sequenceQuery([stage({ filter: tagIs('A'), keys: ['k'] }), stage({ filter: tagIs('M'), keys: ['k'], missing: true })], { maxspanMs: 1000 });
  const m = new SequenceMatcher(q, { timestamp: tsOf, maxInFlight: 2 });
  for (let i = 1; i <= 4; i++) m.push(ev(i, 'A', { k: `p${i}` }));
  assert.equal(m.sizes().pending, 2);
  assert.equal(m.stats().evicted, 2);
  assert.deepEqual(ids(m.advance(5000)), [[3, -1], [4, -1]]);
  assert.equal(m.inFlight, 0);
});

test('key-first: a later stage filter runs only for keys with a sequence in flight', () => {
  let calls = 0;
  const counted = (e: Parameters<ReturnType<typeof tagIs>>[0]) => (calls++, e['tag'] === 'B');
  const q = sequenceQuery([stage({ filter: tagIs('A'), keys: ['k'] }), stage({ filter: counted, keys: ['k'] })], { maxspanMs: 1000 });
  const m = new SequenceMatcher(q, { timestamp: tsOf });
  m.push(ev(1, 'A', { k: 'x' }));
  for (let i = 2; i < 100; i++) m.push(ev(i, 'B', { k: `other${i}` }));
  assert.equal(calls, 0);
  assert.deepEqual(ids(m.push(ev(100, 'B', { k: 'x' }))), [[1, 100]]);
  assert.equal(calls, 1);
  // Multi-valued keys take the general path and still find the waiting key.
  m.push(ev(101, 'A', { k: 'y' }));
  assert.deepEqual(ids(m.push(ev(102, 'B', { k: ['z', 'y'] }))), [[101, 102]]);
});
