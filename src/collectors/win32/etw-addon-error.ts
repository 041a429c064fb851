/** Why the ETW addon cannot be used here; `code` is stable, `message` says what to do. */
export const ETW_ADDON_ERROR_CODES = ['ETW_NOT_WINDOWS', 'ETW_NOT_BUILT', 'ETW_LOAD_FAILED', 'ETW_ABI_MISMATCH'] as const;
export type EtwAddonErrorCode = (typeof ETW_ADDON_ERROR_CODES)[number];

export class EtwAddonError extends Error {
  readonly code: EtwAddonErrorCode;
  constructor(code: EtwAddonErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'EtwAddonError';
    this.code = code;
  }
}
