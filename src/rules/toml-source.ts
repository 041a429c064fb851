import { LineIndex } from './line-index.js';
import type { QueryPositionMap } from './read-result.js';
import type { RuleDiagnostic } from './rule-diagnostic.js';
import { locateTomlString } from './toml-string-locator.js';

/** A TOML rule file's text with the position helpers its readers share. */
export class TomlSource {
  readonly lines: LineIndex;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  /** Position of a table header (`[rule]`) or, failing that, of line 1. */
  tablePosition(table: string): { line: number; column: number } {
    const m = new RegExp(`^[ \\t]*\\[[ \\t]*${table.replace(/\./g, '\\.')}[ \\t]*\\]`, 'm').exec(this.text);
    return m ? this.lines.position(m.index + m[0].indexOf('[')) : { line: 1, column: 1 };
  }

  diagnostic(code: string, message: string, at: { line: number; column: number }): RuleDiagnostic {
    return { code, message, file: this.file, line: at.line, column: at.column };
  }

  /**
   * Maps positions in the decoded `query` string to the file. The character-exact map when the scanner finds
   * the string and decodes it to the parsed value; else the first verbatim occurrence of the query; else every
   * position falls on the key's table header.
   */
  queryPositions(keyPaths: ReadonlyArray<readonly string[]>, query: string, table: string): QueryPositionMap {
    const located = locateTomlString(this.text, keyPaths);
    if (located && located.value === query) {
      const offsets = located.offsets;
      return (q) => this.lines.position(offsets[Math.max(0, Math.min(q, offsets.length - 1))]!);
    }
    const at = query.length > 0 ? this.text.indexOf(query) : -1;
    if (at >= 0) return (q) => this.lines.position(at + Math.max(0, Math.min(q, query.length)));
    const fallback = located ? this.lines.position(located.keyOffset) : this.tablePosition(table);
    return () => fallback;
  }
}
