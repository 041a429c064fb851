import type { EcsEvent } from '../ecs/ecs-event.js';
import type { StageGate } from './stage-gate.js';

/**
 * What the EQL compiler hands to everything downstream (the sequence matcher, `vigil hunt`, the rules index,
 * the live agent). Nothing downstream sees the AST except through `source`.
 */

/** A compiled boolean condition; category check included. */
export type EventPredicate = (event: EcsEvent) => boolean;

/**
 * A compiled join-key expression. Returns `undefined` or `null` when the key is missing (see `optional`).
 * Multi-valued keys come back as arrays; the matcher decides how to compare them.
 */
export type KeyGetter = (event: EcsEvent) => unknown;

export interface CompiledStage {
  /** The whole stage condition, `<category> where <condition>`, category check included. */
  readonly filter: EventPredicate;
  /**
   * A necessary condition of `filter` on a few low-cardinality fields (stage-gate.ts), already applied inside
   * `filter`; exposed so that several stages' gates can be checked at once (DocumentDemand). Null: none.
   */
  readonly gate: StageGate | null;
  /** Indexing hint: the event category the stage requires, or null for `any`. */
  readonly category: string | null;
  /**
   * Indexing hints: fields whose value must be one of these constants for the stage to match
   * (e.g. `{"event.action": ["exec"], "event.type": ["start"]}`), derived from top-level `and` terms.
   * Case-sensitive values only. Empty when none can be proven.
   */
  readonly constraints: Readonly<Record<string, readonly string[]>>;
  /**
   * The fields the stage's filter reads (the category field included), as written (`process.args[0]`):
   * what the document must hold for the filter to decide as it would on the whole event.
   */
  readonly fields: readonly string[];
  /** Join keys: the query's `by` keys followed by this stage's own `by` keys, in order. */
  readonly keys: readonly KeyGetter[];
  /** The source text of each join key (`process.entity_id`), parallel to `keys`. */
  readonly keyNames: readonly string[];
  /** Per key: written as an optional field (`?field`). */
  readonly keyOptional: readonly boolean[];
  /** A missing-event stage `![...]`. */
  readonly missing: boolean;
  /** `with runs=N` on this stage; 1 when absent. */
  readonly runs: number;
}

export type Pipe = { readonly kind: 'head' | 'tail'; readonly count: number };

interface CompiledBase {
  /** The original query text. */
  readonly text: string;
  readonly pipes: readonly Pipe[];
  /** Every field path the query reads (for coverage reports and telemetry checks). */
  readonly fields: readonly string[];
}

export interface CompiledEventQuery extends CompiledBase {
  readonly kind: 'event';
  readonly stage: CompiledStage;
}

export interface CompiledSequenceQuery extends CompiledBase {
  readonly kind: 'sequence';
  readonly stages: readonly CompiledStage[];
  readonly until: CompiledStage | null;
  /** `with maxspan=...` in milliseconds, or null when the query has none. */
  readonly maxspanMs: number | null;
}

export interface CompiledSampleQuery extends CompiledBase {
  readonly kind: 'sample';
  readonly stages: readonly CompiledStage[];
}

export type CompiledQuery = CompiledEventQuery | CompiledSequenceQuery | CompiledSampleQuery;

export interface CompileOptions {
  /** The field holding the event category (`event.category`; the conformance data uses `event_type`). */
  readonly categoryField: string;
  /**
   * The event time field (`@timestamp`): comparisons on it read both sides as dates (epoch milliseconds),
   * so `@timestamp < "2017-08-30T20:47:32Z"` and `@timestamp == 1516116808349` both work, as in Elasticsearch.
   */
  readonly timestampField?: string;
}

export const DEFAULT_COMPILE_OPTIONS: CompileOptions = { categoryField: 'event.category', timestampField: '@timestamp' };
