import { parseTimestamp } from '../ecs/event-order.js';
import { fieldPath, type CallNode, type ComparisonNode, type Expr, type InNode, type MatchNode } from './ast.js';
import type { CompileContext, Condition, Evaluator } from './compile-context.js';
import { eqlErrorAt } from './eql-position.js';
import { arithmetic, type ArithmeticKind } from './functions/math-functions.js';
import { FUNCTIONS } from './functions/function-registry.js';
import { compileLuceneRegex } from './lucene-regex.js';
import { anyOf, foldCase, isNull, scalarCompare, scalarEquals, single, toCondition } from './value-ops.js';
import { compileWildcards, type StringTest } from './wildcard.js';

const ARITH: Readonly<Record<'+' | '-' | '*' | '/' | '%', ArithmeticKind>> = {
  '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'modulo',
};

/** Statically a double (decimal literal, or arithmetic over one): division does not truncate. */
function isDecimal(e: Expr): boolean {
  if (e.kind === 'literal') return e.decimal;
  if (e.kind === 'arithmetic') return isDecimal(e.left) || isDecimal(e.right);
  if (e.kind === 'negate') return isDecimal(e.operand);
  return false;
}

/** Compiles an expression into a value evaluator (null/undefined = null; arrays = multi-valued). */
export function compileValue(e: Expr, ctx: CompileContext): Evaluator {
  switch (e.kind) {
    case 'literal': {
      const v = e.value;
      return () => v;
    }
    case 'field':
      return ctx.field(e);
    case 'not':
    case 'logic':
    case 'comparison':
    case 'in':
    case 'match':
      return compileCondition(e, ctx);
    case 'negate': {
      const inner = compileValue(e.operand, ctx);
      return (ev) => {
        const v = single(inner(ev));
        return typeof v === 'number' ? -v : null;
      };
    }
    case 'arithmetic': {
      const [l, r] = [compileValue(e.left, ctx), compileValue(e.right, ctx)];
      const kind = ARITH[e.op];
      const decimal = isDecimal(e);
      return (ev) => arithmetic(kind, single(l(ev)), single(r(ev)), decimal);
    }
    case 'call':
      return compileCall(e, ctx);
  }
}

/** Compiles an expression used as a condition: true, false or null. */
export function compileCondition(e: Expr, ctx: CompileContext): Condition {
  switch (e.kind) {
    case 'literal': {
      const v = e.value === true ? true : e.value === false ? false : null;
      return () => v;
    }
    case 'not': {
      const inner = compileCondition(e.operand, ctx);
      return (ev) => {
        const v = inner(ev);
        return v === null ? null : !v;
      };
    }
    case 'logic': {
      const [l, r] = [compileCondition(e.left, ctx), compileCondition(e.right, ctx)];
      if (e.op === 'and') {
        return (ev) => {
          const a = l(ev);
          if (a === false) return false;
          const b = r(ev);
          if (b === false) return false;
          return a === true && b === true ? true : null;
        };
      }
      return (ev) => {
        const a = l(ev);
        if (a === true) return true;
        const b = r(ev);
        if (b === true) return true;
        return a === false && b === false ? false : null;
      };
    }
    case 'comparison':
      return compileComparison(e, ctx);
    case 'in':
      return compileIn(e, ctx);
    case 'match':
      return compileMatch(e, ctx);
    case 'field':
    case 'negate':
    case 'arithmetic':
    case 'call': {
      const v = compileValue(e, ctx);
      return (ev) => toCondition(v(ev));
    }
  }
}

const ORDER: Readonly<Record<'<' | '<=' | '>' | '>=', (c: number) => boolean>> = {
  '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0,
};

function isNullLiteral(e: Expr): boolean {
  return e.kind === 'literal' && e.value === null;
}

function isTimestamp(e: Expr, ctx: CompileContext): boolean {
  return e.kind === 'field' && fieldPath(e) === ctx.timestampField;
}

function isOptionalField(e: Expr): boolean {
  return e.kind === 'field' && e.optional;
}

