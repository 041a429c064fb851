import type { EcsEvent } from '../ecs/ecs-event.js';
import type { CompiledSampleQuery } from '../eql/compiled-query.js';
import type { SequenceHit } from './batch.js';
import { sequenceKeysOf } from './sequence-key.js';

/** Join key -> per stage, the positions of the first matching events (at most `cap` each). */
interface KeyCandidates {
  readonly values: readonly unknown[];
  readonly perStage: number[][];
}

/**
 * `sample by k [q1] [q2] ...` (hunt mode): for each join key, up to `maxSamplesPerKey` samples, each made of
 * one event per filter, all distinct, in any time order (ES `SampleIterator`): the first matching events of
 * each filter are the candidates, and a backtracking pick keeps the events distinct. Keys come out in
 * ascending order of their values (ES composite aggregation order: null first, numbers, then strings).
 */
export function collectSamples(query: CompiledSampleQuery, events: readonly EcsEvent[], maxSamplesPerKey: number): SequenceHit[] {
  const stages = query.stages;
  const n = stages.length;
  const perSample = Math.max(1, Math.floor(maxSamplesPerKey));
  // Enough candidates per stage for every sample even when one event matches every filter.
  const cap = perSample * n;
  const keyToCandidates = new Map<string, KeyCandidates>();
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    for (let s = 0; s < n; s++) {
      const stage = stages[s]!;
      if (!stage.filter(event)) continue;
      for (const key of sequenceKeysOf(stage, event)) {
        let entry = keyToCandidates.get(key.id);
        if (entry === undefined) {
          entry = { values: key.values, perStage: Array.from({ length: n }, () => []) };
          keyToCandidates.set(key.id, entry);
        }
        const list = entry.perStage[s]!;
        if (list.length < cap) list.push(i);
      }
    }
  }
  const entries = [...keyToCandidates.values()].filter((e) => e.perStage.every((l) => l.length > 0));
  entries.sort((a, b) => compareKeyValues(a.values, b.values));
  const hits: SequenceHit[] = [];
  for (const entry of entries) {
    for (let k = 0; k < perSample; k++) {
      const picked: number[] = [];
      if (!pick(entry.perStage, 0, picked)) break;
      for (let s = 0; s < n; s++) {
        const list = entry.perStage[s]!;
        list.splice(list.indexOf(picked[s]!), 1);
      }
      hits.push({ joinKeys: entry.values, events: picked.map((i) => events[i]!) });
    }
  }
  return hits;
}

/** Backtracking: one candidate per stage, all distinct, earliest first. */
function pick(perStage: number[][], stage: number, picked: number[]): boolean {
  if (stage === perStage.length) return true;
  for (const candidate of perStage[stage]!) {
    if (picked.includes(candidate)) continue;
    picked.push(candidate);
    if (pick(perStage, stage + 1, picked)) return true;
    picked.pop();
  }
  return false;
}

const TYPE_RANK: Record<string, number> = { object: 0, boolean: 1, number: 2, bigint: 2, string: 3 };

function compareValue(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const ra = TYPE_RANK[typeof a] ?? 4;
  const rb = TYPE_RANK[typeof b] ?? 4;
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function compareKeyValues(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValue(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
