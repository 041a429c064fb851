import type { LineRun } from '../line-splitter.js';
import { queryLineNeed, type LineNeed, type LineNeedOptions } from './line-need.js';
import { lineOffsets, packTexts, NATIVE_MAX_LEAVES, NATIVE_MAX_OPS, NATIVE_MAX_TEXT_BYTES, NativeOp, type NativeLineScan, type NativeText } from './native-line-scan.js';
import { parseQuery } from './parser.js';

/**
 * The byte-level prefilter of `vigil hunt`: from a query, the literal texts one of which the raw JSON line of
 * any event that can match one of its filters must hold; lines holding none are not parsed. It never
 * changes a result: every line that could match is selected (a differential test holds it to the
 * unfiltered path), the others need not be.
 *
 * The query's necessary condition (`LineNeed`) is reduced to one flat set of texts: an `or` keeps every
 * branch, an `and` keeps the one conjunct most worth searching for (weaker, still necessary), so each input
 * chunk is scanned once per kind of text (case-sensitive, case-insensitive) whatever the query's size.
 * Lines with a JSON `\u` escape (which could hide a text) are always selected, and so, when a text is
 * case-insensitive, are lines holding a character whose case folds into ASCII (`K` KELVIN SIGN, `ſ`, ...).
 */
export interface LinePrefilter {
  /** The texts searched for (for reports and tests). */
  readonly texts: readonly TextLeaf[];
  /**
   * Marks the lines of a run that must be parsed; false when it declines (every line must be parsed): when
   * it would select so many lines that searching costs more than the parsing it saves.
   */
  select(run: LineRun, out: Uint8Array): boolean;
}

type TextLeaf = Extract<LineNeed, { kind: 'text' }>;

/** Null when the query cannot be narrowed (a filter with no usable literal): every line must be parsed. */
export function compileLinePrefilter(text: string, options: LineNeedOptions & PrefilterOptions): LinePrefilter | null {
  return linePrefilterFromNeed(queryLineNeed(parseQuery(text), options), options);
}

export interface PrefilterOptions {
  /**
   * Only a prefilter whose search costs less than projecting the lines it saves (`LineProjector`): at most
   * `CHEAP_TEXTS` case-sensitive texts, each found with `Buffer#indexOf`; null when the query has none.
   * A regular-expression scan (many texts, case-insensitive ones) costs as much as the projection itself.
   */
  readonly cheap?: boolean;
  /**
   * The C line scanner: when given, the query's whole condition is searched in C (`NativePrefilter`): any
   * number of texts, case-insensitive ones included, every conjunct required.
   */
  readonly native?: NativeLineScan | null;
}

const CHEAP_TEXTS = 4;
const isCheap = (leaves: readonly TextLeaf[]): boolean => leaves.every((l) => !l.ci) && dedupe(leaves).length <= CHEAP_TEXTS;

export function linePrefilterFromNeed(need: LineNeed, options: PrefilterOptions = {}): LinePrefilter | null {
  const branches = need.kind === 'or' ? need.of : [need];
  // A branch (a filter) with no usable text: any line may match it.
  if (branches.some((b) => candidates(b) === null)) return null;
  if (options.native != null) {
    const native = NativePrefilter.compile(options.native, need);
    if (native !== null) return native;
  }
  const choices: TextLeaf[][][] = [];
  for (const b of branches) {
    const c = candidates(b)?.filter((leaves) => options.cheap !== true || isCheap(leaves));
    if (c === undefined || c.length === 0) return null;
    choices.push(c);
  }
  const prefilter = new TextPrefilter(choices, options.cheap === true);
  return options.cheap === true && !isCheap(prefilter.texts) ? null : prefilter;
}

/**
 * The ways to narrow one branch of the query's `or` (one filter, mostly): for an `and`, each conjunct that
 * can be reduced, best first by a static guess; the prefilter picks among them on the first input it sees.
 */
function candidates(branch: LineNeed): TextLeaf[][] | null {
  if (branch.kind !== 'and') {
    const r = reduce(branch);
    return r === null ? null : [r];
  }
  const out: TextLeaf[][] = [];
  for (const n of branch.of) {
    const r = reduce(n);
    if (r !== null) out.push(r);
  }
  out.sort((a, b) => score(a) - score(b));
  return out.length === 0 ? null : out;
}