function compileComparison(e: ComparisonNode, ctx: CompileContext): Condition {
  // `x == null` / `x != null` are null checks, as Elasticsearch rewrites them.
  if ((e.op === '==' || e.op === '!=') && (isNullLiteral(e.left) || isNullLiteral(e.right))) {
    const other = isNullLiteral(e.left) ? e.right : e.left;
    const v = compileValue(other, ctx);
    return e.op === '==' ? (ev) => isNull(v(ev)) : (ev) => !isNull(v(ev));
  }
  // An optional field `?x` that is absent is the literal null, as Elasticsearch substitutes it for a field
  // no index maps: `?x == y` becomes a null check of y (so `?x == ?y` holds when both are absent).
  if ((e.op === '==' || e.op === '!=') && (isOptionalField(e.left) || isOptionalField(e.right))) {
    return compileOptionalEquality(e, ctx);
  }
  return compileValueComparison(e, ctx);
}

function compileOptionalEquality(e: ComparisonNode, ctx: CompileContext): Condition {
  const l = compileValue(e.left, ctx);
  const r = compileValue(e.right, ctx);
  const [optL, optR] = [isOptionalField(e.left), isOptionalField(e.right)];
  const general = compileValueComparison(e, ctx);
  const wantNull = e.op === '==';
  return (ev) => {
    if (optL && isNull(l(ev))) return isNull(r(ev)) === wantNull;
    if (optR && isNull(r(ev))) return isNull(l(ev)) === wantNull;
    return general(ev);
  };
}

function compileValueComparison(e: ComparisonNode, ctx: CompileContext): Condition {
  let left = compileValue(e.left, ctx);
  let right = compileValue(e.right, ctx);
  let constant: unknown;
  let side: Evaluator | null = null;
  // A date field compares as epoch milliseconds; a string constant on the other side is parsed once.
  if (isTimestamp(e.left, ctx) || isTimestamp(e.right, ctx)) {
    for (const lit of [e.left, e.right]) {
      if (lit.kind === 'literal' && typeof lit.value === 'string' && parseTimestamp(lit.value) === null) {
        throw eqlErrorAt(ctx.text, 'EQL_TYPE', `cannot read '${lit.value}' as a date`, lit.start);
      }
    }
    const [l0, r0] = [left, right];
    left = (ev) => parseTimestamp(single(l0(ev)));
    right = (ev) => parseTimestamp(single(r0(ev)));
  }
  if (e.right.kind === 'literal' && e.left.kind !== 'literal') {
    constant = e.right.value;
    side = left;
  } else if (e.left.kind === 'literal' && e.right.kind !== 'literal') {
    constant = e.left.value;
    side = right;
  }
  if (isTimestamp(e.left, ctx) || isTimestamp(e.right, ctx)) {
    if (typeof constant === 'string') constant = parseTimestamp(constant);
  }
  const flipped = side === right;
  if (e.op === '==' || e.op === '!=') {
    let eq: Condition;
    if (side !== null) {
      const get = side;
      const c = constant;
      const test = (x: unknown): boolean => scalarEquals(x, c);
      eq = (ev) => {
        const v = get(ev);
        if (v === c) return true;
        if (typeof v === typeof c) return false;
        return anyOf(v, test);
      };
    } else {
      eq = (ev) => {
        const a = left(ev);
        const b = right(ev);
        if (!Array.isArray(a) && !Array.isArray(b)) return a === undefined || a === null || b === undefined || b === null ? null : scalarEquals(a, b);
        return anyOf(a, (x) => anyOf(b, (y) => scalarEquals(x, y)));
      };
    }
    if (e.op === '==') return eq;
    return (ev) => {
      const r = eq(ev);
      return r === null ? null : !r;
    };
  }
  const holds = ORDER[e.op];
  if (side !== null) {
    const get = side;
    const c = constant;
    const test = flipped
      ? (x: unknown): boolean | null => {
        const k = scalarCompare(c, x);
        return k === null ? null : holds(k);
      }
      : (x: unknown): boolean | null => {
        const k = scalarCompare(x, c);
        return k === null ? null : holds(k);
      };
    return (ev) => anyOf(get(ev), test);
  }
  return (ev) => {
    const a = left(ev);
    const b = right(ev);
    if (!Array.isArray(a) && !Array.isArray(b)) {
      if (a === undefined || a === null || b === undefined || b === null) return null;
      const k = scalarCompare(a, b);
      return k === null ? null : holds(k);
    }
    return anyOf(a, (x) =>
      anyOf(b, (y) => {
        const k = scalarCompare(x, y);
        return k === null ? null : holds(k);
      }),
    );
  };
}

