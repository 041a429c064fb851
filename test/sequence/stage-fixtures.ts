import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { compileFieldGetter } from '../../src/ecs/field-getter.js';
import type { CompiledSampleQuery, CompiledSequenceQuery, CompiledStage } from '../../src/eql/compiled-query.js';

/** Hand-built compiled stages (no parser needed): a predicate plus join-key fields. */
export interface StageSpec {
  readonly filter: (e: EcsEvent) => boolean;
  readonly keys?: readonly string[];
  readonly optional?: readonly boolean[];
  readonly missing?: boolean;
  readonly runs?: number;
}

export function stage(spec: StageSpec): CompiledStage {
  const keys = spec.keys ?? [];
  return {
    filter: spec.filter,
    category: null,
    constraints: {},
    fields: [],
    gate: null,
    keys: keys.map((k) => compileFieldGetter(k)),
    keyNames: keys,
    keyOptional: keys.map((_, i) => spec.optional?.[i] ?? false),
    missing: spec.missing ?? false,
    runs: spec.runs ?? 1,
  };
}

/** `[any where tag == "x"]` */
export const tagIs =
  (tag: string) =>
  (e: EcsEvent): boolean =>
    e['tag'] === tag;

export function sequenceQuery(stages: readonly CompiledStage[], opts: { maxspanMs?: number | null; until?: CompiledStage | null } = {}): CompiledSequenceQuery {
  return { kind: 'sequence', text: '(hand-built)', pipes: [], fields: [], stages, until: opts.until ?? null, maxspanMs: opts.maxspanMs ?? null };
}

export function sampleQuery(stages: readonly CompiledStage[]): CompiledSampleQuery {
  return { kind: 'sample', text: '(hand-built)', pipes: [], fields: [], stages };
}

export const tsOf = (e: EcsEvent): number => e['ts'] as number;

/** Events `{id, ts, tag, ...extra}` from compact rows. */
export function ev(id: number, tag: string, extra: Record<string, unknown> = {}, ts = id): EcsEvent {
  return { id, ts, tag, ...extra } as EcsEvent;
}

/** The ids of each hit, -1 for a missing-event placeholder (the conformance files' convention). */
export function ids(hits: readonly { events: ReadonlyArray<EcsEvent | null> }[]): number[][] {
  return hits.map((h) => h.events.map((e) => (e === null ? -1 : (e['id'] as number))));
}
