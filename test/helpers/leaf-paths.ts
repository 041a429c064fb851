/** Adds the dotted path of every leaf value under `v` (arrays are leaves; undefined values are skipped). */
export function leafPaths(v: unknown, prefix: string, out: Set<string>): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) leafPaths(x, prefix === '' ? k : `${prefix}.${k}`, out);
  } else if (v !== undefined) out.add(prefix);
}

/**
 * Fields of `docs` that the coverage list does not name for the document's category (`category: field`
 * entries; empty when every field is listed): what the emitted-fields checks assert is empty.
 */
export function unlistedFields(docs: readonly unknown[], fieldsByCategory: Readonly<Record<string, readonly string[]>>): string[] {
  const out: string[] = [];
  for (const d of docs as Array<{ event: { category: string[] } }>) {
    const category = d.event.category[0]!;
    const allowed = new Set(fieldsByCategory[category]);
    const paths = new Set<string>();
    leafPaths(d, '', paths);
    for (const p of paths) if (!allowed.has(p)) out.push(`${category}: ${p}`);
  }
  return out;
}
