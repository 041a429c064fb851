/**
 * The EQL package's public surface: parse, check, compile and render Elasticsearch EQL.
 */
export type {
  CompiledQuery, CompiledEventQuery, CompiledSequenceQuery, CompiledSampleQuery, CompiledStage, CompileOptions,
  EventPredicate, KeyGetter, Pipe,
} from './compiled-query.js';
export { DEFAULT_COMPILE_OPTIONS } from './compiled-query.js';
export { EqlError } from './eql-error.js';
export type { EqlDiagnostic } from './eql-error.js';
export type { QueryNode, Expr } from './ast.js';
export { compileQuery, compileAst, compileExpression } from './compile-query.js';
export { parseQuery, parseExpression } from './parser.js';
export { checkQuery, checkExpression } from './checker.js';
export { renderQuery, renderExpr } from './renderer.js';
export { caretLines } from './eql-position.js';
