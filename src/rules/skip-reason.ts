/** Why a rule file was read but not loaded. Skipping is not an error: `vigil rules check` still exits 0. */
export const SKIP_CODES = [
  /** A detection-rules `type` other than `eql` (query, esql, threshold, machine_learning, new_terms, ...). */
  'SKIP_RULE_TYPE',
  /** A `language` other than `eql` on an otherwise runnable rule. */
  'SKIP_LANGUAGE',
  /** `maturity = "deprecated"` or a file under a `_deprecated` directory. */
  'SKIP_DEPRECATED',
  /** The rule declares operating systems and the requested one is not among them. */
  'SKIP_OTHER_OS',
  /** Not a regular file (a FIFO, socket or device named like a rule file): never opened for reading. */
  'SKIP_NOT_REGULAR',
  /** A directory already walked under its real path (a symlink loop, or a path given twice). */
  'SKIP_DIR_LOOP',
  /** A directory deeper than the walk's depth bound. */
  'SKIP_TOO_DEEP',
] as const;
export type SkipCode = (typeof SKIP_CODES)[number];

export interface SkipReason {
  readonly code: SkipCode;
  readonly message: string;
}
