import type { Expr, QueryNode } from '../eql/ast.js';
import { fieldPath } from '../eql/ast.js';
import { parseQuery } from '../eql/index.js';
import type { CompiledQuery, CompiledStage } from '../eql/compiled-query.js';
import { kernelKeyOf, type SensitiveField, type SensitivePattern } from '../sensitive-file-policy.js';
import type { LoadedRule } from './loaded-rule.js';

/** What a rule needs of the sensitive-open policy (src/sensitive-file-policy.ts). */
export interface RuleOpenNeeds {
  /** Stages that can match an `open` file event (no event.action/event.type constraint excludes it). */
  readonly openStages: number;
  /** Patterns that bound every such stage's file (the union over stages); empty when openStages is 0. */
  readonly patterns: readonly SensitivePattern[];
  /** Stages whose file predicates bound nothing (no file.path/name/extension constant or pattern in every branch). */
  readonly unboundedStages: number;
  /** Patterns the kernel cannot key (see kernelKeyOf): their opens are never reported. */
  readonly broad: readonly SensitivePattern[];
}

const FIELDS: Readonly<Record<string, SensitiveField>> = { 'file.path': 'path', 'file.name': 'name', 'file.extension': 'extension' };

type Bound = SensitivePattern[] | null;

function fieldOf(e: Expr): SensitiveField | undefined {
  return e.kind === 'field' ? FIELDS[fieldPath(e)] : undefined;
}

function literals(list: readonly Expr[]): string[] | null {
  const out: string[] = [];
  for (const x of list) {
    if (x.kind !== 'literal' || typeof x.value !== 'string') return null;
    out.push(x.value);
  }
  return out;
}

const escapeWild = (s: string): string | null => (s.includes('*') || s.includes('?') ? null : s);

/**
 * Patterns such that the condition implies "the file matches one of them", or null when it implies no such
 * bound (a negation, an `or` with an unbounded side, a regex, a predicate on other fields only).
 */
function bound(e: Expr, source: string): Bound {
  const pat = (field: SensitiveField, value: string, wildcard: boolean, insensitive: boolean): SensitivePattern => ({ field, value, wildcard, insensitive, source });
  switch (e.kind) {
    case 'logic': {
      const l = bound(e.left, source);
      const r = bound(e.right, source);
      if (e.op === 'or') return l !== null && r !== null ? [...l, ...r] : null;
      if (l === null || r === null) return l ?? r;
      // both sides bound the file: keep the side the kernel can key entirely, else the smaller one
      const keyed = (b: SensitivePattern[]): boolean => b.every((p) => kernelKeyOf(p) !== null);
      if (keyed(l) !== keyed(r)) return keyed(l) ? l : r;
      return l.length <= r.length ? l : r;
    }
    case 'comparison': {
      if (e.op !== '==') return null;
      const [f, v] = fieldOf(e.left) !== undefined ? [fieldOf(e.left), e.right] : [fieldOf(e.right), e.left];
      if (f === undefined || v.kind !== 'literal' || typeof v.value !== 'string') return null;
      return [pat(f, v.value, false, false)];
    }
    case 'in': {
      const f = fieldOf(e.value);
      const values = literals(e.list);
      if (f === undefined || e.negated || values === null) return null;
      return values.map((v) => pat(f, v, false, e.insensitive));
    }
    case 'match': {
      const f = fieldOf(e.value);
      if (f === undefined || e.op === 'regex' || e.op === 'regex~') return null;
      const values = literals(e.patterns);
      if (values === null) return null;
      return values.map((v) => pat(f, v, true, e.op !== 'like'));
    }
    case 'call': {
      const name = e.name.toLowerCase();
      const [a, b] = e.args;
      if (e.args.length !== 2 || a === undefined || b === undefined) return null;
      const f = fieldOf(a);
      if (f === undefined || b.kind !== 'literal' || typeof b.value !== 'string') return null;
      const text = escapeWild(b.value);
      if (text === null) return null;
      if (name === 'startswith') return [pat(f, `${text}*`, true, e.insensitive)];
      if (name === 'endswith') return [pat(f, `*${text}`, true, e.insensitive)];
      return null;
    }
    default:
      return null;
  }
}

function conditions(q: QueryNode): Expr[] {
  if (q.kind === 'event') return [q.filter.condition];
  const stages = q.kind === 'sequence' && q.until ? [...q.stages, q.until] : [...q.stages];
  return stages.map((s) => s.filter.condition);
}

function compiledStages(q: CompiledQuery): CompiledStage[] {
  if (q.kind === 'event') return [q.stage];
  return q.kind === 'sequence' && q.until ? [...q.stages, q.until] : [...q.stages];
}

/** Whether a stage can match a file `open` (category file or any, no action/type constraint excluding it). */
function canMatchOpen(stage: CompiledStage): boolean {
  if (stage.category !== 'file') return false;
  const actions = stage.constraints['event.action'];
  const types = stage.constraints['event.type'];
  return (actions === undefined || actions.includes('open')) && (types === undefined || types.includes('access'));
}

/** The sensitive-open patterns a rule needs, derived from its file predicates on stages that can match `open`. */
export function ruleOpenNeeds(rule: LoadedRule): RuleOpenNeeds {
  const stages = compiledStages(rule.query);
  let conds: Expr[];
  try {
    conds = conditions(parseQuery(rule.query.text));
  } catch {
    conds = [];
  }
  let openStages = 0;
  let unboundedStages = 0;
  const patterns: SensitivePattern[] = [];
  stages.forEach((stage, i) => {
    if (!canMatchOpen(stage)) return;
    openStages++;
    const cond = conds.length === stages.length ? conds[i] : undefined;
    const b = cond === undefined ? null : bound(cond, rule.meta.name);
    if (b === null) unboundedStages++;
    else patterns.push(...b);
  });
  return { openStages, patterns, unboundedStages, broad: patterns.filter((p) => kernelKeyOf(p) === null) };
}
