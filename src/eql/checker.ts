import { walkExpr, type Expr, type QueryNode, type StageNode } from './ast.js';
import type { EqlDiagnostic } from './eql-error.js';
import { diagnosticAt, eqlErrorOf } from './eql-position.js';
import { FUNCTIONS } from './functions/function-registry.js';
import type { ValueType } from './functions/function-spec.js';
import { LuceneRegexError, safeRegExp } from './lucene-regex.js';
import { LEGACY_FUNCTIONS } from './unsupported-features.js';

/** The static type of an expression: what it yields when it is not null. */
export function typeOf(e: Expr): ValueType {
  switch (e.kind) {
    case 'literal':
      return e.value === null ? 'null' : typeof e.value === 'string' ? 'string' : typeof e.value === 'number' ? 'number' : 'boolean';
    case 'field':
      return 'any';
    case 'not':
    case 'logic':
    case 'comparison':
    case 'in':
    case 'match':
      return 'boolean';
    case 'arithmetic':
    case 'negate':
      return 'number';
    case 'call':
      return FUNCTIONS.get(e.name)?.returns ?? 'any';
  }
}

const fits = (actual: ValueType, wanted: ValueType): boolean => actual === wanted || actual === 'any' || actual === 'null' || wanted === 'any';

/** Checks types, function names, signatures and arity. Throws one EqlError listing every problem found. */
export function checkQuery(text: string, query: QueryNode): void {
  const problems: EqlDiagnostic[] = [];
  const report = (code: string, message: string, offset: number): void => {
    problems.push(diagnosticAt(text, code, message, offset));
  };
  const checkCondition = (e: Expr): void => {
    const t = typeOf(e);
    if (t !== 'boolean' && t !== 'any' && t !== 'null') report('EQL_TYPE', `a condition must be boolean, found ${t}`, e.start);
    walkExpr(e, (node) => checkNode(node, report));
  };
  const checkStage = (s: StageNode): void => checkCondition(s.filter.condition);
  switch (query.kind) {
    case 'event':
      checkCondition(query.filter.condition);
      break;
    case 'sequence':
    case 'sample':
      for (const k of query.by) walkExpr(k, (node) => checkNode(node, report));
      for (const s of query.stages) {
        checkStage(s);
        for (const k of s.by) walkExpr(k, (node) => checkNode(node, report));
      }
      if (query.kind === 'sequence' && query.until !== null) checkStage(query.until);
      break;
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.offset - b.offset);
    throw eqlErrorOf(text, problems);
  }
}

/** Checks a lone expression (function fold tests, tooling). Throws one EqlError listing every problem. */
export function checkExpression(text: string, expr: Expr): void {
  const problems: EqlDiagnostic[] = [];
  walkExpr(expr, (node) => checkNode(node, (code, message, offset) => problems.push(diagnosticAt(text, code, message, offset))));
  if (problems.length > 0) throw eqlErrorOf(text, problems.sort((a, b) => a.offset - b.offset));
}

type Report = (code: string, message: string, offset: number) => void;

function checkNode(e: Expr, report: Report): void {
  switch (e.kind) {
    case 'literal':
    case 'field':
      return;
    case 'not':
      return wantBoolean(e.operand, "'not'", report);
    case 'logic':
      wantBoolean(e.left, `'${e.op}'`, report);
      return wantBoolean(e.right, `'${e.op}'`, report);
    case 'arithmetic':
      wantNumber(e.left, `'${e.op}'`, report);
      return wantNumber(e.right, `'${e.op}'`, report);
    case 'negate':
      return wantNumber(e.operand, "unary '-'", report);
    case 'comparison': {
      const [l, r] = [typeOf(e.left), typeOf(e.right)];
      if (l !== 'any' && r !== 'any' && l !== 'null' && r !== 'null' && l !== r) {
        report('EQL_TYPE', `cannot compare ${l} with ${r} using '${e.op}'`, e.right.start);
      }
      if (e.op !== '==' && e.op !== '!=' && (l === 'boolean' || r === 'boolean')) {
        report('EQL_TYPE', `'${e.op}' does not order booleans`, e.start);
      }
      return;
    }
    case 'in': {
      const v = typeOf(e.value);
      for (const item of e.list) {
        const t = typeOf(item);
        if (v !== 'any' && t !== 'any' && v !== 'null' && t !== 'null' && v !== t) report('EQL_TYPE', `'in' list item is ${t}, the value is ${v}`, item.start);
      }
      if (e.insensitive && v !== 'any' && v !== 'string' && v !== 'null') report('EQL_TYPE', `'in~' needs a string, found ${v}`, e.value.start);
      return;
    }
    case 'match': {
      const v = typeOf(e.value);
      if (v === 'number' || v === 'boolean') report('EQL_TYPE', `'${e.op}' needs a string, found ${v}`, e.value.start);
      for (const p of e.patterns) {
        if (typeof p.value !== 'string') {
          report('EQL_TYPE', `'${e.op}' patterns must be strings`, p.start);
          continue;
        }
        if (e.op === 'regex' || e.op === 'regex~') {
          try {
            safeRegExp(p.value, e.op === 'regex~');
          } catch (err) {
            if (!(err instanceof LuceneRegexError)) throw err;
            report('EQL_REGEX', `invalid regex: ${err.message}`, p.start);
          }
        }
      }
      return;
    }
    case 'call':
      return checkCall(e, report);
  }
}

