import type { EqlDiagnostic } from '../eql/eql-error.js';

/**
 * Legacy EQL syntax (Endgame / protections-artifacts) that can trip the lexer before the parser names it:
 * `_arraysearch(process.args, $entry, $entry.x == 1)` fails at the `$`. When a syntax error sits at or after
 * one of these, the loader reports the feature instead (EQL_UNSUPPORTED_FEATURE at the feature's position).
 */
const LEGACY_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b_?arraysearch\s*\(/i, '_arraysearch'],
  [/\barraycontains\s*\(/i, 'arrayContains'],
  [/\barraycount\s*\(/i, 'arrayCount'],
  [/\$[A-Za-z_]\w*/, '$variable (legacy array search variable)'],
];

/** Rewrites a first EQL_SYNTAX diagnostic into the legacy feature that caused it, when one precedes it. */
export function nameLegacyFeature(query: string, diagnostics: readonly EqlDiagnostic[]): readonly EqlDiagnostic[] {
  const first = diagnostics[0];
  if (!first || first.code !== 'EQL_SYNTAX') return diagnostics;
  for (const [re, feature] of LEGACY_PATTERNS) {
    const m = re.exec(query);
    if (m && m.index <= first.offset) {
      const before = query.slice(0, m.index);
      const line = before.split('\n').length;
      const column = m.index - before.lastIndexOf('\n');
      return [{ code: 'EQL_UNSUPPORTED_FEATURE', message: `unsupported feature: ${feature} (not part of Elasticsearch EQL)`, line, column, offset: m.index }];
    }
  }
  return diagnostics;
}
