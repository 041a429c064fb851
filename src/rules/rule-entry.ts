import type { LoadedRule } from './loaded-rule.js';
import type { RuleDiagnostic } from './rule-diagnostic.js';
import type { RuleFormat } from './rule-format.js';
import type { SkipReason } from './skip-reason.js';

export const RULE_STATUSES = ['ok', 'error', 'skipped'] as const;
export type RuleStatus = (typeof RULE_STATUSES)[number];

/** The outcome of loading one rule file (one rule per file in every supported format). */
export interface RuleEntry {
  readonly file: string;
  readonly format: RuleFormat | null;
  readonly name: string;
  readonly id: string;
  readonly status: RuleStatus;
  /** Errors for `error`; empty otherwise. */
  readonly diagnostics: readonly RuleDiagnostic[];
  /** Set for `skipped`. */
  readonly reason?: SkipReason;
  /** Set for `ok`. */
  readonly rule?: LoadedRule;
}
