import { fieldPath, type Expr, type LiteralNode, type QueryNode, type StageNode } from './ast.js';
import { compileWildcards } from './wildcard.js';

/**
 * What the raw JSON line of an event must contain for a query's filter to be true on it: a necessary
 * condition built from the query's constant operands, never a sufficient one. `all` means "no condition"
 * (any line may match), `none` that no line can.
 *
 * A `text` leaf is a run of characters that appear in the line as written, because JSON writes them
 * verbatim unless it uses a `\u` escape (the prefilter parses every line that has one): a run never holds
 * `"`, `\`, `/` (`\/` is allowed in JSON), control characters or U+FFFD. `before` / `after`: a `"` stands
 * right before / after the run in the line (an exact string value). `ci`: ASCII case-insensitive, and the
 * run is pure ASCII (the prefilter parses every line holding a character whose case folds into ASCII).
 */
export type LineNeed =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | {
    readonly kind: 'text';
    readonly text: string;
    readonly ci: boolean;
    readonly before: boolean;
    readonly after: boolean;
    /** From a field with few distinct values (the category, `event.type`, ...): present on many lines. */
    readonly common: boolean;
  }
  | { readonly kind: 'and' | 'or'; readonly of: readonly LineNeed[] };

export const ALL: LineNeed = { kind: 'all' };
export const NONE: LineNeed = { kind: 'none' };

export interface LineNeedOptions {
  readonly categoryField: string;
  readonly timestampField: string;
}

/**
 * The need of a whole query: a line can matter to it only if it can match one of its filters (every stage,
 * missing-event stages and `until` included). `all` when any filter has no usable literal.
 */
export function queryLineNeed(query: QueryNode, options: LineNeedOptions): LineNeed {
  const stages: StageNode[] =
    query.kind === 'event'
      ? [{ filter: query.filter, by: [], runs: null, missing: false, start: query.start, end: query.end }]
      : query.kind === 'sequence'
        ? [...query.stages, ...(query.until === null ? [] : [query.until])]
        : [...query.stages];
  return or(stages.map((s) => stageNeed(s, options)));
}

function stageNeed(stage: StageNode, options: LineNeedOptions): LineNeed {
  const { category, condition } = stage.filter;
  // The category field holds the category as a string (or an array holding it): an exact string value.
  const cat = category === null ? ALL : exactString(category, false, true);
  return and([exprNeed(condition, options), cat]);
}

function exprNeed(e: Expr, o: LineNeedOptions): LineNeed {
  switch (e.kind) {
    case 'literal':
      return e.value === true ? ALL : NONE;
    case 'logic':
      return e.op === 'and' ? and([exprNeed(e.left, o), exprNeed(e.right, o)]) : or([exprNeed(e.left, o), exprNeed(e.right, o)]);
    case 'comparison': {
      if (e.op !== '==') return ALL;
      const [field, lit] = e.left.kind === 'literal' ? [e.right, e.left] : [e.right.kind === 'literal' ? e.left : null, e.right];
      if (field === null || !isPlainField(field, o) || lit.kind !== 'literal' || typeof lit.value !== 'string') return ALL;
      return exactString(lit.value, false, isCommon(field));
    }
    case 'in': {
      if (e.negated || !isPlainField(e.value, o)) return ALL;
      const alts: LineNeed[] = [];
      for (const item of e.list) {
        if (item.kind !== 'literal') return ALL;
        if (item.value === null) continue; // null never equals anything
        if (typeof item.value !== 'string') return ALL;
        alts.push(exactString(item.value, e.insensitive, isCommon(e.value)));
      }
      return or(alts);
    }
    case 'match': {
      if (e.op === 'regex' || e.op === 'regex~' || !isPlainField(e.value, o)) return ALL;
      const ci = e.op !== 'like';
      return or(e.patterns.map((p) => wildcardNeed(p, ci, isCommon(e.value))));
    }
    case 'call': {
      const name = e.name.toLowerCase();
      const [field, lit] = e.args;
      if (!['startswith', 'endswith', 'stringcontains'].includes(name) || e.args.length !== 2) return ALL;
      if (field === undefined || !isPlainField(field, o) || lit?.kind !== 'literal' || typeof lit.value !== 'string') return ALL;
      // The functions read strings only: a true result means a JSON string holding the text.
      return textNeed(lit.value, e.insensitive, name === 'startswith', name === 'endswith', isCommon(field));
    }
    case 'not':
    case 'field':
    case 'negate':
    case 'arithmetic':
      return ALL;
  }
}

/** A field read as is (not the event time, which compares as a date in any format). */
function isPlainField(e: Expr, o: LineNeedOptions): boolean {
  return e.kind === 'field' && fieldPath(e) !== o.timestampField;
}

