import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import type { CompiledStage } from '../../src/eql/compiled-query.js';
import { runSequenceBatch } from '../../src/sequence/batch.js';
import { SequenceMatcher } from '../../src/sequence/sequence-matcher.js';
import { referenceSequences } from './reference-matcher.js';
import { ids, sequenceQuery, stage, tagIs, tsOf } from './stage-fixtures.js';
import { seededRandom } from '../helpers/seeded-random.js';


const TAGS = ['A', 'B', 'C', 'M', 'U'] as const;

/** A random query (2-4 positive stages, maybe runs, a missing stage, until, maxspan) and a random stream. */
function randomCase(seed: number): { query: ReturnType<typeof sequenceQuery>; events: EcsEvent[]; label: string } {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const keyed = r() < 0.7;
  const optional = keyed && r() < 0.2;
  const keys = keyed ? ['k'] : [];
  const opt = [optional];
  const positives = 2 + Math.floor(r() * 3);
  const stages: CompiledStage[] = [];
  for (let i = 0; i < positives; i++) stages.push(stage({ filter: tagIs(TAGS[i % 3]!), keys, optional: opt, runs: r() < 0.15 ? 2 : 1 }));
  let missingAt = -1;
  if (r() < 0.5) {
    missingAt = Math.floor(r() * (stages.length + 1));
    stages.splice(missingAt, 0, stage({ filter: tagIs('M'), keys, optional: opt, missing: true }));
  }
  const maxspanMs = r() < 0.7 ? pick([3, 5, 10, 20]) : null;
  const until = r() < 0.3 ? stage({ filter: tagIs('U'), keys, optional: opt }) : null;
  const events: EcsEvent[] = [];
  let t = 0;
  const n = 10 + Math.floor(r() * 40);
  for (let i = 1; i <= n; i++) {
    t += r() < 0.2 ? 0 : 1 + Math.floor(r() * 3);
    const e: Record<string, unknown> = { id: i, ts: t, tag: pick(TAGS) };
    if (keyed) {
      const roll = r();
      if (roll < 0.1) e['k'] = ['x', 'y'];
      else if (roll < 0.2) { /* missing key */ } else e['k'] = pick(['x', 'y', 'z']);
    }
    events.push(e as EcsEvent);
  }
  const label = `seed ${seed}: ${stages.length} stages, missing@${missingAt}, maxspan ${maxspanMs}, until ${until !== null}, keyed ${keyed}${optional ? '?' : ''}`;
  return { query: sequenceQuery(stages, { maxspanMs, until }), events, label };
}

test('differential: the streaming matcher equals the literal ES algorithm on 3000 random cases', () => {
  let nonEmpty = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const { query, events, label } = randomCase(seed);
    const expected = referenceSequences(query, events, tsOf);
    const got = runSequenceBatch(query, events, { timestamp: tsOf });
    if (expected.length > 0) nonEmpty++;
    // Sequences ending on the same event (multi-valued keys) have no defined order between them.
    const canon = (hs: typeof got) =>
      hs.map((h) => JSON.stringify([ids([h])[0]!.filter((x) => x >= 0).pop(), ids([h])[0], h.joinKeys])).sort((a, b) => {
        const la = JSON.parse(a)[0] as number;
        const lb = JSON.parse(b)[0] as number;
        return la - lb || (a < b ? -1 : a > b ? 1 : 0);
      });
    assert.deepEqual(canon(got), canon(expected), label);
    // Order by last event holds in both.
    const lasts = (hs: typeof got) => ids(hs).map((l) => l.filter((x) => x >= 0).pop());
    assert.deepEqual(lasts(got), lasts(expected), label);
  }
  assert.ok(nonEmpty > 600, `only ${nonEmpty} cases produced sequences: the generator is too sparse`);
});

test('differential: live push + flush reports the same sequences as batch, with invariants holding', () => {
  for (let seed = 1; seed <= 500; seed++) {
    const { query, events, label } = randomCase(seed);
    const batch = runSequenceBatch(query, events, { timestamp: tsOf });
    const m = new SequenceMatcher(query, { timestamp: tsOf, defaultLifetimeMs: 1e12 });
    const live: { events: ReadonlyArray<EcsEvent | null> }[] = [];
    for (const e of events) {
      live.push(...m.push(e));
      m.checkInvariants();
    }
    live.push(...m.flush());
    const key = (h: { events: ReadonlyArray<EcsEvent | null> }) => JSON.stringify(ids([h]));
    assert.deepEqual(live.map(key).sort(), batch.map(key).sort(), label);
  }
});