function wantBoolean(e: Expr, what: string, report: Report): void {
  const t = typeOf(e);
  if (t === 'string' || t === 'number') report('EQL_TYPE', `${what} needs a boolean, found ${t}`, e.start);
}

function wantNumber(e: Expr, what: string, report: Report): void {
  const t = typeOf(e);
  if (t === 'string' || t === 'boolean') report('EQL_TYPE', `${what} needs a number, found ${t}`, e.start);
}

function checkCall(e: Extract<Expr, { kind: 'call' }>, report: Report): void {
  const spec = FUNCTIONS.get(e.name);
  if (spec === undefined) {
    if ((LEGACY_FUNCTIONS as readonly string[]).includes(e.name.toLowerCase())) {
      report('EQL_UNSUPPORTED_FEATURE', `unsupported feature: function ${e.name}() (not part of Elasticsearch EQL)`, e.start);
    } else report('EQL_UNKNOWN_FUNCTION', `unknown function '${e.name}'`, e.start);
    return;
  }
  if (e.insensitive && !spec.caseInsensitive) report('EQL_TYPE', `function '${spec.name}' has no case-insensitive (~) form`, e.start);
  const n = e.args.length;
  if (n < spec.minArgs || n > spec.maxArgs) {
    const want = spec.maxArgs === Infinity ? `at least ${spec.minArgs}` : spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
    report('EQL_ARITY', `function '${spec.name}' takes ${want} argument(s), found ${n}`, n > spec.maxArgs ? e.args[spec.maxArgs]!.start : e.start);
    return;
  }
  e.args.forEach((arg, i) => {
    const wanted = spec.argTypes[Math.min(i, spec.argTypes.length - 1)]!;
    const actual = typeOf(arg);
    if (!fits(actual, wanted)) report('EQL_TYPE', `argument ${i + 1} of '${spec.name}' must be ${wanted}, found ${actual}`, arg.start);
    if (spec.constantFrom !== undefined && i >= spec.constantFrom && !(arg.kind === 'literal' && typeof arg.value === 'string')) {
      report('EQL_TYPE', `argument ${i + 1} of '${spec.name}' must be a constant string`, arg.start);
    }
    if (spec.name === 'cidrMatch' && i >= 1 && arg.kind === 'literal' && typeof arg.value === 'string' && !validCidr(arg.value)) {
      report('EQL_TYPE', `invalid CIDR block '${arg.value}'`, arg.start);
    }
    if (spec.name === 'match' && i >= 1 && arg.kind === 'literal' && typeof arg.value === 'string') {
      try {
        safeRegExp(arg.value, e.insensitive);
      } catch (err) {
        if (!(err instanceof LuceneRegexError)) throw err;
        report('EQL_REGEX', `invalid regex: ${err.message}`, arg.start);
      }
    }
  });
}

function validCidr(text: string): boolean {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text);
  if (m === null) return false;
  const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(m[1]!);
  const v6 = m[1]!.includes(':');
  if (!v4 && !v6) return false;
  return m[2] === undefined || Number(m[2]) <= (v4 ? 32 : 128);
}
