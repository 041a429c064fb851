/** Error codes of install / uninstall / template rendering. */
export const SERVICE_ERROR_CODES = [
  'SVC_TEMPLATE_UNKNOWN_VAR',
  'SVC_TEMPLATE_MISSING',
  'SVC_UNSUPPORTED_PLATFORM',
  'SVC_NOT_PRIVILEGED',
  'SVC_COMMAND_FAILED',
  'SVC_BAD_ROOT',
  'SVC_VERIFY_FAILED',
  'SVC_BAD_MANIFEST',
  /** The package tree or node binary the root service would run is writable by a non-root user. */
  'SVC_UNSAFE_PATH',
] as const;
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    /** File and 1-based line:column when the error is in a template. */
    readonly where?: { readonly file: string; readonly line: number; readonly column: number },
  ) {
    super(where === undefined ? `${code}: ${message}` : `${code}: ${where.file}:${where.line}:${where.column}: ${message}`);
    this.name = 'ServiceError';
  }
}