/** The flat texts one of which must be present; null when nothing can be required. */
function reduce(need: LineNeed): TextLeaf[] | null {
  switch (need.kind) {
    case 'all':
      return null;
    case 'none':
      return [];
    case 'text':
      return [need];
    case 'or': {
      const out: TextLeaf[] = [];
      for (const n of need.of) {
        const r = reduce(n);
        if (r === null) return null;
        out.push(...r);
      }
      return out;
    }
    case 'and': {
      let pick: TextLeaf[] | null = null;
      let pickScore = Infinity;
      for (const n of need.of) {
        const r = reduce(n);
        if (r === null) continue;
        const s = score(r);
        if (s < pickScore) {
          pick = r;
          pickScore = s;
        }
      }
      return pick;
    }
  }
}

/** Lower is better: few texts, not all from low-cardinality fields, long texts. */
function score(leaves: readonly TextLeaf[]): number {
  if (leaves.length === 0) return -1; // can never match: nothing to search for
  const common = leaves.every((l) => l.common) ? 1e6 : 0;
  const shortest = Math.min(...leaves.map((l) => l.text.length));
  return common + leaves.length * 100 - Math.min(shortest, 50);
}

function dedupe(leaves: readonly TextLeaf[]): TextLeaf[] {
  const byKey = new Map<string, TextLeaf>();
  for (const l of leaves) {
    const key = `${l.ci ? 'i' : 's'}${l.after ? '"' : ''}${l.ci ? l.text.toLowerCase() : l.text}`;
    const prev = byKey.get(key);
    // The same text with and without a quote before it: the weaker (no quote) requirement wins.
    byKey.set(key, prev === undefined ? l : { ...prev, before: prev.before && l.before });
  }
  return [...byKey.values()];
}

/** Non-ASCII characters whose lower or upper case (or case folding) holds an ASCII letter. */
export const ASCII_FOLDING_CODE_POINTS: readonly number[] = [
  0xdf, 0x130, 0x131, 0x149, 0x17f, 0x1f0, 0x1e96, 0x1e97, 0x1e98, 0x1e99, 0x1e9a, 0x212a,
  0xfb00, 0xfb01, 0xfb02, 0xfb03, 0xfb04, 0xfb05, 0xfb06,
];

const escapeRegex = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
/** A text as its UTF-8 bytes read as Latin-1: searched in a Latin-1 view of the bytes, offsets stay byte offsets. */
const asLatin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

const QUOTE = 0x22;

/** After a closing quote at `at`: not a key (a string value is never followed by `:`). */
function notKey(buf: Buffer, at: number): boolean {
  let i = at + 1;
  while (buf[i] === 0x20 || buf[i] === 0x09) i++;
  return buf[i] !== 0x3a;
}

/** Finds the next position >= from (a byte offset in the run) where a text stands, verified; -1 when none. */
interface Finder {
  find(from: number): number;
}

/** Lines of a run the first time the prefilter sees this many, it measures its candidate narrowings. */
const TUNE_MIN_LINES = 64;
/** Past this fraction of lines selected, searching costs more than the parsing it saves: parse everything. */
const DECLINE_FRACTION = 0.3;

class TextPrefilter implements LinePrefilter {
  texts: readonly TextLeaf[] = [];
  #finders: Array<(view: RunView) => Finder> = [];
  #tuned: boolean;
  #declined = false;

  readonly #choices: readonly (readonly TextLeaf[][])[];
  readonly #oneScanPerText: boolean;

  constructor(
    choices: readonly (readonly TextLeaf[][])[],
    oneScanPerText: boolean,
  ) {
    this.#choices = choices;
    this.#oneScanPerText = oneScanPerText;
    this.#tuned = false;
    this.#use(choices.map((c) => c[0]!));
  }

