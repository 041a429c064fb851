export interface TableColumn {
  readonly header: string;
  /** Flexible columns share what is left of the width after the fixed ones; they are cut with an ellipsis. */
  readonly flex?: boolean;
  /** A flexible column is never narrower than this (default 8). */
  readonly min?: number;
}

const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
const cut = (s: string, w: number): string => (s.length <= w ? s : w <= 1 ? s.slice(0, w) : s.slice(0, w - 1) + '…');

/**
 * A plain text table no wider than `width`: fixed columns keep their natural width, flexible ones share the
 * rest (narrow ones first keep their own width) and are cut with an ellipsis. Control characters become spaces.
 */
export function textTable(columns: readonly TableColumn[], rows: ReadonlyArray<readonly string[]>, width: number): string {
  const cells = rows.map((r) => r.map(clean));
  const natural = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const gaps = 2 * (columns.length - 1);
  const fixed = columns.reduce((sum, c, i) => sum + (c.flex === true ? 0 : natural[i]!), 0);
  const flexIdx = columns.map((c, i) => (c.flex === true ? i : -1)).filter((i) => i >= 0);
  // Water-filling: the narrowest flexible columns keep their natural width, the others share the rest.
  let room = Math.max(0, width - fixed - gaps);
  const widths = [...natural];
  const byWidth = [...flexIdx].sort((a, b) => natural[a]! - natural[b]!);
  byWidth.forEach((i, k) => {
    const share = Math.floor(room / (byWidth.length - k));
    widths[i] = Math.min(natural[i]!, Math.max(columns[i]!.min ?? 8, share));
    room = Math.max(0, room - widths[i]!);
  });
  const line = (r: readonly string[]): string =>
    r
      .map((v, i) => (i === r.length - 1 ? cut(v, widths[i]!) : cut(v, widths[i]!).padEnd(widths[i]!)))
      .join('  ')
      .slice(0, Math.max(width, 20))
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}
