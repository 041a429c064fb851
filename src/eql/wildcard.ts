import { foldCase } from './value-ops.js';
/**
 * Wildcard patterns (`:`, `like`, `like~`): `*` matches any run of characters, `?` exactly one; everything
 * else, backslash included, is literal (as Elasticsearch's EQL wildcards are).
 *
 * Cost is bounded whatever the input (an attacker writes command lines): the simple shapes rules use
 * (`lit`, `lit*`, `*lit`, `*lit*`, `?` anywhere) compile into one RegExp per list, which only ever searches
 * for a literal; a pattern with a `*` inside (`a*b*c`) runs through a two-pointer matcher that is
 * O(pattern x input) — a backtracking RegExp would be polynomial in the number of stars.
 */
export type StringTest = (s: string) => boolean;

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

function escapeRegex(s: string): string {
  return s.replace(REGEX_SPECIAL, '\\$&');
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** `lit`, `lit*`, `*lit`, `*lit*` (`?` allowed in `lit`): no star between literal characters. */
function isSimpleShape(pattern: string): boolean {
  const core = pattern.slice(pattern.startsWith('*') ? 1 : 0, pattern.length > 1 && pattern.endsWith('*') ? -1 : undefined);
  return !core.includes('*');
}

/** The RegExp source of a simple-shape pattern: unanchored where a star stands at an end. */
function simpleSource(pattern: string): string {
  if (pattern === '*') return '[^]*';
  const leading = pattern.startsWith('*');
  const trailing = pattern.length > 1 && pattern.endsWith('*');
  const core = pattern.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  const body = core.split('').map((c) => (c === '?' ? '[^]' : escapeRegex(c))).join('');
  return `${leading ? '' : '^'}${body}${trailing ? '' : '$'}`;
}

function lowerCode(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c < 128) return c;
  const l = String.fromCharCode(c).toLowerCase();
  return l.length === 1 ? l.charCodeAt(0) : c;
}

/** Two-pointer wildcard match (the last star is the only backtrack point): O(pattern x input). */
export function matchWildcard(pattern: string, s: string, insensitive: boolean): boolean {
  const p = insensitive ? pattern.toLowerCase() : pattern;
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  const pn = p.length;
  const sn = s.length;
  while (si < sn) {
    const pc = pi < pn ? p.charCodeAt(pi) : -1;
    if (pc === 42) {
      star = pi++;
      mark = si;
      continue;
    }
    if (pc === 63 || (pc >= 0 && pc === (insensitive ? lowerCode(s.charCodeAt(si)) : s.charCodeAt(si)))) {
      pi++;
      si++;
      continue;
    }
    if (star < 0) return false;
    pi = star + 1;
    si = ++mark;
  }
  while (pi < pn && p.charCodeAt(pi) === 42) pi++;
  return pi === pn;
}

/** Compiles patterns into one test. `insensitive` folds case. */
export function compileWildcards(patterns: readonly string[], insensitive: boolean): StringTest {
  if (!insensitive && patterns.every((p) => !hasWildcard(p))) {
    const set = new Set(patterns);
    return (s) => set.has(s);
  }
  if (patterns.length === 1 && !hasWildcard(patterns[0]!)) {
    const exact = patterns[0]!;
    const lower = exact.toLowerCase();
    return (s) => s === exact || (s.length === exact.length && foldCase(s) === lower);
  }
  const tests: StringTest[] = [];
  const simple = patterns.filter(isSimpleShape);
  if (simple.length > 0) {
    const re = new RegExp(simple.map((p) => `(?:${simpleSource(p)})`).join('|'), insensitive ? 'i' : '');
    tests.push((s) => re.test(s));
  }
  for (const p of patterns.filter((x) => !isSimpleShape(x))) {
    const folded = insensitive ? p.toLowerCase() : p;
    tests.push((s) => matchWildcard(folded, s, insensitive));
  }
  if (tests.length === 1) return tests[0]!;
  return (s) => {
    for (const t of tests) if (t(s)) return true;
    return false;
  };
}
