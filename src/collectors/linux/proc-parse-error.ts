export const PROC_PARSE_CODES = ['PROC_STAT_NO_COMM', 'PROC_STAT_SHORT', 'PROC_STAT_BAD_NUMBER', 'PROC_STATUS_BAD_LINE', 'PROC_NET_BAD_HEADER', 'PROC_NET_BAD_ROW', 'PROC_NET_BAD_ADDRESS', 'PROC_KSTAT_MISSING'] as const;
export type ProcParseCode = (typeof PROC_PARSE_CODES)[number];

/** A /proc file that does not have the shape the kernel documents (proc(5)); `offset` is the character position. */
export class ProcParseError extends Error {
  readonly code: ProcParseCode;
  readonly offset: number;

  constructor(code: ProcParseCode, message: string, offset: number) {
    super(`${code}: ${message} (at offset ${offset})`);
    this.name = 'ProcParseError';
    this.code = code;
    this.offset = offset;
  }
}
