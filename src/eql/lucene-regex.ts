import { linearRegexFallback } from './linear-regex-engine.js';
import { foldCase } from './value-ops.js';

/**
 * Translates a Lucene regular expression (the syntax of Elasticsearch's `regex` / `regexp`) into a JS RegExp
 * that must match the whole string.
 *
 * Lucene syntax: `.` any char, `?` `*` `+` `{n}` `{n,}` `{n,m}` repeats (stackable: `a*?` is `(a*)?`), `|`, `( )`,
 * `[a-z]` / `[^...]` classes, `"literal"`, `\x` escapes a char, `\d \s \w \D \S \W` (Lucene 9), `@` any string,
 * `#` the empty language, `<n-m>` numeric intervals. Complement `~` and intersection `&` have no JS
 * equivalent and are refused (LuceneRegexError with the index).
 *
 * Safety: Lucene runs automata (linear); V8 backtracks. The translation emits no backreferences, lookarounds
 * or flags, so V8 can switch a pathological match to its linear-time engine when the process's entry point
 * enabled it (`linear-regex-engine.ts`). Case-insensitive matching lowercases the pattern here and the input at
 * match time, rather than using the `i` flag, which that engine does not support.
 */

export class LuceneRegexError extends Error {
  constructor(message: string, readonly index: number) {
    super(message);
  }
}

const MAX_PATTERN = 10_000;
const MAX_INTERVAL_SPAN = 1000;
/**
 * Compile-time bounds on backtracking (a pattern V8's linear engine cannot run is matched by backtracking):
 * the pattern's expansion (how many ways it can match one input, counting every repeat count and
 * alternative: `[a-z]{1,1000}[a-z]{1,1000}` is 10^6) and its group nesting depth.
 */
export const MAX_REGEX_EXPANSION = 100_000;
export const MAX_REGEX_NESTING = 32;
/** Expansions saturate here (far above the bound, far below float trouble). */
const SATURATED = 1e15;
const sat = (n: number): number => (n > SATURATED || Number.isNaN(n) ? SATURATED : n);
const JS_SPECIAL = new Set('^$\\.*+?()[]{}|/'.split(''));
const SHORTHAND: Readonly<Record<string, string>> = {
  d: '0-9', s: ' \\t\\n\\r', w: 'a-zA-Z0-9_',
};

const escChar = (c: string): string => (JS_SPECIAL.has(c) ? `\\${c}` : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c);
const escClassChar = (c: string): string => ('\\]^-['.includes(c) ? `\\${c}` : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c);

/** Compiles a Lucene regex into a full-match test; `insensitive` folds case. Throws LuceneRegexError. */
export function compileLuceneRegex(pattern: string, insensitive: boolean): (s: string) => boolean {
  const re = safeRegExp(pattern, insensitive);
  return insensitive ? (s) => re.test(foldCase(s)) : (s) => re.test(s);
}

/**
 * The anchored RegExp for a Lucene pattern, only if its matching time is bounded: either the process enabled
 * V8's linear-time fallback and that engine can run it (then V8 switches to it on excessive backtracking), or
 * it has no nested and no unbounded repeats (so backtracking is bounded by the pattern itself). Anything else is refused: Lucene would run it
 * as an automaton, a backtracking engine could hang on a hostile input.
 */
export function safeRegExp(pattern: string, insensitive: boolean): RegExp {
  const t = translateLucene(pattern, insensitive);
  const source = `^(?:${t.source})$`;
  if (linearCompatible(source)) return new RegExp(source);
  if (t.unbounded || t.nested) {
    throw new LuceneRegexError('regex cannot be matched in bounded time (repeat counts above 16 combined with nested or unbounded repeats)', 0);
  }
  if (t.expansion > MAX_REGEX_EXPANSION) {
    const n = t.expansion >= SATURATED ? `over ${SATURATED.toExponential(0)}` : String(t.expansion);
    throw new LuceneRegexError(
      `regex cannot be matched in bounded time: its repeats and alternatives combine into ${n} ways to match (limit ${MAX_REGEX_EXPANSION}); lower the repeat counts (at most 16 each runs in linear time)`,
      0,
    );
  }
  return new RegExp(source);
}

/** V8 will run `source` in linear time: the fallback is on in this process and its linear engine accepts it. */
function linearCompatible(source: string): boolean {
  if (!linearRegexFallback()) return false;
  try {
    new RegExp(source, 'l');
    return true;
  } catch {
    return false;
  }
}

export interface LuceneTranslation {
  /** JS RegExp source (unanchored; no flags needed). */
  readonly source: string;
  /** Has `*`, `+`, `{n,}` or `@`. */
  readonly unbounded: boolean;
  /** A repeat applies to something that already repeats (`(a*)*`, `a**`). */
  readonly nested: boolean;
  /** Ways the pattern can match one input (repeat counts x alternatives), saturated; see MAX_REGEX_EXPANSION. */
  readonly expansion: number;
}

