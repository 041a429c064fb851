import type { CompiledStage } from '../eql/compiled-query.js';
import { SequenceError } from './sequence-error.js';

/**
 * A sequence query's stages after `with runs=N` is expanded (a stage with runs=3 becomes three consecutive
 * stages), with the positive / missing layout precomputed so that the hot path does no searching.
 */
export interface StagePlan {
  /** Expanded stage count (the length of every result's `events`). */
  readonly size: number;
  /** Per expanded stage: the compiled stage it is a copy of. */
  readonly stages: readonly CompiledStage[];
  /** The distinct compiled stages (their filters run once per event), in query order. */
  readonly sources: readonly CompiledStage[];
  /** Per source: the expanded stage indices it feeds, highest first (an event visits later stages first). */
  readonly expandedOf: readonly (readonly number[])[];
  /** Per expanded stage: a missing-event stage `![...]`. */
  readonly missing: readonly boolean[];
  readonly firstPositive: number;
  readonly lastPositive: number;
  /** Per expanded stage: the nearest positive stage before it, or -1. */
  readonly previousPositive: readonly number[];
  /** Per expanded stage: the nearest positive stage after it, or -1. */
  readonly nextPositive: readonly number[];
  /** Stage 0 is a missing stage (leading `![...]`). */
  readonly hasLeading: boolean;
  /** The last stage is a missing stage (trailing `![...]`). */
  readonly hasTrailing: boolean;
  /** Per expanded stage: 'positive' | 'leading' | 'middle' | 'trailing'. */
  readonly role: readonly StageRole[];
  /**
   * Per source: its join keys can be read before its filter runs, because it can only extend sequences
   * already in flight (keyed, positive, never the first positive stage). An event whose key has no partial
   * sequence at the previous stage skips the filter (ES likewise narrows later stages to in-flight keys).
   */
  readonly keyFirst: readonly boolean[];
}

export const STAGE_ROLES = ['positive', 'leading', 'middle', 'trailing'] as const;
export type StageRole = (typeof STAGE_ROLES)[number];

export function buildStagePlan(sources: readonly CompiledStage[]): StagePlan {
  if (sources.length === 0) throw new SequenceError('SEQ_BAD_QUERY', 'a sequence needs at least one stage');
  const stages: CompiledStage[] = [];
  const expandedOf: number[][] = [];
  for (const source of sources) {
    const runs = Math.max(1, Math.floor(source.runs));
    const indices: number[] = [];
    for (let r = 0; r < runs; r++) {
      indices.push(stages.length);
      stages.push(source);
    }
    expandedOf.push(indices.reverse());
  }
  const size = stages.length;
  const missing = stages.map((s) => s.missing);
  const firstPositive = missing.indexOf(false);
  const lastPositive = missing.lastIndexOf(false);
  if (firstPositive < 0) throw new SequenceError('SEQ_BAD_QUERY', 'a sequence needs at least one stage that is not a missing-event stage');
  const previousPositive: number[] = [];
  const nextPositive: number[] = [];
  let prev = -1;
  for (let i = 0; i < size; i++) {
    previousPositive.push(prev);
    if (!missing[i]) prev = i;
  }
  let next = -1;
  for (let i = size - 1; i >= 0; i--) {
    nextPositive[i] = next;
    if (!missing[i]) next = i;
  }
  const role: StageRole[] = stages.map((_, i) =>
    !missing[i] ? 'positive' : i < firstPositive ? 'leading' : i > lastPositive ? 'trailing' : 'middle',
  );
  const keyFirst = sources.map(
    (source, i) => source.keys.length > 0 && expandedOf[i]!.every((st) => !missing[st] && st !== firstPositive),
  );
  return {
    keyFirst,
    size,
    stages,
    sources,
    expandedOf,
    missing,
    firstPositive,
    lastPositive,
    previousPositive,
    nextPositive,
    hasLeading: missing[0] === true,
    hasTrailing: missing[size - 1] === true,
    role,
  };
}
