/**
 * The EQL package's public surface. Placeholder signatures; the EQL language issue fills them in.
 */
import type { CompiledQuery, CompileOptions } from './compiled-query.js';
import { EqlError } from './eql-error.js';

export type { CompiledQuery, CompileOptions } from './compiled-query.js';
export { EqlError } from './eql-error.js';
export type { EqlDiagnostic } from './eql-error.js';

/** Parses, checks and compiles a query. Throws EqlError (code, line, column, caret) on any problem. */
export function compileQuery(text: string, options?: Partial<CompileOptions>): CompiledQuery {
  void text;
  void options;
  throw new EqlError('EQL compiler not built yet', [{ code: 'EQL_NOT_BUILT', message: 'not built yet', line: 1, column: 1, offset: 0 }]);
}