/** The scalar test of an `in` whose list is all literals (one Set lookup), or null when the list is not. */
export function literalInTest(e: InNode): ((x: unknown) => boolean) | null {
  if (!e.list.every((item) => item.kind === 'literal')) return null;
  const consts = e.list.map((item) => (item.kind === 'literal' ? item.value : null)).filter((v) => v !== null);
  // Cross-type twins (1 and "1", true and "true") so one Set lookup covers scalarEquals' coercions.
  const set = new Set<unknown>();
  for (const c of consts) {
    set.add(e.insensitive && typeof c === 'string' ? c.toLowerCase() : c);
    if (typeof c === 'number' || typeof c === 'boolean') set.add(String(c));
    if (typeof c === 'string' && c.trim() === c && c !== '' && !Number.isNaN(Number(c))) set.add(Number(c));
    if (c === 'true' || c === 'false') set.add(c === 'true');
  }
  return e.insensitive ? (x: unknown): boolean => set.has(typeof x === 'string' ? foldCase(x) : x) : (x: unknown): boolean => set.has(x);
}

function compileIn(e: InNode, ctx: CompileContext): Condition {
  const value = compileValue(e.value, ctx);
  const negate = (r: boolean | null): boolean | null => (r === null ? null : !r);
  const test = literalInTest(e);
  if (test !== null) {
    const holds: Condition = (ev) => {
      const v = value(ev);
      return typeof v === 'string' ? test(v) : anyOf(v, test);
    };
    return e.negated ? (ev) => negate(holds(ev)) : holds;
  }
  const items = e.list.map((item) => compileValue(item, ctx));
  const eq = e.insensitive
    ? (x: unknown, y: unknown): boolean => (typeof x === 'string' && typeof y === 'string' ? x.toLowerCase() === y.toLowerCase() : scalarEquals(x, y))
    : scalarEquals;
  const holds: Condition = (ev) => {
    const values = items.map((item) => item(ev));
    return anyOf(value(ev), (x) => values.some((vs) => anyOf(vs, (y) => eq(x, y)) === true));
  };
  return e.negated ? (ev) => negate(holds(ev)) : holds;
}

/** A match's string test, and its lift to any scalar (numbers and booleans matched as their text). */
export function matchTests(e: MatchNode): { readonly match: StringTest; readonly test: (x: unknown) => boolean } {
  const patterns = e.patterns.map((p) => String(p.value));
  let match: StringTest;
  if (e.op === 'regex' || e.op === 'regex~') {
    const tests = patterns.map((p) => compileLuceneRegex(p, e.op === 'regex~'));
    match = tests.length === 1 ? tests[0]! : (s) => tests.some((t) => t(s));
  } else {
    match = compileWildcards(patterns, e.op !== 'like');
  }
  const test = (x: unknown): boolean => (typeof x === 'string' ? match(x) : (typeof x === 'number' || typeof x === 'boolean') && match(String(x)));
  return { match, test };
}

function compileMatch(e: MatchNode, ctx: CompileContext): Condition {
  const value = compileValue(e.value, ctx);
  const { match, test } = matchTests(e);
  return (ev) => {
    const v = value(ev);
    if (typeof v === 'string') return match(v);
    return anyOf(v, test);
  };
}

function compileCall(e: CallNode, ctx: CompileContext): Evaluator {
  const spec = FUNCTIONS.get(e.name);
  if (spec === undefined) throw eqlErrorAt(ctx.text, 'EQL_UNKNOWN_FUNCTION', `unknown function '${e.name}'`, e.start);
  const impl = spec.make({
    insensitive: e.insensitive,
    decimal: e.args.map(isDecimal),
    constants: e.args.map((a) => (a.kind === 'literal' ? a.value : undefined)),
  });
  const args = e.args.map((a) => compileValue(a, ctx));
  const n = args.length;
  const scratch: unknown[] = new Array<unknown>(n);
  const first = args[0];
  if (first === undefined) return () => impl(scratch);
  return (ev) => {
    for (let i = 1; i < n; i++) scratch[i] = single(args[i]!(ev));
    const a0 = first(ev);
    if (!Array.isArray(a0)) {
      scratch[0] = a0;
      return impl(scratch);
    }
    // A multi-valued first argument: the function applies to each value (conditions then match any).
    const rest = scratch.slice(1);
    return a0.map((x) => impl([single(x), ...rest]));
  };
}
