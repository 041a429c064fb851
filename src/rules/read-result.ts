import type { RuleDiagnostic } from './rule-diagnostic.js';
import type { RuleFormat } from './rule-format.js';
import type { RuleMeta } from './rule-meta.js';
import type { SkipReason } from './skip-reason.js';

/** Maps a 0-based offset in the query text to a 1-based line and column in the rule file. */
export type QueryPositionMap = (queryOffset: number) => { line: number; column: number };

/** A rule read from its file, not compiled yet. */
export interface ReadRule {
  readonly kind: 'rule';
  readonly format: RuleFormat;
  readonly meta: RuleMeta;
  readonly query: string;
  readonly position: QueryPositionMap;
}

export interface ReadSkipped {
  readonly kind: 'skipped';
  readonly format: RuleFormat;
  /** What is known of the rule (name and id when the file has them). */
  readonly name: string;
  readonly id: string;
  readonly reason: SkipReason;
}

export interface ReadError {
  readonly kind: 'error';
  readonly format: RuleFormat | null;
  readonly name: string;
  readonly id: string;
  readonly diagnostics: readonly RuleDiagnostic[];
}

export type ReadResult = ReadRule | ReadSkipped | ReadError;
