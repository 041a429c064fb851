import { terminalCell } from './terminal-text.js';

export interface TableColumn {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** Cells longer than this are always cut with an ellipsis. */
  readonly max?: number;
  /**
   * When the table is wider than the terminal, columns give up width in this order, highest first (the least
   * useful column first), each down to its `min`. 0 or absent: the column keeps its width.
   */
  readonly shrink?: number;
  /** A shrinking column is never cut narrower than this (default 8). */
  readonly min?: number;
}

/** A row of cells, or a heading line between rows (a sequence's join keys). */
export type TableRow = readonly string[] | { readonly title: string };

export interface TableOptions {
  /** The terminal's width; default: no limit. */
  readonly width?: number;
  /** Put before every row (not before titles). */
  readonly indent?: string;
  /** A line of dashes under the header. */
  readonly underline?: boolean;
}

const cut = (s: string, w: number): string => (s.length <= w ? s : w <= 1 ? s.slice(0, w) : s.slice(0, w - 1) + '…');

/**
 * The one text table of the CLI (alerts list and query, hunt --output table, status): cells escaped for the
 * terminal, columns aligned, and, when the table is wider than `width`, the least useful columns cut first.
 */
export function textTable(columns: readonly TableColumn[], rows: readonly TableRow[], options: TableOptions = {}): string {
  const indent = options.indent ?? '';
  const cleaned = rows.map((r): TableRow => ('title' in r ? { title: terminalCell(r.title) } : r.map(terminalCell)));
  const widths = columns.map((c) => Math.min(c.header.length, c.max ?? Infinity));
  for (const r of cleaned) {
    if ('title' in r) continue;
    columns.forEach((c, i) => {
      const len = Math.min((r[i] ?? '').length, c.max ?? Infinity);
      if (len > widths[i]!) widths[i] = len;
    });
  }
  const width = options.width ?? Infinity;
  let excess = indent.length + widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1) - width;
  const order = columns.map((c, i) => [c.shrink ?? 0, i] as const).filter(([s]) => s > 0).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (excess <= 0) break;
    const floor = Math.min(widths[i]!, columns[i]!.min ?? 8);
    const give = Math.min(excess, widths[i]! - floor);
    widths[i] = widths[i]! - give;
    excess -= give;
  }
  const line = (cells: readonly string[]): string =>
    indent +
    columns
      .map((c, i) => {
        const v = cut(cells[i] ?? '', widths[i]!);
        return c.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!);
      })
      .join('  ')
      .trimEnd();
  const out = [line(columns.map((c) => c.header))];
  if (options.underline === true) out.push(line(widths.map((w) => '-'.repeat(w))));
  for (const r of cleaned) out.push('title' in r ? cut(r.title, width) : line(r));
  return out.join('\n') + '\n';
}
