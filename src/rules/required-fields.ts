import { fieldPath, walkExpr, type Expr, type QueryNode, type StageNode, type EventFilterNode } from '../eql/ast.js';

/**
 * Which fields a condition cannot be true without. EQL comparisons with a missing field are null and null is
 * never true, so a field compared, matched, or tested directly is required, unless the test is negated
 * (`not`, `not in`), is `== null`, sits in only one branch of an `or`, or is written optional (`?field`).
 * The analysis is conservative: when unsure, a field is not required (the rule is assumed able to fire).
 */
export interface StageFields {
  readonly category: string | null;
  /** A missing-event stage `![...]` or the `until` stage: it need not match for the rule to fire. */
  readonly optionalStage: boolean;
  readonly required: ReadonlySet<string>;
  readonly read: ReadonlySet<string>;
}

const EMPTY: ReadonlySet<string> = new Set();

/** Functions whose result is not null when an argument is null (so their arguments are not required). */
const NULL_TOLERANT_FUNCTIONS = new Set(['concat', 'string']);

/** Non-optional fields an operand needs to have a (non-null) value. */
function operandFields(e: Expr): Set<string> {
  const out = new Set<string>();
  const visit = (x: Expr): void => {
    switch (x.kind) {
      case 'field':
        if (!x.optional) out.add(fieldPath(x));
        return;
      case 'arithmetic':
        visit(x.left);
        visit(x.right);
        return;
      case 'negate':
        visit(x.operand);
        return;
      case 'call':
        if (!NULL_TOLERANT_FUNCTIONS.has(x.name.toLowerCase()) && x.args[0] !== undefined) visit(x.args[0]);
        return;
      default:
        return;
    }
  };
  visit(e);
  return out;
}

const isNull = (e: Expr): boolean => e.kind === 'literal' && e.value === null;

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a, ...b]);
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a].filter((x) => b.has(x)));
}

/** Fields `e` cannot be true without. */
export function requiredOf(e: Expr): ReadonlySet<string> {
  switch (e.kind) {
    case 'logic':
      return e.op === 'and' ? union(requiredOf(e.left), requiredOf(e.right)) : intersect(requiredOf(e.left), requiredOf(e.right));
    case 'not':
      return EMPTY;
    case 'comparison':
      if (e.op === '==' && (isNull(e.left) || isNull(e.right))) return EMPTY;
      if (e.op === '!=' && (isNull(e.left) || isNull(e.right))) return operandFields(isNull(e.left) ? e.right : e.left);
      return union(operandFields(e.left), operandFields(e.right));
    case 'in':
      if (e.negated || e.list.some(isNull)) return EMPTY;
      return operandFields(e.value);
    case 'match':
      return operandFields(e.value);
    case 'call':
    case 'field':
      return operandFields(e);
    default:
      return EMPTY;
  }
}

function readOf(e: Expr): Set<string> {
  const out = new Set<string>();
  walkExpr(e, (x) => {
    if (x.kind === 'field') out.add(fieldPath(x));
  });
  return out;
}

function stageFields(filter: EventFilterNode, by: readonly Expr[], optionalStage: boolean): StageFields {
  let required = new Set(requiredOf(filter.condition));
  let read = readOf(filter.condition);
  for (const key of by) {
    required = union(required, operandFields(key));
    read = union(read, readOf(key));
  }
  return { category: filter.category, optionalStage, required, read };
}

/** Per stage, in the compiled query's order (event: 1; sequence: stages then `until`; sample: stages). */
export function fieldsByStage(query: QueryNode): StageFields[] {
  if (query.kind === 'event') return [stageFields(query.filter, [], false)];
  const stage = (s: StageNode, isUntil: boolean): StageFields => stageFields(s.filter, [...query.by, ...s.by], isUntil || s.missing);
  const out = query.stages.map((s) => stage(s, false));
  if (query.kind === 'sequence' && query.until) out.push(stage(query.until, true));
  return out;
}
