import type { CompiledQuery } from '../eql/compiled-query.js';
import type { RuleFormat } from './rule-format.js';
import type { RuleMeta } from './rule-meta.js';

/** A rule ready to run: its metadata, its compiled query, and where it came from. */
export interface LoadedRule {
  readonly meta: RuleMeta;
  readonly query: CompiledQuery;
  readonly source: {
    readonly file: string;
    readonly format: RuleFormat;
    /** File position (1-based) of the query's first character. */
    readonly queryLine: number;
    readonly queryColumn: number;
  };
}
