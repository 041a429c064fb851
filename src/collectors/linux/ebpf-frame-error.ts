export const EBPF_FRAME_ERROR_CODES = ['VG_EBPF_BAD_MAGIC', 'VG_EBPF_BAD_VERSION', 'VG_EBPF_FRAME_TOO_LARGE'] as const;
export type EbpfFrameErrorCode = (typeof EBPF_FRAME_ERROR_CODES)[number];

/** The helper's byte stream cannot be framed: `offset` is the stream offset of the bad frame header. */
export class EbpfFrameError extends Error {
  readonly code: EbpfFrameErrorCode;
  readonly offset: number;

  constructor(code: EbpfFrameErrorCode, offset: number, message: string) {
    super(`${code} at stream offset ${offset}: ${message}`);
    this.name = 'EbpfFrameError';
    this.code = code;
    this.offset = offset;
  }
}
