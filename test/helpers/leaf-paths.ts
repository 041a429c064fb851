/** Adds the dotted path of every leaf value under `v` (arrays are leaves; undefined values are skipped). */
export function leafPaths(v: unknown, prefix: string, out: Set<string>): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) leafPaths(x, prefix === '' ? k : `${prefix}.${k}`, out);
  } else if (v !== undefined) out.add(prefix);
}