  #use(picked: readonly TextLeaf[][]): void {
    const texts = dedupe(picked.flat());
    this.texts = texts;
    this.#finders = [...textFinders(texts, this.#oneScanPerText), ...forcingFinders(texts.some((t) => t.ci))];
  }

  /**
   * Any conjunct of a filter is a valid narrowing; which one selects fewest lines depends on the data.
   * On the first run of some size, each candidate of each branch is counted on it and the fewest wins.
   */
  #tune(run: LineRun): void {
    this.#tuned = true;
    if (this.#choices.every((c) => c.length === 1)) return;
    const view = new RunView(run.buf);
    const count = (leaves: readonly TextLeaf[]): number => {
      const sel = new Uint8Array(run.starts.length);
      mark(textFinders(dedupe(leaves), this.#oneScanPerText), view, run, sel);
      return sel.reduce((a, b) => a + b, 0);
    };
    this.#use(this.#choices.map((c) => {
      if (c.length === 1) return c[0]!;
      let best = c[0]!;
      let bestCount = count(best);
      for (const other of c.slice(1)) {
        const n = count(other);
        if (n < bestCount) {
          best = other;
          bestCount = n;
        }
      }
      return best;
    }));
  }

  select(run: LineRun, out: Uint8Array): boolean {
    if (this.#declined) return false;
    const first = !this.#tuned && run.starts.length >= TUNE_MIN_LINES;
    if (first) this.#tune(run);
    mark(this.#finders, new RunView(run.buf), run, out);
    if (first && out.reduce((a, b) => a + b, 0) > DECLINE_FRACTION * run.starts.length) this.#declined = true;
    return true;
  }
}

/**
 * The prefilter in C, and narrower than `TextPrefilter`: the query's whole `LineNeed` is evaluated on each
 * line (every conjunct of an `and`, not the one most worth searching), its texts found in one pass per run,
 * any number of them, case-insensitive ones included. Each text is searched with its quotes (`before` /
 * `after`) as one run of bytes, "not a key" checked after a closing quote. Lines that could hide a text
 * (a `\u` escape; when a text is case-insensitive, the UTF-8 of a case-folding character) are always
 * selected. A search in C costs less than any projection: it never declines.
 */
class NativePrefilter implements LinePrefilter {
  constructor(
    readonly texts: readonly TextLeaf[],
    readonly select: (run: LineRun, out: Uint8Array) => boolean,
  ) {}

  /** Null when the condition is too large for the C searcher (the JavaScript prefilter is used). */
  static compile(native: NativeLineScan, need: LineNeed): NativePrefilter | null {
    const ops: number[] = [];
    const spec: NativeText[] = [];
    const texts: TextLeaf[] = [];
    const leaves = new Map<string, number>();
    const walk = (n: LineNeed): void => {
      switch (n.kind) {
        case 'all':
          ops.push(NativeOp.True << 24);
          return;
        case 'none':
          ops.push(NativeOp.False << 24);
          return;
        case 'text': {
          const run = `${n.before ? '"' : ''}${n.text}${n.after ? '"' : ''}`;
          const key = `${n.ci ? 'i' : 's'}${n.ci ? run.toLowerCase() : run}`;
          let leaf = leaves.get(key);
          if (leaf === undefined) {
            leaf = leaves.size;
            leaves.set(key, leaf);
            spec.push({ bytes: Buffer.from(run, 'utf8'), ci: n.ci, notKey: n.after, leaf, forcing: false });
            texts.push(n);
          }
          ops.push((NativeOp.Leaf << 24) | leaf);
          return;
        }
        default:
          if (n.of.length === 0) {
            ops.push((n.kind === 'and' ? NativeOp.True : NativeOp.False) << 24);
            return;
          }
          for (const c of n.of) walk(c);
          ops.push(((n.kind === 'and' ? NativeOp.And : NativeOp.Or) << 24) | n.of.length);
      }
    };
    walk(need);
    // Past the C searcher's bounds (an empty text or one over 1 MiB included): the JavaScript prefilter.
    if (leaves.size > NATIVE_MAX_LEAVES || ops.length > NATIVE_MAX_OPS || spec.some((t) => t.bytes.length === 0 || t.bytes.length > NATIVE_MAX_TEXT_BYTES)) return null;
    spec.push({ bytes: Buffer.from('\\u'), ci: false, notKey: false, leaf: 0, forcing: true });
    if (texts.some((t) => t.ci)) {
      for (const cp of ASCII_FOLDING_CODE_POINTS) spec.push({ bytes: Buffer.from(String.fromCodePoint(cp), 'utf8'), ci: false, notKey: false, leaf: 0, forcing: true });
    }
    const searcher = native.compileTexts(packTexts(ops, spec));
    return new NativePrefilter(dedupe(texts), (run, out) => {
      native.markLines(searcher, run.buf, lineOffsets(run), run.starts.length, out);
      return true;
    });
  }
}

/**
 * The finders of a set of texts: case-sensitive ones in one scan (or one `indexOf` scan each, for a few),
 * case-insensitive ones in another.
 */
function textFinders(texts: readonly TextLeaf[], oneScanPerText = false): Array<(view: RunView) => Finder> {
  const cs = texts.filter((t) => !t.ci);
  const ci = texts.filter((t) => t.ci);
  const finders: Array<(view: RunView) => Finder> = [];
  if (cs.length === 1 || oneScanPerText) finders.push(...cs.map(bufferFinder));
  else if (cs.length > 1) finders.push(regexFinder(cs, false));
  if (ci.length > 0) finders.push(regexFinder(ci, true));
  return finders;
}

/** Lines that could hide a text are always parsed: a `\u` escape; for case-insensitive texts, a case-folding character. */
function forcingFinders(ci: boolean): Array<(view: RunView) => Finder> {
  const finders = [bufferFinder({ text: '\\u', before: false, after: false })];
  if (ci) {
    // One scan for the lead bytes of those characters (absent from ASCII data), each hit checked in full.
    const folding = ASCII_FOLDING_CODE_POINTS.map((cp) => asLatin1(String.fromCodePoint(cp)));
    const leads = [...new Set(folding.map((f) => f[0]!))];
    const re = new RegExp(`[${leads.map(escapeRegex).join('')}]`, 'g');
    finders.push((view) => ({ find: (from) => view.regexFind(re, from, (at) => folding.some((f) => view.text.startsWith(f, at))) }));
  }
  return finders;
}

/** Marks (sets to 1) the lines of a run where one of the finders has a hit. */
function mark(finders: ReadonlyArray<(view: RunView) => Finder>, view: RunView, run: LineRun, out: Uint8Array): void {
  const { starts, ends } = run;
  const n = starts.length;
  for (const make of finders) {
    const f = make(view);
    let p = f.find(starts[0]!);
    // Lines are in increasing order: each hit marks the line it falls in, then the search goes on from the next line.
    let i = 0;
    while (p >= 0) {
      while (i < n && ends[i]! < p) i++;
      if (i >= n) break;
      if (p >= starts[i]!) {
        out[i] = 1;
        if (++i >= n) break;
      }
      p = f.find(starts[i]!);
    }
  }
}

/** The bytes of a run, with a Latin-1 string view made only when a regular expression needs it. */
class RunView {
  #latin1: string | null = null;

  constructor(readonly buf: Buffer) {}

  get text(): string {
    if (this.#latin1 === null) this.#latin1 = this.buf.toString('latin1');
    return this.#latin1;
  }

  /** Next match of a global RegExp at or after `from`, verified with `check`; -1 when none. */
  regexFind(re: RegExp, from: number, check: ((at: number, match: string) => boolean) | null): number {
    const text = this.text;
    re.lastIndex = from;
    for (;;) {
      const m = re.exec(text);
      if (m === null) return -1;
      if (check === null || check(m.index, m[0])) return m.index;
      re.lastIndex = m.index + 1;
    }
  }
}

/** One case-sensitive text: Buffer#indexOf on the text without its quotes, the quotes checked around the hit. */
function bufferFinder(leaf: Pick<TextLeaf, 'text' | 'before' | 'after'>): (view: RunView) => Finder {
  const needle = Buffer.from(leaf.text, 'utf8');
  const len = needle.length;
  return (view) => ({
    find(from: number): number {
      const buf = view.buf;
      for (let p = buf.indexOf(needle, from); p >= 0; p = buf.indexOf(needle, p + 1)) {
        if (leaf.before && (p === 0 || buf[p - 1] !== QUOTE)) continue;
        if (leaf.after && (buf[p + len] !== QUOTE || !notKey(buf, p + len))) continue;
        return p;
      }
      return -1;
    },
  });
}

/**
 * Several texts as one alternation (one scan). A closing quote is part of the pattern; an opening one, and
 * "not a key" after the closing one, are checked around the match. When the alternative the scan picked
 * fails its check, every alternative is tried at that position before moving on, so no hit is lost.
 */
function regexFinder(leaves: readonly TextLeaf[], ci: boolean): (view: RunView) => Finder {
  const alts = leaves.map((l) => ({ source: escapeRegex(asLatin1(l.text)) + (l.after ? '"' : ''), before: l.before, after: l.after }));
  alts.sort((a, b) => b.source.length - a.source.length);
  const re = new RegExp(alts.map((a) => a.source).join('|'), ci ? 'gi' : 'g');
  const sticky = alts.map((a) => ({ ...a, re: new RegExp(a.source, ci ? 'yi' : 'y') }));
  const holds = (buf: Buffer, at: number, len: number, alt: { before: boolean; after: boolean }): boolean =>
    (!alt.before || (at > 0 && buf[at - 1] === QUOTE)) && (!alt.after || notKey(buf, at + len - 1));
  const bySource = new Map<string, (typeof sticky)[number]>();
  for (const alt of sticky) bySource.set(ci ? alt.source.toLowerCase() : alt.source, alt);
  return (view) => ({
    find: (from) =>
      view.regexFind(re, from, (at, match) => {
        const picked = bySource.get(escapeRegex(ci ? match.toLowerCase() : match));
        if (picked !== undefined && holds(view.buf, at, match.length, picked)) return true;
        for (const alt of sticky) {
          alt.re.lastIndex = at;
          const m = alt.re.exec(view.text);
          if (m !== null && holds(view.buf, at, m[0].length, alt)) return true;
        }
        return false;
      }),
  });
}