export function translateLucene(pattern: string, insensitive: boolean): LuceneTranslation {
  if (pattern.length > MAX_PATTERN) throw new LuceneRegexError(`regex longer than ${MAX_PATTERN} characters`, 0);
  const t = new Translator(pattern, insensitive);
  const { s: source, w: expansion } = t.run();
  return { source, unbounded: t.unbounded, nested: t.nested, expansion };
}

export function luceneToJsSource(pattern: string, insensitive: boolean): string {
  return translateLucene(pattern, insensitive).source;
}

/** A translated piece: its JS source and how many ways it can match at one position (its expansion). */
interface Piece {
  readonly s: string;
  readonly w: number;
}

/** Expansion of `{min,max}` of a piece with `w` ways: the sum of w^k for k in min..max (saturated). */
function repeatWays(w: number, min: number, max: number): number {
  if (w <= 1) return sat(max - min + 1);
  let total = 0;
  let pow = sat(w ** min);
  for (let k = min; k <= max && total < SATURATED; k++) {
    total = sat(total + pow);
    pow = sat(pow * w);
  }
  return total;
}

class Translator {
  #i = 0;
  #depth = 0;
  #quantifiers = 0;
  unbounded = false;
  nested = false;
  readonly #p: string;
  readonly #lower: boolean;

  constructor(p: string, lower: boolean) {
    this.#p = p;
    this.#lower = lower;
  }

  run(): Piece {
    const out = this.#union();
    if (this.#i < this.#p.length) throw new LuceneRegexError(`unexpected '${this.#p[this.#i]}' in regex`, this.#i);
    return out;
  }

  #fold(c: string): string {
    return this.#lower ? c.toLowerCase() : c;
  }

