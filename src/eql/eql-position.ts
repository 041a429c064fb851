import { EqlError, type EqlDiagnostic } from './eql-error.js';

/** 1-based line and column of a 0-based offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** The source line holding `offset`, and a caret line under the offending column. */
export function caretLines(text: string, offset: number): string {
  const at = Math.min(Math.max(offset, 0), text.length);
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  let lineEnd = text.indexOf('\n', at);
  if (lineEnd < 0) lineEnd = text.length;
  const source = text.slice(lineStart, lineEnd).replace(/\t/g, ' ');
  return `${source}\n${' '.repeat(at - lineStart)}^`;
}

export function diagnosticAt(text: string, code: string, message: string, offset: number): EqlDiagnostic {
  const { line, column } = lineColumn(text, offset);
  return { code, message, line, column, offset };
}

/** Builds the EqlError for one positioned problem: `message (line L, column C)` and the caret lines. */
export function eqlErrorAt(text: string, code: string, message: string, offset: number): EqlError {
  return eqlErrorOf(text, [diagnosticAt(text, code, message, offset)]);
}

export function eqlErrorOf(text: string, diagnostics: readonly EqlDiagnostic[]): EqlError {
  const first = diagnostics[0]!;
  const more = diagnostics.length > 1 ? ` (+${diagnostics.length - 1} more)` : '';
  const head = `${first.code}: ${first.message} at line ${first.line}, column ${first.column}${more}`;
  return new EqlError(`${head}\n${caretLines(text, first.offset)}`, diagnostics);
}
