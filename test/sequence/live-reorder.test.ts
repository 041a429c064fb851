import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { ReorderBuffer } from '../../src/normalize/reorder-buffer.js';
import { runSequenceBatch } from '../../src/sequence/batch.js';
import { SequenceMatcher } from '../../src/sequence/sequence-matcher.js';
import { ids, sequenceQuery, stage, tagIs, tsOf } from './stage-fixtures.js';
import { seededRandom } from '../helpers/seeded-random.js';


test('live pipeline: shuffled arrival -> reorder buffer -> matcher finds what the sorted batch finds', () => {
  const hold = 250;
  const query = sequenceQuery([stage({ filter: tagIs('exec'), keys: ['pid'] }), stage({ filter: tagIs('connect'), keys: ['pid'] })], { maxspanMs: 30_000 });
  const rand = seededRandom(99);
  const events: EcsEvent[] = [];
  // 2000 processes; each exec is followed 0-100 ms later by a connect that, from another ring, arrives first.
  for (let p = 0; p < 2000; p++) {
    const t = p * 50;
    events.push({ id: 2 * p, ts: t, tag: 'exec', pid: p } as EcsEvent);
    events.push({ id: 2 * p + 1, ts: t + 1 + Math.floor(rand() * 100), tag: 'connect', pid: p } as EcsEvent);
  }
  const sorted = [...events].sort((a, b) => tsOf(a) - tsOf(b));
  const expected = runSequenceBatch(query, sorted, { timestamp: tsOf });
  assert.equal(expected.length, 2000);

  // Arrival: execs are delayed up to 200 ms (less than the hold), connects arrive on time.
  const arrivals = events.map((e) => ({ e, at: tsOf(e) + (e['tag'] === 'exec' ? 50 + Math.floor(rand() * 150) : 0) }));
  arrivals.sort((a, b) => a.at - b.at);
  const buffer = new ReorderBuffer<EcsEvent>({ timestamp: tsOf, holdMs: hold });
  const matcher = new SequenceMatcher(query, { timestamp: tsOf });
  const got: { events: ReadonlyArray<EcsEvent | null> }[] = [];
  for (const { e, at } of arrivals) {
    for (const r of buffer.push(e, at)) got.push(...matcher.push(r));
    got.push(...matcher.advance(at - hold));
  }
  for (const r of buffer.flush()) got.push(...matcher.push(r));
  assert.deepEqual(ids(got), ids(expected));
  assert.equal(buffer.stats().late, 0);

  // Without the buffer the same arrival order loses the sequences whose connect overtook the exec.
  const direct = new SequenceMatcher(query, { timestamp: tsOf });
  let directHits = 0;
  for (const { e } of arrivals) directHits += direct.push(e).length;
  assert.ok(directHits < 2000, `expected losses without the reorder buffer, got ${directHits}`);
});
