import { BoundedMemo } from '../bounded-memo.js';
import type { EcsEvent } from '../ecs/ecs-event.js';
import { compileFieldGetter, type FieldGetter } from '../ecs/field-getter.js';
import { ast, fieldPath, walkExpr, type Expr } from './ast.js';
import type { CompileContext } from './compile-context.js';
import { compileFilterFunction } from './compile-filter-source.js';
import type { EventPredicate } from './compiled-query.js';

/**
 * Fields a stage may be gated on: one string per event (or a boolean) with few distinct values in a stream,
 * so a verdict per value is worth remembering. The image names and paths of a process and its parent repeat
 * for every exec of the same program; the AI-agent tag is one of a handful of values.
 */
export const GATE_FIELDS: ReadonlySet<string> = new Set([
  'process.name',
  'process.executable',
  'process.parent.name',
  'process.parent.executable',
  'process.ai_agent.is_descendant',
  'process.ai_agent.name',
]);

/** Distinct value combinations remembered per stage (emptied when full, counted). */
const GATE_MEMO_SIZE = 4096;

/**
 * Stage gates in this process: events a gate rejected, values that could not key a memo (left to the filter),
 * and memo emptyings (status.json).
 */
export const stageGateStats = { rejected: 0, notMemoizable: 0, memoClears: 0 };

/** A plain field path read by `e` (names only, no `[n]` index), else null. */
function plainPath(e: Expr): string | null {
  return e.kind === 'field' && e.parts.every((p) => typeof p === 'string') ? fieldPath(e) : null;
}

/** Whether every field `e` reads is a gate field read by plain path. */
function readsOnlyGateFields(e: Expr): boolean {
  let ok = true;
  walkExpr(e, (node) => {
    if (node.kind !== 'field') return;
    const path = plainPath(node);
    if (path === null || !GATE_FIELDS.has(path)) ok = false;
  });
  return ok;
}

/**
 * A necessary condition of `e` on gate fields alone: every maximal condition reading another field is
 * replaced by the constant that can only raise the result — `true` where it counts positively, `false` under
 * an odd number of `not`s. EQL's `and`, `or` and `not` are monotone (Kleene) over false < null < true, so the
 * gate is true wherever `e` is. Returns a constant when nothing of `e` is left.
 */
function necessary(e: Expr, positive: boolean): Expr | boolean {
  if (e.kind === 'logic') {
    const a = necessary(e.left, positive);
    const b = necessary(e.right, positive);
    if (e.op === 'and') {
      if (a === false || b === false) return false;
      if (a === true) return b;
      if (b === true) return a;
      return ast.logic('and', a, b);
    }
    if (a === true || b === true) return true;
    if (a === false) return b;
    if (b === false) return a;
    return ast.logic('or', a, b);
  }
  if (e.kind === 'not') {
    const x = necessary(e.operand, !positive);
    return typeof x === 'boolean' ? !x : ast.not(x, e);
  }
  return readsOnlyGateFields(e) ? e : positive;
}

/** The gate fields `e` reads, in a fixed order. */
function gateFieldsOf(e: Expr): string[] {
  const out = new Set<string>();
  walkExpr(e, (node) => {
    const path = plainPath(node);
    if (path !== null) out.add(path);
  });
  return [...out].sort();
}

/** Values a verdict can be remembered under (compared by value in a Map). */
function memoizable(v: unknown): boolean {
  return v === undefined || v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number';
}

/** A necessary condition of a stage's filter on gate fields alone (CompiledStage.gate). */
export interface StageGate {
  /** The gate fields it reads (none for a stage that can never match). */
  readonly fields: readonly string[];
  readonly test: EventPredicate;
}

/** The gate of a filter's condition, or null when none can be derived (every field it reads is another). */
export function deriveGate(ctx: CompileContext, condition: Expr): StageGate | null {
  const gate = necessary(condition, true);
  if (gate === true) return null;
  if (gate === false) return { fields: [], test: () => false };
  return { fields: gateFieldsOf(gate), test: compileFilterFunction(ctx, null, gate) };
}

/**
 * `test` (reading only `fields`) with its verdict remembered per combination of their values: true or false,
 * or undefined when a value cannot key the memo (an array, an object), which leaves the decision to the caller.
 */
export function rememberedGate(fields: readonly string[], test: EventPredicate): (e: EcsEvent) => boolean | undefined {
  if (fields.length === 0) return test;
  const getters: FieldGetter[] = fields.map((f) => compileFieldGetter(f));
  return getters.length === 1 ? rememberOne(getters[0]!, test) : rememberMany(getters, test);
}

/**
 * The stage's filter behind its gate: an event whose gate is false cannot match, so its filter is not run;
 * otherwise the filter decides as before. Most events of a stream repeat the program names the gate reads,
 * so a failing stage costs a map lookup instead of its whole filter (wildcards over command lines, `in` over
 * arguments). The result is the filter's by construction: the gate is only ever a necessary condition.
 */
export function gateFilter(gate: StageGate | null, filter: EventPredicate): EventPredicate {
  if (gate === null) return filter;
  const check = rememberedGate(gate.fields, gate.test);
  return (e: EcsEvent): boolean => {
    if (check(e) === false) {
      stageGateStats.rejected++;
      return false;
    }
    return filter(e);
  };
}

function rememberOne(get: FieldGetter, test: EventPredicate): (e: EcsEvent) => boolean | undefined {
  const memo = new BoundedMemo<unknown, boolean>(GATE_MEMO_SIZE);
  return (e: EcsEvent): boolean | undefined => {
    const v = get(e);
    if (!memoizable(v)) {
      stageGateStats.notMemoizable++;
      return undefined;
    }
    let pass = memo.get(v);
    if (pass === undefined) {
      const clears = memo.clears;
      pass = memo.set(v, test(e));
      stageGateStats.memoClears += memo.clears - clears;
    }
    return pass;
  };
}

/** Several gate fields: nested maps, one level per field (no key text built per event). */
function rememberMany(getters: readonly FieldGetter[], test: EventPredicate): (e: EcsEvent) => boolean | undefined {
  type Level = Map<unknown, Level | boolean>;
  let root: Level = new Map();
  let size = 0;
  const last = getters.length - 1;
  const values: unknown[] = new Array<unknown>(getters.length);
  return (e: EcsEvent): boolean | undefined => {
    for (let i = 0; i <= last; i++) {
      const v = getters[i]!(e);
      if (!memoizable(v)) {
        stageGateStats.notMemoizable++;
        return undefined;
      }
      values[i] = v;
    }
    let level = root;
    let i = 0;
    for (; i < last; i++) {
      const next = level.get(values[i]) as Level | undefined;
      if (next === undefined) break;
      level = next;
    }
    let pass = i === last ? (level.get(values[last]) as boolean | undefined) : undefined;
    if (pass === undefined) {
      pass = test(e);
      if (size >= GATE_MEMO_SIZE) {
        root = new Map();
        level = root;
        i = 0;
        size = 0;
        stageGateStats.memoClears++;
      }
      for (; i < last; i++) {
        const child: Level = new Map();
        level.set(values[i], child);
        level = child;
      }
      level.set(values[last], pass);
      size++;
    }
    return pass;
  };
}
