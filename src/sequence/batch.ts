/**
 * Batch entry points used by `vigil hunt`: the streaming matchers fed with events already sorted by
 * (timestamp, tiebreaker).
 */
import type { EcsEvent } from '../ecs/ecs-event.js';
import type { CompiledSampleQuery, CompiledSequenceQuery } from '../eql/compiled-query.js';
import { collectSamples } from './sample-collector.js';
import { completionOrder, SequenceMatcher, type CompletedSequence } from './sequence-matcher.js';

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
  /** Cap on in-flight partial sequences (default: unbounded in batch mode, the input is one window). */
  readonly maxInFlight?: number;
}

/**
 * Runs a sequence query over events already sorted by (timestamp, tiebreaker). Returns every completed
 * sequence in Elasticsearch's order (by the ordinal of the last positive event, then ascending join key);
 * `head`/`tail` pipes and the result size are the caller's (hunt's) to apply.
 */
export function runSequenceBatch(query: CompiledSequenceQuery, events: readonly EcsEvent[], options: BatchOptions): SequenceHit[] {
  const matcher = new SequenceMatcher(query, {
    timestamp: options.timestamp,
    defaultLifetimeMs: Infinity,
    maxInFlight: options.maxInFlight ?? Number.MAX_SAFE_INTEGER,
    maxLeadingKeys: Number.MAX_SAFE_INTEGER,
    groupCap: 1,
  });
  const completed: CompletedSequence[] = [];
  for (let i = 0; i < events.length; i++) {
    matcher.pushOrdered(events[i]!, i);
    const done = matcher.take();
    for (const c of done) completed.push(c);
  }
  for (const c of matcher.flush() as CompletedSequence[]) completed.push(c);
  completed.sort(completionOrder);
  return completed.map((c) => ({ joinKeys: c.joinKeys, events: c.events }));
}

/** Runs a sample query over events already sorted by (timestamp, tiebreaker). */
export function runSampleBatch(query: CompiledSampleQuery, events: readonly EcsEvent[], options: BatchOptions): SequenceHit[] {
  return collectSamples(query, events, options.maxSamplesPerKey ?? 1);
}
