import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SequenceMatcher } from '../../src/sequence/sequence-matcher.js';
import { OwnerLedger } from '../../src/sequence/owner-ledger.js';
import { ev, ids, sequenceQuery, stage, tagIs, tsOf } from './stage-fixtures.js';

const twoStage = () =>
  sequenceQuery([stage({ filter: tagIs('A'), keys: ['k'] }), stage({ filter: tagIs('B'), keys: ['k'] })], { maxspanMs: 60_000 });
const user = (id: string) => ({ user: { id } });

test('fair eviction: a flood of first stages by one user evicts its own partial sequences, not a pending one of another user', () => {
  const m = new SequenceMatcher(twoStage(), { timestamp: tsOf, maxInFlight: 100 });
  m.push(ev(1, 'A', { k: 'victim', ...user('0') }));
  for (let i = 0; i < 5000; i++) m.push(ev(2 + i, 'A', { k: `flood${i}`, ...user('65534') }));
  assert.equal(m.inFlight, 100);
  assert.equal(m.stats().evicted, 4901);
  m.checkInvariants();
  assert.deepEqual(ids(m.push(ev(9000, 'B', { k: 'victim', ...user('0') }))), [[1, 9000]], 'the other user\'s sequence survived the flood');
  // Inside the flooding user, the oldest go first: the newest flood sequences still complete.
  assert.deepEqual(ids(m.push(ev(9001, 'B', { k: 'flood4999', ...user('65534') }))), [[5001, 9001]]);
  assert.deepEqual(m.push(ev(9002, 'B', { k: 'flood0', ...user('65534') })), []);
  m.checkInvariants();
});

test('fair eviction: between owners of equal weight, eviction still takes the owner\'s oldest; extension keeps ownership', () => {
  const stages = [0, 1, 2].map((i) => stage({ filter: tagIs(`S${i}`), keys: ['k'] }));
  const m = new SequenceMatcher(sequenceQuery(stages, { maxspanMs: 60_000 }), { timestamp: tsOf, maxInFlight: 4 });
  m.push(ev(1, 'S0', { k: 'a1', ...user('a') }));
  m.push(ev(2, 'S0', { k: 'a2', ...user('a') }));
  m.push(ev(3, 'S0', { k: 'b1', ...user('b') }));
  m.push(ev(4, 'S1', { k: 'a1', ...user('a') })); // a1 moves to stage 1, still a's
  m.push(ev(5, 'S0', { k: 'b2', ...user('b') }));
  m.checkInvariants();
  m.push(ev(6, 'S0', { k: 'b3', ...user('b') })); // b now holds 3: b1 (its oldest) is evicted
  assert.equal(m.stats().evicted, 1);
  m.checkInvariants();
  assert.deepEqual(m.push(ev(7, 'S1', { k: 'b1', ...user('b') })), []);
  assert.deepEqual(ids([...m.push(ev(8, 'S2', { k: 'a1', ...user('a') }))]), [[1, 4, 8]]);
  m.checkInvariants();
});

test('owner ledger: the heaviest owner is found as counts rise and fall', () => {
  const ledger = new OwnerLedger();
  const seq = (owner: string) => ({ owner, state: 'partial' }) as never;
  const a = [seq('a'), seq('a'), seq('a')];
  const b = [seq('b'), seq('b')];
  for (const s of [...a, ...b]) ledger.enter(s, true);
  assert.equal(ledger.victim(), a[0]);
  ledger.leave(a[0]!);
  (a[0]! as { state: string }).state = 'dead';
  ledger.leave(a[1]!);
  (a[1]! as { state: string }).state = 'dead';
  assert.equal(ledger.victim(), b[0]);
  assert.deepEqual(ledger.counts(), [['b', 2], ['a', 1]]);
  for (const s of [a[2]!, ...b]) ledger.leave(s);
  assert.equal(ledger.size, 0);
  assert.equal(ledger.victim(), undefined);
});
