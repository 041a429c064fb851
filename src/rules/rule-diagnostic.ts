/**
 * One positioned problem with a rule, in the rule FILE's coordinates (1-based line and column).
 * EQL diagnostics keep their own codes (`EQL_SYNTAX`, `EQL_UNSUPPORTED_FEATURE`, ...); the loader's own codes
 * are listed in RULE_DIAGNOSTIC_CODES.
 */
export interface RuleDiagnostic {
  readonly code: string;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export const RULE_DIAGNOSTIC_CODES = [
  /** The file could not be read. */
  'RULE_READ_ERROR',
  /** The TOML does not parse (position from the TOML parser). */
  'RULE_TOML_SYNTAX',
  /** A required key (`query`, `name`, ...) is missing or has the wrong type. */
  'RULE_MISSING_FIELD',
  'RULE_INVALID_FIELD',
  /** A TOML file that is neither a detection-rules nor a protections-artifacts rule. */
  'RULE_UNKNOWN_FORMAT',
  /** Two rules with the same id were loaded; the later one is refused. */
  'RULE_DUPLICATE_ID',
  /** `rules check` only: the rule's evaluation of a hostile probe event exceeds the agent's per-rule budget. */
  'RULE_OVER_BUDGET',
] as const;

/** Renders `file:line:column: CODE message`, the shape editors and CI logs understand. */
export function formatDiagnostic(d: RuleDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.code} ${d.message}`;
}
