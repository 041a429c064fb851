import type { EcsEvent } from '../ecs/ecs-event.js';
import type { CompiledSampleQuery } from '../eql/compiled-query.js';
import type { SequenceHit } from './batch.js';
import { compareKeyValues } from './key-order.js';
import { sequenceKeysOf } from './sequence-key.js';

/** Join key -> per stage, the positions of the first matching events (at most `cap` each). */
interface KeyCandidates {
  readonly values: readonly unknown[];
  readonly perStage: number[][];
}

/**
 * `sample by k [q1] [q2] ...` (hunt mode): for each join key, up to `maxSamplesPerKey` samples, each made of
 * one event per filter, never the same event twice inside one sample, in any time order (ES
 * `SampleIterator`). The samples of a key are distinct combinations, enumerated depth first over each filter's
 * matching events in input order, so one event may serve in several samples of its key: filter-1 events
 * {1, 2, 4} and filter-2 event {3} give (1,3), (2,3), (4,3). Keys come out in ascending order of their values
 * (ES composite aggregation order: null first, numbers, then strings).
 *
 * Memory: per key and filter at most `maxSamplesPerKey + filters - 1` candidates are kept. That is enough
 * for the first N combinations: a candidate the enumeration skips collides with one of the at most
 * `filters - 1` events already picked, and every other one before it yields at least one sample.
 */
export function collectSamples(query: CompiledSampleQuery, events: readonly EcsEvent[], maxSamplesPerKey: number): SequenceHit[] {
  const stages = query.stages;
  const n = stages.length;
  const perKey = Math.max(1, Math.floor(maxSamplesPerKey));
  const cap = perKey + n - 1;
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
    for (const picked of distinctCombinations(entry.perStage, perKey)) {
      hits.push({ joinKeys: entry.values, events: picked.map((i) => events[i]!) });
    }
  }
  return hits;
}

/**
 * Up to `limit` combinations of one candidate per stage, all distinct within a combination, depth first. A
 * branch is entered only when the stages after it can still be completed (a matching of the remaining stages
 * onto unpicked candidates), so the walk never explores a dead subtree: its cost is bounded by the
 * combinations it returns, not by the product of the candidate lists.
 */
function distinctCombinations(perStage: readonly (readonly number[])[], limit: number): number[][] {
  const out: number[][] = [];
  const picked: number[] = [];
  const walk = (stage: number): void => {
    if (stage === perStage.length) {
      out.push([...picked]);
      return;
    }
    for (const candidate of perStage[stage]!) {
      if (out.length >= limit) return;
      if (picked.includes(candidate)) continue;
      picked.push(candidate);
      if (completable(perStage, stage + 1, picked)) walk(stage + 1);
      picked.pop();
    }
  };
  if (completable(perStage, 0, picked)) walk(0);
  return out;
}

/** Whether stages `from..` can each take a distinct candidate outside `picked` (Kuhn's augmenting paths). */
function completable(perStage: readonly (readonly number[])[], from: number, picked: readonly number[]): boolean {
  const n = perStage.length;
  // A list longer than the number of stages always has a free candidate, whatever the others take.
  let tight = false;
  for (let s = from; s < n && !tight; s++) tight = perStage[s]!.length < n;
  if (!tight) return true;
  const owner = new Map<number, number>();
  const assign = (stage: number, seen: Set<number>): boolean => {
    for (const c of perStage[stage]!) {
      if (picked.includes(c) || seen.has(c)) continue;
      seen.add(c);
      const other = owner.get(c);
      if (other === undefined || assign(other, seen)) {
        owner.set(c, stage);
        return true;
      }
    }
    return false;
  };
  for (let s = from; s < n; s++) if (!assign(s, new Set())) return false;
  return true;
}
