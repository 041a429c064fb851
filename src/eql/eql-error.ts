/** One positioned problem in an EQL query. Line and column are 1-based, in the query text. */
export interface EqlDiagnostic {
  /** Stable code, e.g. `EQL_SYNTAX`, `EQL_UNKNOWN_FUNCTION`, `EQL_TYPE`, `EQL_UNSUPPORTED_FEATURE`. */
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  /** 0-based offset into the query text. */
  readonly offset: number;
}

/** Thrown by parseQuery/compileQuery. `message` is the first diagnostic, with a caret line under the source. */
export class EqlError extends Error {
  constructor(
    message: string,
    readonly diagnostics: readonly EqlDiagnostic[],
  ) {
    super(message);
    this.name = 'EqlError';
  }
  get code(): string {
    return this.diagnostics[0]?.code ?? 'EQL_ERROR';
  }
  get line(): number {
    return this.diagnostics[0]?.line ?? 1;
  }
  get column(): number {
    return this.diagnostics[0]?.column ?? 1;
  }
}