  #union(): Piece {
    const parts = [this.#concat()];
    while (this.#p[this.#i] === '|') {
      this.#i++;
      parts.push(this.#concat());
    }
    return { s: parts.map((x) => x.s).join('|'), w: sat(parts.reduce((n, x) => n + x.w, 0)) };
  }

  #concat(): Piece {
    let out = '';
    let w = 1;
    while (this.#i < this.#p.length && this.#p[this.#i] !== '|' && this.#p[this.#i] !== ')') {
      if (this.#p[this.#i] === '&') throw new LuceneRegexError('regex intersection (&) is not supported', this.#i);
      const r = this.#repeat();
      out += r.s;
      w = sat(w * r.w);
    }
    return { s: out, w };
  }

  #repeat(): Piece {
    const before = this.#quantifiers;
    const first = this.#simple();
    let atom = first.s;
    let ways = first.w;
    const inner = this.#quantifiers > before;
    let quantified = false;
    for (;;) {
      const c = this.#p[this.#i];
      let q: string | null = null;
      if (c === '?' || c === '*' || c === '+') {
        q = c;
        this.#i++;
      } else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.#p.slice(this.#i, this.#i + 24));
        if (m === null) throw new LuceneRegexError('malformed repeat {n,m}', this.#i);
        if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1])) throw new LuceneRegexError('repeat {n,m} with m < n', this.#i);
        if (Number(m[1]) > 1000 || Number(m[3] || 0) > 1000) throw new LuceneRegexError('repeat count above 1000', this.#i);
        q = m[0];
        this.#i += m[0].length;
      }
      if (q === null) return { s: atom, w: ways };
      if (inner || quantified) this.nested = true;
      if (q === '*' || q === '+' || q.endsWith(',}')) {
        this.unbounded = true;
        ways = SATURATED;
      } else if (q === '?') {
        ways = repeatWays(ways, 0, 1);
      } else {
        const m = /^\{(\d+)(,(\d*))?\}$/.exec(q)!;
        ways = repeatWays(ways, Number(m[1]), m[2] === undefined ? Number(m[1]) : Number(m[3]));
      }
      this.#quantifiers++;
      atom = quantified ? `(?:${atom})${q}` : `${atom}${q}`;
      quantified = true;
    }
  }

  #simple(): Piece {
    const start = this.#i;
    if (this.#p[start] === '(' || this.#p[start] === '<') return this.#nonUnit(start);
    return { s: this.#unit(start), w: 1 };
  }

  /** Groups and numeric intervals: pieces with several ways to match. */
  #nonUnit(start: number): Piece {
    this.#i++;
    if (this.#p[start] === '<') {
      const s = this.#interval(start);
      return { s, w: s.split('|').length };
    }
    if (this.#p[this.#i] === ')') {
      this.#i++;
      return { s: '(?:)', w: 1 };
    }
    if (++this.#depth > MAX_REGEX_NESTING) throw new LuceneRegexError(`regex groups nested deeper than ${MAX_REGEX_NESTING}`, start);
    const inner = this.#union();
    this.#depth--;
    if (this.#p[this.#i] !== ')') throw new LuceneRegexError("missing ')' in regex", start);
    this.#i++;
    return { s: `(?:${inner.s})`, w: inner.w };
  }

  /** One character's worth of pattern (a char, class, escape, literal string, `.`, `@`, `#`). */
  #unit(start: number): string {
    const c = this.#p[this.#i];
    if (c === undefined) throw new LuceneRegexError('unexpected end of regex', start);
    this.#i++;
    switch (c) {
      case '.':
        return '[^]';
      case '#':
        return '[]';
      case '@':
        this.unbounded = true;
        this.#quantifiers++;
        return '(?:[^]*)';
      case '~':
        throw new LuceneRegexError('regex complement (~) is not supported', start);
      case '"': {
        const close = this.#p.indexOf('"', this.#i);
        if (close < 0) throw new LuceneRegexError('unterminated "literal" in regex', start);
        const lit = this.#p.slice(this.#i, close);
        this.#i = close + 1;
        return `(?:${lit.split('').map((x) => escChar(this.#fold(x))).join('')})`;
      }
      case '[':
        return this.#charClass(start);
      case '\\': {
        const e = this.#p[this.#i];
        if (e === undefined) throw new LuceneRegexError('regex ends with a backslash', start);
        this.#i++;
        const sh = Object.hasOwn(SHORTHAND, e.toLowerCase()) ? SHORTHAND[e.toLowerCase()] : undefined;
        if (sh !== undefined) return e === e.toLowerCase() ? `[${sh}]` : `[^${sh}]`;
        return escChar(this.#fold(e));
      }
      case '?':
      case '*':
      case '+':
      case '{':
        throw new LuceneRegexError(`nothing to repeat before '${c}'`, start);
      default:
        return escChar(this.#fold(c));
    }
  }

  #charClass(start: number): string {
    let negate = false;
    if (this.#p[this.#i] === '^') {
      negate = true;
      this.#i++;
    }
    let body = '';
    let first = true;
    for (;;) {
      const c = this.#p[this.#i];
      if (c === undefined) throw new LuceneRegexError("missing ']' in regex character class", start);
      if (c === ']' && !first) {
        this.#i++;
        break;
      }
      first = false;
      const at = this.#i;
      let lo = this.#classChar();
      if (lo.shorthand !== undefined) {
        body += lo.shorthand;
        continue;
      }
      if (this.#p[this.#i] === '-' && this.#p[this.#i + 1] !== ']' && this.#p[this.#i + 1] !== undefined) {
        this.#i++;
        const hi = this.#classChar();
        if (hi.shorthand !== undefined) throw new LuceneRegexError('a class shorthand cannot end a range', this.#i);
        if (hi.char < lo.char) throw new LuceneRegexError(`invalid range ${lo.char}-${hi.char} in regex class`, at);
        body += `${escClassChar(lo.char)}-${escClassChar(hi.char)}`;
        if (this.#lower) body += this.#foldRange(lo.char, hi.char);
        continue;
      }
      lo = { char: this.#fold(lo.char) };
      body += escClassChar(lo.char);
    }
    return `[${negate ? '^' : ''}${body}]`;
  }

  /** In case-insensitive mode the input is lowercased, so an uppercase range also needs its lowercase twin. */
  #foldRange(lo: string, hi: string): string {
    const l = lo.toLowerCase();
    const h = hi.toLowerCase();
    if (l === lo && h === hi) return '';
    if (l.length !== 1 || h.length !== 1 || h < l) return '';
    return `${escClassChar(l)}-${escClassChar(h)}`;
  }

  #classChar(): { char: string; shorthand?: string } {
    const c = this.#p[this.#i]!;
    this.#i++;
    if (c !== '\\') return { char: c };
    const e = this.#p[this.#i];
    if (e === undefined) throw new LuceneRegexError('regex ends with a backslash', this.#i - 1);
    this.#i++;
    const sh = Object.hasOwn(SHORTHAND, e.toLowerCase()) ? SHORTHAND[e.toLowerCase()] : undefined;
    if (sh !== undefined && e === e.toLowerCase()) return { char: e, shorthand: sh };
    if (sh !== undefined) throw new LuceneRegexError(`negated shorthand \\${e} inside a class is not supported`, this.#i - 2);
    return { char: e };
  }

  #interval(start: number): string {
    const m = /^(\d+)-(\d+)>/.exec(this.#p.slice(this.#i, this.#i + 40));
    if (m === null) throw new LuceneRegexError('malformed numeric interval <n-m>', start);
    this.#i += m[0].length;
    let lo = Number(m[1]);
    let hi = Number(m[2]);
    if (lo > hi) [lo, hi] = [hi, lo];
    if (hi - lo > MAX_INTERVAL_SPAN) throw new LuceneRegexError(`numeric interval wider than ${MAX_INTERVAL_SPAN}`, start);
    const alts: string[] = [];
    for (let v = hi; v >= lo; v--) alts.push(String(v));
    return `(?:0*(?:${alts.join('|')}))`;
  }
}
