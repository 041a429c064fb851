import { NORMALIZED_ECS, type EcsEvent } from '../ecs/ecs-event.js';
import { fieldPath, type ComparisonNode, type Expr, type FieldNode, type InNode, type MatchNode } from './ast.js';
import type { CompileContext } from './compile-context.js';
import { compileCondition, literalInTest, matchTests } from './compile-expression.js';
import type { EventPredicate } from './compiled-query.js';
import { anyOf, scalarEquals } from './value-ops.js';

/** Deeper `and`/`or`/`not` nests are left to the closures (the generated code nests one block per level). */
const MAX_DEPTH = 48;
/** Generated text above this size: the closures serve the whole filter. */
const MAX_SOURCE = 256 * 1024;

/**
 * An event filter (category check and condition) as one generated function.
 *
 * The closures of compile-expression.ts are shared by every rule: each `and`, each comparison and each field
 * getter is one function whatever the rule, so their call sites and keyed property loads see every rule's
 * fields and go megamorphic; a failing filter then costs ~200-400 ns although it reads three fields. Here
 * the common forms — `and`, `or`, `not`, a field compared with a constant, a field `in` constants, a field
 * matched with `like`/`:`/`regex` — are written out as code with the field's keys as literals, so each rule's
 * filter is its own function whose loads and calls V8 caches for the document shapes it meets. Everything
 * else (functions, arithmetic, optional fields, dates, field-to-field comparisons) calls the closure that
 * compile-expression.ts builds for that node, so the semantics are the closures' by construction; the
 * generated forms reproduce those closures' exact three-valued results (the conformance specs and the fuzz
 * test run through this path).
 *
 * Text from the query reaches the generated source only as JSON string literals (field keys, string
 * constants); every other constant and every helper is passed in by reference.
 */
export function compileFilterFunction(ctx: CompileContext, category: string | null, condition: Expr): EventPredicate {
  const gen = new FilterSource(ctx);
  const r = gen.temp();
  let body = gen.condition(condition, r, 0, true);
  if (category !== null) {
    const c = gen.temp();
    const load = gen.load(ctx.categoryField, c);
    const cat = JSON.stringify(category);
    body = `${load}if (!(${c} === ${cat} || (Array.isArray(${c}) && ${c}.includes(${cat})))) return false;\n${body}`;
  }
  const source = `return function eqlFilter(e) {\n${body}return ${r} === true;\n};`;
  if (source.length > MAX_SOURCE) return closureFilter(ctx, category, condition);
  let make: (x: readonly unknown[], a: typeof anyOf) => EventPredicate;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- query text enters only as JSON literals (see above)
    make = new Function('x', 'anyOf', source) as typeof make;
  } catch (err) {
    // Node started with --disallow-code-generation-from-strings (an embedder's policy): the closures serve
    if (err instanceof EvalError) return closureFilter(ctx, category, condition);
    throw err;
  }
  return make(gen.externals, anyOf);
}

/** The same filter from the closures alone (the reference the generated form must agree with). */
export function closureFilter(ctx: CompileContext, category: string | null, condition: Expr): EventPredicate {
  const cond = compileCondition(condition, ctx);
  if (category === null) return (e) => cond(e) === true;
  const getCategory = ctx.getter(ctx.categoryField);
  const inCategory = (e: EcsEvent): boolean => {
    const v = getCategory(e);
    if (v === category) return true;
    return Array.isArray(v) && v.includes(category);
  };
  return (e) => inCategory(e) && cond(e) === true;
}

/**
 * Rough evaluation cost, for ordering operands where only truth matters: field checks against constants
 * first, wildcard matches next, nested logic, regexes and everything else last.
 */
function costClass(e: Expr): number {
  switch (e.kind) {
    case 'comparison':
      return e.left.kind === 'literal' || e.right.kind === 'literal' ? 0 : 3;
    case 'in':
      return 1;
    case 'match':
      return e.op === 'regex' || e.op === 'regex~' ? 4 : 2;
    default:
      return 3;
  }
}

