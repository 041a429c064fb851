/**
 * Runtime value operations with Elasticsearch EQL semantics: `null`/`undefined`/`[]` are null; null is not
 * true; a multi-valued operand (array) matches if any element does.
 */

/** Null as EQL sees it: missing, JSON null, or an empty array. */
export function isNull(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.every(isNull));
}

/** Numeric view of a value for comparisons: numbers, and numeric strings (a keyword field holding digits). */
function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.length > 0 && v.trim() === v) {
    const n = Number(v);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

/** Scalar equality (case-sensitive). Numbers and numeric strings compare as numbers, as a mapped field would. */
export function scalarEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === tb) return false;
  if (ta === 'number' || tb === 'number') {
    const na = asNumber(a);
    const nb = asNumber(b);
    return na !== undefined && na === nb;
  }
  if (ta === 'boolean' && tb === 'string') return String(a) === b;
  if (tb === 'boolean' && ta === 'string') return String(b) === a;
  return false;
}

/** Scalar ordering: -1, 0, 1, or null when the values are not comparable (null, mixed types). */
export function scalarCompare(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : null;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined && (typeof a === 'number' || typeof b === 'number')) return na < nb ? -1 : na > nb ? 1 : 0;
  return null;
}

/**
 * Three-valued "any element" lift of a scalar test: true if the test holds for some element, null if every
 * element is null, false otherwise.
 */
export function anyOf(v: unknown, test: (x: unknown) => boolean | null): boolean | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) return test(v);
  let sawNull = true;
  for (const x of v) {
    const r = Array.isArray(x) ? anyOf(x, test) : x === null || x === undefined ? null : test(x);
    if (r === true) return true;
    if (r === false) sawNull = false;
  }
  return sawNull ? null : false;
}

/** Truthiness of a value in a boolean context: booleans as is, an array if any element is true, else null/false. */
export function toCondition(v: unknown): boolean | null {
  if (v === true || v === false) return v;
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return anyOf(v, (x) => x === true);
  return false;
}

/** `string()` / `concat()` rendering of a scalar (Java's toString for the JSON types). */
export function stringOf(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 1 ? stringOf(v[0]) : JSON.stringify(v);
  return JSON.stringify(v);
}

/** First scalar of a possibly multi-valued value (functions other than the first-argument lift take one). */
export function single(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? null : single(v[0]);
  return v;
}

let foldIn = '';
let foldOut = '';
/**
 * `s.toLowerCase()`, remembered for the last string: the case-insensitive tests of the rules one event visits
 * mostly fold the same field value (process.name, process.parent.name) in turn.
 */
export function foldCase(s: string): string {
  if (s !== foldIn) {
    foldOut = s.toLowerCase();
    foldIn = s;
  }
  return foldOut;
}
