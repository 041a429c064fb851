/** Codes for matcher misuse and broken invariants (these are bugs, never data problems). */
export const SEQUENCE_ERROR_CODES = ['SEQ_BAD_STAGE', 'SEQ_INVARIANT', 'SEQ_BAD_QUERY'] as const;
export type SequenceErrorCode = (typeof SEQUENCE_ERROR_CODES)[number];

export class SequenceError extends Error {
  constructor(
    readonly code: SequenceErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'SequenceError';
  }
}
