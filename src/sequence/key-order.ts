/** Join-key order: null first, then booleans, numbers (numerically), strings (by code unit), anything else. */
const TYPE_RANK: Record<string, number> = { object: 0, boolean: 1, number: 2, bigint: 2, string: 3 };

function compareValue(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const ra = TYPE_RANK[typeof a] ?? 4;
  const rb = TYPE_RANK[typeof b] ?? 4;
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Orders join-key tuples ascending, value by value, as Elasticsearch returns keys. */
export function compareKeyValues(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValue(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
