/** Typed reads of parsed TOML values: they return undefined instead of trusting a rule file's shape. */
export type TomlTableLike = Record<string, unknown>;

export function asTable(v: unknown): TomlTableLike | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? (v as TomlTableLike) : undefined;
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

export function asStringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) return undefined;
  return v.filter((x): x is string => typeof x === 'string');
}

/** An array of tables (`[[x]]`), or a single table, as a list; anything else as []. */
export function asTableList(v: unknown): TomlTableLike[] {
  if (Array.isArray(v)) return v.map(asTable).filter((t): t is TomlTableLike => t !== undefined);
  const t = asTable(v);
  return t ? [t] : [];
}

/** Makes a parsed TOML value plain JSON (dates as ISO strings, bigints as numbers). */
export function toPlainJson(v: unknown): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toPlainJson);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toPlainJson(x);
    return out;
  }
  return v;
}