/** Code: `v` is an array of one value of type `type` (a quoted typeof name). */
function oneOf(v: string, type: string): string {
  return `(Array.isArray(${v}) && ${v}.length === 1 && typeof ${v}[0] === ${type})`;
}

/** A field named by string keys only, none of them an inherited property (`constructor`, `__proto__`). */
function plainPath(e: Expr): string | null {
  if (e.kind !== 'field') return null;
  for (const p of e.parts) if (typeof p !== 'string' || p in Object.prototype) return null;
  return fieldPath(e as FieldNode);
}

class FilterSource {
  readonly externals: unknown[] = [];
  #temps = 0;

  constructor(readonly ctx: CompileContext) {}

  temp(): string {
    return `t${this.#temps++}`;
  }

  #ext(v: unknown): string {
    this.externals.push(v);
    return `x[${this.externals.length - 1}]`;
  }

  /**
   * Declares `out` and loads a dotted field into it as the field getter does: the fully nested shape read
   * inline, anything else (literal dotted keys, arrays of objects) through the getter's general walk.
   */
  load(path: string, out: string): string {
    const getter = this.#ext(this.ctx.getter(path));
    const parts = path.split('.');
    if (parts.some((p) => p in Object.prototype)) return `let ${out} = ${getter}(e);\n`;
    if (parts.length === 1) return `let ${out} = e[${JSON.stringify(parts[0])}];\n`;
    // `w` turns true where an array of objects may hold the value: the getter's walk flattens it
    let code = `let ${out};\n{ let w = false; const a0 = e[${JSON.stringify(parts[0])}];\n`;
    let close = '';
    for (let i = 1; i < parts.length; i++) {
      const key = JSON.stringify(parts[i]);
      code += `if (a${i - 1} !== null && typeof a${i - 1} === 'object') { if (Array.isArray(a${i - 1})) w = true; else { `;
      code += i === parts.length - 1 ? `${out} = a${i - 1}[${key}]; ` : `const a${i} = a${i - 1}[${key}];\n`;
      close += '} }';
    }
    // absent on the nested path: only a document with literal dotted keys (not nestedOnly: its `ecs` is not
    // NORMALIZED_ECS) or arrays of objects can still hold it
    return `${code}${close}\nif (${out} === undefined && (w || e.ecs !== ${this.#ext(NORMALIZED_ECS)})) ${out} = ${getter}(e); }\n`;
  }

  /**
   * Statements that declare `out` and set it to the condition's value: true, false or null. With `truthOnly`
   * only whether the value is `true` must be right (what a filter asks), which lets `and` stop at a null and
   * try its cheapest conjuncts first; under `not` the exact value is needed again.
   */
  condition(e: Expr, out: string, depth: number, truthOnly: boolean): string {
    if (depth <= MAX_DEPTH) {
      switch (e.kind) {
        case 'logic':
          if (truthOnly) return this.#truthOnly(e.op, e, out, depth);
          return this.#logic(e.op, e.left, e.right, out, depth);
        case 'not': {
          const inner = this.temp();
          return `${this.condition(e.operand, inner, depth + 1, false)}const ${out} = ${inner} === null ? null : !${inner};\n`;
        }
        case 'comparison': {
          const code = this.#comparison(e, out);
          if (code !== null) return code;
          break;
        }
        case 'in': {
          const code = this.#in(e, out);
          if (code !== null) return code;
          break;
        }
        case 'match': {
          const code = this.#match(e, out);
          if (code !== null) return code;
          break;
        }
        default:
          break;
      }
    }
    return `const ${out} = ${this.#ext(compileCondition(e, this.ctx))}(e);\n`;
  }

  #logic(op: 'and' | 'or', left: Expr, right: Expr, out: string, depth: number): string {
    const [a, b] = [this.temp(), this.temp()];
    const stop = op === 'and' ? 'false' : 'true';
    const other = op === 'and' ? 'true' : 'false';
    return (
      `let ${out};\n${this.condition(left, a, depth + 1, false)}` +
      `if (${a} === ${stop}) ${out} = ${stop};\nelse {\n${this.condition(right, b, depth + 1, false)}` +
      `${out} = ${b} === ${stop} ? ${stop} : ${a} === ${other} && ${b} === ${other} ? ${other} : null;\n}\n`
    );
  }

  /**
   * `and`/`or` where only truth matters: the chain's operands flattened, cheapest first (pure conditions:
   * the order changes no result), `and` leaving at the first operand that is not true, `or` at the first that is.
   */
  #truthOnly(op: 'and' | 'or', e: Expr, out: string, depth: number): string {
    const operands: Expr[] = [];
    const flatten = (x: Expr): void => {
      if (x.kind === 'logic' && x.op === op) {
        flatten(x.left);
        flatten(x.right);
      } else operands.push(x);
    };
    flatten(e);
    const ordered = operands.map((x, i) => ({ x, i, cost: costClass(x) })).sort((a, b) => a.cost - b.cost || a.i - b.i);
    let code = `let ${out} = ${op === 'and' ? 'true' : 'false'};\n`;
    let close = '';
    ordered.forEach(({ x }, i) => {
      const t = this.temp();
      code += this.condition(x, t, depth + 1, true);
      if (op === 'and') code += i === ordered.length - 1 ? `${out} = ${t} === true;\n` : `if (${t} !== true) ${out} = false;\nelse {\n`;
      else code += i === ordered.length - 1 ? `${out} = ${t} === true;\n` : `if (${t} === true) ${out} = true;\nelse {\n`;
      if (i < ordered.length - 1) close += '}\n';
    });
    return code + close;
  }

  /** `field == constant` / `!=` (not optional, not the timestamp, constant not null); else null. */
  #comparison(e: ComparisonNode, out: string): string | null {
    if (e.op !== '==' && e.op !== '!=') return null;
    const [field, lit] = e.right.kind === 'literal' ? [e.left, e.right] : [e.right, e.left];
    if (lit.kind !== 'literal' || lit.value === null || field.kind !== 'field' || field.optional) return null;
    const path = plainPath(field);
    if (path === null || path === this.ctx.timestampField) return null;
    const c = lit.value;
    const constant = typeof c === 'string' ? JSON.stringify(c) : this.#ext(c);
    const test = this.#ext((x: unknown): boolean => scalarEquals(x, c));
    const v = this.temp();
    const t = `'${typeof c}'`;
    // a one-value array of the constant's type (event.type, event.category) decided inline, as anyOf would
    const eq = `${v} === ${constant} ? true : typeof ${v} === ${t} ? false : ${oneOf(v, t)} ? ${v}[0] === ${constant} : anyOf(${v}, ${test})`;
    if (e.op === '==') return `${this.load(path, v)}const ${out} = ${eq};\n`;
    const r = this.temp();
    return `${this.load(path, v)}const ${r} = ${eq};\nconst ${out} = ${r} === null ? null : !${r};\n`;
  }

  /** `field in (constants)` / `not in`; else null. */
  #in(e: InNode, out: string): string | null {
    const path = plainPath(e.value);
    const scalar = path === null ? null : literalInTest(e);
    if (path === null || scalar === null) return null;
    const test = this.#ext(scalar);
    const v = this.temp();
    const holds = `typeof ${v} === 'string' ? ${test}(${v}) : ${oneOf(v, "'string'")} ? ${test}(${v}[0]) : anyOf(${v}, ${test})`;
    if (!e.negated) return `${this.load(path, v)}const ${out} = ${holds};\n`;
    const r = this.temp();
    return `${this.load(path, v)}const ${r} = ${holds};\nconst ${out} = ${r} === null ? null : !${r};\n`;
  }

  /** `field like/like~/:/regex/regex~ patterns`; else null. */
  #match(e: MatchNode, out: string): string | null {
    const path = plainPath(e.value);
    if (path === null) return null;
    const { match, test } = matchTests(e);
    const v = this.temp();
    const m = this.#ext(match);
    return `${this.load(path, v)}const ${out} = typeof ${v} === 'string' ? ${m}(${v}) : ${oneOf(v, "'string'")} ? ${m}(${v}[0]) : anyOf(${v}, ${this.#ext(test)});\n`;
  }
}
