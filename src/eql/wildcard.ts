/**
 * Wildcard patterns (`:`, `like`, `like~`): `*` matches any run of characters, `?` exactly one; everything
 * else, backslash included, is literal (as Elasticsearch's EQL wildcards are). A list of patterns compiles
 * into one RegExp so a match costs a single scan and no allocation.
 */
export type StringTest = (s: string) => boolean;

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

function escapeRegex(s: string): string {
  return s.replace(REGEX_SPECIAL, '\\$&');
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** The RegExp source of one wildcard pattern, using cheaper unanchored forms for `*x*`, `x*` and `*x`. */
export function wildcardSource(pattern: string): string {
  const leading = pattern.startsWith('*');
  const trailing = pattern.length > 1 && pattern.endsWith('*');
  const core = pattern.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  const body = core
    .split('')
    .map((c) => (c === '*' ? '[^]*?' : c === '?' ? '[^]' : escapeRegex(c)))
    .join('');
  if (pattern === '*') return '[^]*';
  return `${leading ? '' : '^'}${body}${trailing ? '' : '$'}`;
}

/** Compiles patterns into one test. `insensitive` folds case (Unicode-aware). */
export function compileWildcards(patterns: readonly string[], insensitive: boolean): StringTest {
  if (!insensitive && patterns.every((p) => !hasWildcard(p))) {
    const set = new Set(patterns);
    return (s) => set.has(s);
  }
  if (patterns.length === 1 && !hasWildcard(patterns[0]!)) {
    const exact = patterns[0]!;
    const lower = exact.toLowerCase();
    return (s) => s === exact || (s.length === exact.length && s.toLowerCase() === lower);
  }
  const re = new RegExp(patterns.map((p) => `(?:${wildcardSource(p)})`).join('|'), insensitive ? 'iu' : 'u');
  return (s) => re.test(s);
}
