import type { EventFilterNode, Expr, LiteralNode, PathPart, PipeNode, QueryNode, StageNode } from './ast.js';
import { isKeyword } from './lexer.js';

/**
 * Turns a syntax tree back into EQL text. Parsing the output gives the same tree (spans aside): parentheses
 * are added where precedence needs them, strings are escaped, `"""raw"""` strings stay raw when they can.
 */
export function renderQuery(q: QueryNode): string {
  const pipes = renderPipes(q.pipes);
  switch (q.kind) {
    case 'event':
      return renderFilter(q.filter) + pipes;
    case 'sequence': {
      let head = 'sequence';
      if (q.by.length > 0) head += ` by ${q.by.map(renderExpr).join(', ')}`;
      if (q.maxspan !== null) head += ` with maxspan=${q.maxspan.amount}${q.maxspan.unit}`;
      const stages = q.stages.map((s) => `  ${renderStage(s)}`);
      if (q.until !== null) stages.push(`until ${renderStage(q.until)}`);
      return `${head}\n${stages.join('\n')}${pipes}`;
    }
    case 'sample': {
      const head = q.by.length > 0 ? `sample by ${q.by.map(renderExpr).join(', ')}` : 'sample';
      return `${head}\n${q.stages.map((s) => `  ${renderStage(s)}`).join('\n')}${pipes}`;
    }
  }
}

function renderPipes(pipes: readonly PipeNode[]): string {
  return pipes.map((p) => ` | ${p.kind} ${p.count}`).join('');
}

function renderStage(s: StageNode): string {
  let out = `${s.missing ? '![' : '['}${renderFilter(s.filter)}]`;
  if (s.by.length > 0) out += ` by ${s.by.map(renderExpr).join(', ')}`;
  if (s.runs !== null) out += ` with runs=${s.runs}`;
  return out;
}

function renderFilter(f: EventFilterNode): string {
  let cat: string;
  if (f.category === null) cat = 'any';
  else if (!f.categoryQuoted && /^[A-Za-z_@][A-Za-z0-9_]*$/.test(f.category) && !isKeyword(f.category)) cat = f.category;
  else cat = renderString(f.category);
  return `${cat} where ${renderExpr(f.condition)}`;
}

// Precedence, loosest first: or, and, not, comparison, additive, multiplicative, unary, predicate, primary.
const PREC = { or: 1, and: 2, not: 3, comparison: 4, additive: 5, multiplicative: 6, unary: 7, predicate: 8, primary: 9 } as const;

function precOf(e: Expr): number {
  switch (e.kind) {
    case 'logic':
      return PREC[e.op];
    case 'not':
      return PREC.not;
    case 'comparison':
      return PREC.comparison;
    case 'arithmetic':
      return e.op === '+' || e.op === '-' ? PREC.additive : PREC.multiplicative;
    case 'negate':
      return PREC.unary;
    case 'in':
    case 'match':
      return PREC.predicate;
    case 'literal':
      return typeof e.value === 'number' && (e.value < 0 || Object.is(e.value, -0)) ? PREC.unary : PREC.primary;
    case 'field':
    case 'call':
      return PREC.primary;
  }
}

function wrap(e: Expr, min: number): string {
  const s = renderExpr(e);
  return precOf(e) < min ? `(${s})` : s;
}

export function renderExpr(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return renderLiteral(e);
    case 'field':
      return (e.optional ? '?' : '') + renderPath(e.parts);
    case 'not':
      return `not ${wrap(e.operand, PREC.not)}`;
    case 'logic':
      return `${wrap(e.left, PREC[e.op])} ${e.op} ${wrap(e.right, PREC[e.op] + 1)}`;
    case 'comparison':
      return `${wrap(e.left, PREC.additive)} ${e.op} ${wrap(e.right, PREC.additive)}`;
    case 'arithmetic': {
      const p = precOf(e);
      return `${wrap(e.left, p)} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case 'negate':
      return `-${wrap(e.operand, PREC.predicate)}`;
    case 'in':
      return `${wrap(e.value, PREC.primary)} ${e.negated ? 'not ' : ''}${e.insensitive ? 'in~' : 'in'} (${e.list.map(renderExpr).join(', ')})`;
    case 'match': {
      const pats = e.patterns.map(renderLiteral).join(', ');
      return `${wrap(e.value, PREC.primary)} ${e.op} ${e.parenthesized ? `(${pats})` : pats}`;
    }
    case 'call':
      return `${e.name}${e.insensitive ? '~' : ''}(${e.args.map(renderExpr).join(', ')})`;
  }
}

function renderPath(parts: readonly PathPart[]): string {
  let out = '';
  parts.forEach((p, i) => {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const plain = /^[A-Za-z_@][A-Za-z0-9_]*$/.test(p) && !(i === 0 && isKeyword(p)) && !(i === 0 && p.startsWith('@') && p.length === 1);
      const seg = plain ? p : `\`${p.replace(/`/g, '``')}\``;
      out += i === 0 ? seg : `.${seg}`;
    }
  });
  return out;
}

function renderLiteral(e: LiteralNode): string {
  const v = e.value;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    const s = String(v);
    if (!e.decimal || /[.eE]/.test(s) || !Number.isFinite(v)) return s;
    return `${s}.0`;
  }
  if (e.raw && !v.includes('"""') && !/[\r\n]/.test(v) && !v.endsWith('"')) return `"""${v}"""`;
  return renderString(v);
}

function renderString(v: string): string {
  let out = '"';
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) out += `\\u{${c.toString(16).padStart(2, '0')}}`;
    else out += ch;
  }
  return `${out}"`;
}
