import { fieldPath, type Expr } from './ast.js';

/** The top-level `and` terms of a condition. */
function conjuncts(e: Expr, out: Expr[] = []): Expr[] {
  if (e.kind === 'logic' && e.op === 'and') {
    conjuncts(e.left, out);
    conjuncts(e.right, out);
  } else out.push(e);
  return out;
}

/** The constant strings a term forces one field to, if it does: `f == "a"`, `"a" == f`, `f in ("a", "b")`. */
function forced(term: Expr): [string, string[]] | null {
  if (term.kind === 'comparison' && term.op === '==') {
    const { left, right } = term;
    if (left.kind === 'field' && right.kind === 'literal' && typeof right.value === 'string') return [fieldPath(left), [right.value]];
    if (right.kind === 'field' && left.kind === 'literal' && typeof left.value === 'string') return [fieldPath(right), [left.value]];
    return null;
  }
  if (term.kind === 'in' && !term.negated && !term.insensitive && term.value.kind === 'field') {
    const values: string[] = [];
    for (const item of term.list) {
      if (item.kind !== 'literal' || typeof item.value !== 'string') return null;
      values.push(item.value);
    }
    return [fieldPath(term.value), values];
  }
  return null;
}

/**
 * Indexing hints for a stage: per field, the case-sensitive constants it must equal (any element, for a
 * multi-valued field), from top-level `and` terms. Several terms on one field intersect; a contradiction keeps
 * the first list (the stage can never match, so any hint is sound).
 */
export function extractConstraints(condition: Expr): Record<string, string[]> {
  const out = new Map<string, string[]>();
  for (const term of conjuncts(condition)) {
    const f = forced(term);
    if (f === null) continue;
    const [field, values] = f;
    const prev = out.get(field);
    if (prev === undefined) out.set(field, [...new Set(values)]);
    else {
      const both = prev.filter((v) => values.includes(v));
      if (both.length > 0) out.set(field, both);
    }
  }
  return Object.fromEntries(out);
}