/** Characters a number's text can hold (`String(1e400)` is `Infinity`): such a value may be written as a number. */
const NUMERIC_TEXT = /^[0-9.eE+\-Infinity]*$/;

/**
 * A value equal to `s`: a JSON string `"s"` — or, when `s` reads as a number or a boolean, possibly that
 * number or boolean (the engine compares `1` with `"1"`, `true` with `"true"`).
 */
function exactString(s: string, ci: boolean, common: boolean): LineNeed {
  const lower = s.toLowerCase();
  if (lower === 'true' || lower === 'false') return textNeed(s, ci, false, false, common);
  if (NUMERIC_TEXT.test(s)) return ALL;
  return textNeed(s, ci, true, true, common);
}

/** Fields with few distinct values in endpoint data: their constants are on many lines (a poor filter). */
const COMMON_FIELDS = new Set([
  'event.category', 'event.type', 'event.action', 'event.kind', 'event.outcome', 'event.dataset', 'event.module',
  'network.direction', 'network.transport', 'network.type', 'network.protocol', 'host.os.type', 'host.os.family',
  'host.os.platform', 'agent.type', 'event_type',
]);

function isCommon(e: Expr): boolean {
  return e.kind === 'field' && COMMON_FIELDS.has(fieldPath(e));
}

/**
 * A wildcard pattern (`*` any run, `?` one character): every literal run between wildcards is in the value,
 * the first one right after the opening quote when the pattern does not start with a wildcard.
 * A value may also be a number or boolean rendered as text (`String(x)`): then no quote stands around it.
 */
function wildcardNeed(p: LiteralNode, ci: boolean, common: boolean): LineNeed {
  const pattern = String(p.value);
  const test = compileWildcards([pattern], ci);
  const maybeScalar = test('true') || test('false');
  const runs = pattern.split(/[*?]/);
  const alts: LineNeed[] = [];
  runs.forEach((run, i) => {
    if (run.length === 0) return;
    if (NUMERIC_TEXT.test(run)) return;
    const anchoredStart = i === 0 && !maybeScalar;
    const anchoredEnd = i === runs.length - 1 && !maybeScalar;
    alts.push(textNeed(run, ci, anchoredStart, anchoredEnd, common));
  });
  // Every run is needed: keep the best one (one needle per pattern keeps the scan cheap).
  return best(alts);
}

/** Characters JSON may escape or that the prefilter cannot see through. */
const UNSAFE = /["\\/\u0000-\u001f\u007f\ufffd]/;

/**
 * The text `s` inside a string value: the longest run of it JSON writes verbatim. `before` / `after` hold
 * only if that run reaches the start / end of `s`. Case-insensitive runs keep to ASCII.
 */
function textNeed(s: string, ci: boolean, before: boolean, after: boolean, common = false): LineNeed {
  if (NUMERIC_TEXT.test(s)) return ALL;
  const splitter = ci ? /["\\/\u0000-\u001f\u007f-\u{10ffff}]/u : UNSAFE;
  const pieces = s.split(splitter);
  let at = 0;
  let bestRun = '';
  let bestAt = -1;
  for (const piece of pieces) {
    if (piece.length > bestRun.length) {
      bestRun = piece;
      bestAt = at;
    }
    at += piece.length + 1;
  }
  if (bestRun.length === 0) return ALL;
  const starts = bestAt === 0;
  const ends = bestAt + bestRun.length === s.length;
  return { kind: 'text', text: bestRun, ci, before: before && starts, after: after && ends, common };
}

/** Of several needs that all hold, the one most worth searching for (the longest anchored text). */
function best(needs: readonly LineNeed[]): LineNeed {
  let pick: LineNeed = ALL;
  let score = 0;
  for (const n of needs) {
    if (n.kind !== 'text') continue;
    const s = n.text.length + (n.before ? 1 : 0) + (n.after ? 1 : 0);
    if (s > score) {
      pick = n;
      score = s;
    }
  }
  return pick;
}

export function and(needs: readonly LineNeed[]): LineNeed {
  const out: LineNeed[] = [];
  for (const n of needs) {
    if (n.kind === 'none') return NONE;
    if (n.kind === 'all') continue;
    if (n.kind === 'and') out.push(...n.of);
    else out.push(n);
  }
  if (out.length === 0) return ALL;
  return out.length === 1 ? out[0]! : { kind: 'and', of: out };
}

export function or(needs: readonly LineNeed[]): LineNeed {
  const out: LineNeed[] = [];
  for (const n of needs) {
    if (n.kind === 'all') return ALL;
    if (n.kind === 'none') continue;
    if (n.kind === 'or') out.push(...n.of);
    else out.push(n);
  }
  if (out.length === 0) return NONE;
  return out.length === 1 ? out[0]! : { kind: 'or', of: out };
}
