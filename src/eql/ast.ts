/**
 * The typed EQL syntax tree: closed unions discriminated by `kind`, built through the factories below.
 * Every node carries the 0-based source span it came from, so the checker and compiler can point at it.
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export const COMPARISON_OPS = ['==', '!=', '<', '<=', '>', '>='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];
export const ARITHMETIC_OPS = ['+', '-', '*', '/', '%'] as const;
export type ArithmeticOp = (typeof ARITHMETIC_OPS)[number];
/** Pattern operators: `:` (insensitive, wildcards), `like`/`like~` (wildcards), `regex`/`regex~` (Lucene). */
export const MATCH_OPS = [':', 'like', 'like~', 'regex', 'regex~'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];
export const TIME_UNITS = ['ms', 's', 'm', 'h', 'd'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];
export const TIME_UNIT_MS: Readonly<Record<TimeUnit, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export type LiteralValue = string | number | boolean | null;

export interface LiteralNode extends Span {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  /** Numbers: written with a fraction or exponent (a double, not a long). */
  readonly decimal: boolean;
  /** Strings: written as `"""raw"""`. */
  readonly raw: boolean;
}
/** One step of a field path: a name, or an array index written `[n]`. */
export type PathPart = string | number;
export interface FieldNode extends Span {
  readonly kind: 'field';
  readonly parts: readonly PathPart[];
  /** `?field`: missing is fine. */
  readonly optional: boolean;
}
export interface NotNode extends Span {
  readonly kind: 'not';
  readonly operand: Expr;
}
export interface LogicNode extends Span {
  readonly kind: 'logic';
  readonly op: 'and' | 'or';
  readonly left: Expr;
  readonly right: Expr;
}
export interface ComparisonNode extends Span {
  readonly kind: 'comparison';
  readonly op: ComparisonOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface ArithmeticNode extends Span {
  readonly kind: 'arithmetic';
  readonly op: ArithmeticOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface NegateNode extends Span {
  readonly kind: 'negate';
  readonly operand: Expr;
}
export interface InNode extends Span {
  readonly kind: 'in';
  readonly value: Expr;
  readonly list: readonly Expr[];
  readonly insensitive: boolean;
  readonly negated: boolean;
}
export interface MatchNode extends Span {
  readonly kind: 'match';
  readonly op: MatchOp;
  readonly value: Expr;
  readonly patterns: readonly LiteralNode[];
  /** Written with parentheses: `x : ("a", "b")`. */
  readonly parenthesized: boolean;
}
export interface CallNode extends Span {
  readonly kind: 'call';
  /** The name as written (function names are case-insensitive). */
  readonly name: string;
  /** `fn~(...)`. */
  readonly insensitive: boolean;
  readonly args: readonly Expr[];
}

export type Expr = LiteralNode | FieldNode | NotNode | LogicNode | ComparisonNode | ArithmeticNode | NegateNode | InNode | MatchNode | CallNode;
export type ExprKind = Expr['kind'];

export interface EventFilterNode extends Span {
  /** Event category, or null for `any`. */
  readonly category: string | null;
  /** Category written as a string (`"process" where ...`). */
  readonly categoryQuoted: boolean;
  readonly condition: Expr;
}
export interface StageNode extends Span {
  readonly filter: EventFilterNode;
  readonly by: readonly Expr[];
  /** `with runs=N`, or null. */
  readonly runs: number | null;
  /** `![...]`. */
  readonly missing: boolean;
}
export interface PipeNode extends Span {
  readonly kind: 'head' | 'tail';
  readonly count: number;
}
export interface MaxspanNode extends Span {
  readonly amount: number;
  readonly unit: TimeUnit;
  readonly ms: number;
}
export interface EventQueryNode extends Span {
  readonly kind: 'event';
  readonly filter: EventFilterNode;
  readonly pipes: readonly PipeNode[];
}
export interface SequenceQueryNode extends Span {
  readonly kind: 'sequence';
  readonly by: readonly Expr[];
  readonly maxspan: MaxspanNode | null;
  readonly stages: readonly StageNode[];
  readonly until: StageNode | null;
  readonly pipes: readonly PipeNode[];
}
export interface SampleQueryNode extends Span {
  readonly kind: 'sample';
  readonly by: readonly Expr[];
  readonly stages: readonly StageNode[];
  readonly pipes: readonly PipeNode[];
}
export type QueryNode = EventQueryNode | SequenceQueryNode | SampleQueryNode;

// ---- factories -------------------------------------------------------------------------------------------

const at = (span: Span): Span => ({ start: span.start, end: span.end });

export const ast = {
  literal: (value: LiteralValue, span: Span, opts: { decimal?: boolean; raw?: boolean } = {}): LiteralNode => ({
    kind: 'literal', value, decimal: opts.decimal ?? false, raw: opts.raw ?? false, ...at(span),
  }),
  field: (parts: readonly PathPart[], optional: boolean, span: Span): FieldNode => ({ kind: 'field', parts, optional, ...at(span) }),
  not: (operand: Expr, span: Span): NotNode => ({ kind: 'not', operand, ...at(span) }),
  logic: (op: 'and' | 'or', left: Expr, right: Expr): LogicNode => ({ kind: 'logic', op, left, right, start: left.start, end: right.end }),
  comparison: (op: ComparisonOp, left: Expr, right: Expr): ComparisonNode => ({ kind: 'comparison', op, left, right, start: left.start, end: right.end }),
  arithmetic: (op: ArithmeticOp, left: Expr, right: Expr): ArithmeticNode => ({ kind: 'arithmetic', op, left, right, start: left.start, end: right.end }),
  negate: (operand: Expr, span: Span): NegateNode => ({ kind: 'negate', operand, ...at(span) }),
  in: (value: Expr, list: readonly Expr[], insensitive: boolean, negated: boolean, span: Span): InNode => ({
    kind: 'in', value, list, insensitive, negated, ...at(span),
  }),
  match: (op: MatchOp, value: Expr, patterns: readonly LiteralNode[], parenthesized: boolean, span: Span): MatchNode => ({
    kind: 'match', op, value, patterns, parenthesized, ...at(span),
  }),
  call: (name: string, insensitive: boolean, args: readonly Expr[], span: Span): CallNode => ({ kind: 'call', name, insensitive, args, ...at(span) }),
};

/** The dotted path of a field (`process.args[0]` keeps its index in brackets). */
export function fieldPath(node: FieldNode): string {
  let out = '';
  for (const part of node.parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out.length === 0 ? part : `.${part}`;
  }
  return out;
}

/** Calls `visit` on `expr` and every expression under it, parents first. */
export function walkExpr(expr: Expr, visit: (node: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'literal':
    case 'field':
      return;
    case 'not':
    case 'negate':
      walkExpr(expr.operand, visit);
      return;
    case 'logic':
    case 'comparison':
    case 'arithmetic':
      walkExpr(expr.left, visit);
      walkExpr(expr.right, visit);
      return;
    case 'in':
      walkExpr(expr.value, visit);
      for (const item of expr.list) walkExpr(item, visit);
      return;
    case 'match':
      walkExpr(expr.value, visit);
      for (const p of expr.patterns) walkExpr(p, visit);
      return;
    case 'call':
      for (const a of expr.args) walkExpr(a, visit);
      return;
  }
}
