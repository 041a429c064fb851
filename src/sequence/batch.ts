/**
 * Batch entry points used by `vigil hunt` (placeholder signatures; the sequence matcher issue fills them in).
 */
import type { EcsEvent } from '../ecs/ecs-event.js';
import type { CompiledSampleQuery, CompiledSequenceQuery } from '../eql/compiled-query.js';

/** One sequence or sample result: `events[i]` is null for a missing-event (`![...]`) placeholder. */
export interface SequenceHit {
  readonly joinKeys: readonly unknown[];
  readonly events: ReadonlyArray<EcsEvent | null>;
}

export interface BatchOptions {
  /** Event time in epoch milliseconds. */
  readonly timestamp: (event: EcsEvent) => number;
  /** `vigil hunt --max-samples-per-key` (sample queries). */
  readonly maxSamplesPerKey?: number;
}

/** Runs a sequence query over events already sorted by (timestamp, tiebreaker). */
export function runSequenceBatch(query: CompiledSequenceQuery, events: readonly EcsEvent[], options: BatchOptions): SequenceHit[] {
  void query; void events; void options;
  throw new Error('sequence matcher not built yet');
}

/** Runs a sample query over events already sorted by (timestamp, tiebreaker). */
export function runSampleBatch(query: CompiledSampleQuery, events: readonly EcsEvent[], options: BatchOptions): SequenceHit[] {
  void query; void events; void options;
  throw new Error('sample matcher not built yet');
}
