import { compileQuery, EqlError, type CompileOptions } from '../eql/index.js';
import type { LoadedRule } from './loaded-rule.js';
import type { ReadRule } from './read-result.js';
import type { RuleDiagnostic } from './rule-diagnostic.js';

export type CompileRuleResult = { readonly ok: true; readonly rule: LoadedRule } | { readonly ok: false; readonly diagnostics: RuleDiagnostic[] };

/** 0-based offset of a 1-based line/column in `text` (for diagnostics that lack an offset). */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) break;
    offset = nl + 1;
  }
  return offset + Math.max(0, column - 1);
}

/**
 * Compiles a read rule's query. EQL diagnostics keep their code and message; their query positions become
 * rule-file positions. An unexpected exception from the compiler is a diagnostic too (code EQL_INTERNAL):
 * one rule never stops the others.
 */
export function compileRule(read: ReadRule, options?: Partial<CompileOptions>): CompileRuleResult {
  const file = read.meta.file;
  try {
    const query = compileQuery(read.query, options);
    const start = read.position(0);
    return { ok: true, rule: { meta: read.meta, query, source: { file, format: read.format, queryLine: start.line, queryColumn: start.column } } };
  } catch (err) {
    if (err instanceof EqlError) {
      const raw = err.diagnostics.length > 0 ? err.diagnostics : [{ code: err.code, message: err.message, line: 1, column: 1, offset: 0 }];
      const diagnostics = raw.map((d) => {
        const offset = Number.isInteger(d.offset) && d.offset >= 0 ? d.offset : offsetOf(read.query, d.line, d.column);
        const at = read.position(offset);
        return { code: d.code, message: d.message, file, line: at.line, column: at.column };
      });
      return { ok: false, diagnostics };
    }
    const at = read.position(0);
    const message = `compiler failure: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, diagnostics: [{ code: 'EQL_INTERNAL', message, file, line: at.line, column: at.column }] };
  }
}
