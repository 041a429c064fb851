import type { EcsEvent } from '../ecs/ecs-event.js';
import { fieldPath, walkExpr, type EventFilterNode, type Expr, type QueryNode, type StageNode } from './ast.js';
import { checkExpression, checkQuery } from './checker.js';
import { CompileContext } from './compile-context.js';
import { compileValue } from './compile-expression.js';
import { compileFilterFunction } from './compile-filter-source.js';
import {
  DEFAULT_COMPILE_OPTIONS, type CompiledQuery, type CompiledStage, type CompileOptions, type KeyGetter,
} from './compiled-query.js';
import { extractConstraints } from './constraints.js';
import { deriveGate, gateFilter } from './stage-gate.js';
import { parseExpression, parseQuery } from './parser.js';
import { renderExpr } from './renderer.js';

/** Parses, checks and compiles a query. Throws EqlError (code, line, column, caret) on any problem. */
export function compileQuery(text: string, options: Partial<CompileOptions> = {}): CompiledQuery {
  const query = parseQuery(text);
  checkQuery(text, query);
  return compileAst(text, query, options);
}

/**
 * Parses, checks and compiles a lone expression into a value evaluator (null = null; arrays = multi-valued).
 * Used by the function fold tests and tooling; queries go through compileQuery.
 */
export function compileExpression(text: string, options: Partial<CompileOptions> = {}): (event: EcsEvent) => unknown {
  const expr = parseExpression(text);
  checkExpression(text, expr);
  const opts = { ...DEFAULT_COMPILE_OPTIONS, ...options };
  return compileValue(expr, new CompileContext(text, opts.categoryField, opts.timestampField ?? '@timestamp'));
}

/** Compiles an already parsed and checked query. */
export function compileAst(text: string, query: QueryNode, options: Partial<CompileOptions> = {}): CompiledQuery {
  const opts = { ...DEFAULT_COMPILE_OPTIONS, ...options };
  const ctx = new CompileContext(text, opts.categoryField, opts.timestampField ?? '@timestamp');
  const base = { text, pipes: query.pipes.map((p) => ({ kind: p.kind, count: p.count })) };
  switch (query.kind) {
    case 'event': {
      const stage = compileStage(ctx, { filter: query.filter, by: [], runs: null, missing: false, start: query.start, end: query.end }, []);
      return { kind: 'event', ...base, stage, fields: [...ctx.fields] };
    }
    case 'sequence': {
      const stages = query.stages.map((s) => compileStage(ctx, s, query.by));
      const until = query.until === null ? null : compileStage(ctx, query.until, query.by);
      return { kind: 'sequence', ...base, stages, until, maxspanMs: query.maxspan?.ms ?? null, fields: [...ctx.fields] };
    }
    case 'sample': {
      const stages = query.stages.map((s) => compileStage(ctx, s, query.by));
      return { kind: 'sample', ...base, stages, fields: [...ctx.fields] };
    }
  }
}

function compileStage(ctx: CompileContext, stage: StageNode, commonKeys: readonly Expr[]): CompiledStage {
  const keyExprs = [...commonKeys, ...stage.by];
  const keys: KeyGetter[] = keyExprs.map((k) => compileValue(k, ctx));
  const gate = deriveGate(ctx, stage.filter.condition);
  return {
    filter: gateFilter(gate, compileFilterFunction(ctx, stage.filter.category, stage.filter.condition)),
    gate,
    category: stage.filter.category,
    constraints: extractConstraints(stage.filter.condition),
    fields: filterFields(ctx, stage.filter),
    keys,
    keyNames: keyExprs.map(renderExpr),
    keyOptional: keyExprs.map((k) => k.kind === 'field' && k.optional),
    missing: stage.missing,
    runs: stage.runs ?? 1,
  };
}

function filterFields(ctx: CompileContext, filter: EventFilterNode): string[] {
  const out = new Set<string>();
  if (filter.category !== null) out.add(ctx.categoryField);
  walkExpr(filter.condition, (node) => {
    if (node.kind === 'field') out.add(fieldPath(node));
  });
  return [...out];
}

