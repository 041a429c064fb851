import { ast, type ComparisonOp, type Expr, type LiteralNode, type MatchOp, type PathPart, type Span } from './ast.js';
import { TokenStream } from './token-stream.js';
import { LEGACY_FUNCTIONS, unsupported } from './unsupported-features.js';

const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);
const MATCH_OPERATORS: ReadonlySet<string> = new Set([':', 'like', 'like~', 'regex', 'regex~']);

/**
 * Expressions by precedence, loosest first: or, and, not, comparison (non-associative), + -, * / %,
 * unary -, then a primary with an optional predicate (`in`, `:`, `like`, `regex`), as EqlBase.g4 has them.
 */
export class ExpressionParser extends TokenStream {
  expression(): Expr {
    this.enter();
    try {
      return this.or();
    } finally {
      this.depth--;
    }
  }

  protected or(): Expr {
    let left = this.and();
    while (this.isKw('or')) {
      this.next();
      this.operator();
      left = ast.logic('or', left, this.and());
    }
    return left;
  }

  protected and(): Expr {
    let left = this.not();
    while (this.isKw('and')) {
      this.next();
      this.operator();
      left = ast.logic('and', left, this.not());
    }
    return left;
  }

  protected not(): Expr {
    const t = this.peek();
    if (this.isKw('not')) {
      this.next();
      this.enter();
      try {
        const operand = this.not();
        return ast.not(operand, { start: t.start, end: operand.end });
      } finally {
        this.depth--;
      }
    }
    if (t.kind === 'identifier' && this.isKw('of', 1)) unsupported(this.text, `${t.value} of`, t.start);
    return this.comparison();
  }

  protected comparison(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'operator' && COMPARISONS.has(t.value)) {
      this.next();
      return ast.comparison(t.value as ComparisonOp, left, this.additive());
    }
    if (t.kind === 'operator' && t.value === '=') this.fail("'=' is not a comparison: use '==' (or ':' for case-insensitive)");
    return left;
  }

  protected additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().value as '+' | '-';
      this.operator();
      left = ast.arithmetic(op, left, this.multiplicative());
    }
    return left;
  }

  protected multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().value as '*' | '/' | '%';
      this.operator();
      left = ast.arithmetic(op, left, this.unary());
    }
    return left;
  }

  protected unary(): Expr {
    const t = this.peek();
    if (this.isOp('-') || this.isOp('+')) {
      this.next();
      this.enter();
      try {
        const operand = this.unary();
        const span = { start: t.start, end: operand.end };
        if (t.value === '+') return operand;
        if (operand.kind === 'literal' && typeof operand.value === 'number') return ast.literal(-operand.value, span, { decimal: operand.decimal });
        return ast.negate(operand, span);
      } finally {
        this.depth--;
      }
    }
    return this.predicate(this.primary());
  }

  protected predicate(value: Expr): Expr {
    const t = this.peek();
    if (this.isKw('not') && (this.isKw('in', 1) || this.isOp('in~', 1))) {
      this.next();
      return this.inList(value, true);
    }
    if (this.isKw('in') || this.isOp('in~')) return this.inList(value, false);
    const isMatch = (t.kind === 'operator' || t.kind === 'keyword') && MATCH_OPERATORS.has(t.value);
    if (!isMatch) return value;
    this.next();
    const op = t.value as MatchOp;
    if (this.isOp('(')) {
      this.next();
      const patterns = [this.constant()];
      while (this.isOp(',')) {
        this.next();
        patterns.push(this.constant());
      }
      const close = this.expectOp(')', "')' or ','");
      return ast.match(op, value, patterns, true, { start: value.start, end: close.end });
    }
    const pattern = this.constant();
    return ast.match(op, value, [pattern], false, { start: value.start, end: pattern.end });
  }

  protected inList(value: Expr, negated: boolean): Expr {
    const op = this.next();
    this.expectOp('(', `'(' after '${op.value}'`);
    const list = [this.expression()];
    while (this.isOp(',')) {
      this.next();
      list.push(this.expression());
    }
    const close = this.expectOp(')', "')' or ','");
    return ast.in(value, list, op.value === 'in~', negated, { start: value.start, end: close.end });
  }

  protected constant(): LiteralNode {
    const t = this.peek();
    const lit = this.literal();
    if (lit === null) this.fail(`expected a constant, found ${this.describe(t)}`);
    return lit;
  }

  protected literal(): LiteralNode | null {
    const t = this.peek();
    const span: Span = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'string':
        this.next();
        return ast.literal(t.value, span, { raw: t.raw === true });
      case 'integer':
      case 'decimal': {
        this.next();
        const v = Number(t.value);
        if (!Number.isFinite(v)) this.fail(`number out of range: ${t.value}`, t);
        if (t.kind === 'integer' && !Number.isSafeInteger(v)) this.fail(`integer out of range: ${t.value}`, t);
        return ast.literal(v, span, { decimal: t.kind === 'decimal' });
      }
      case 'keyword':
        if (t.value === 'null' || t.value === 'true' || t.value === 'false') {
          this.next();
          return ast.literal(t.value === 'null' ? null : t.value === 'true', span);
        }
        return null;
      default:
        return null;
    }
  }

  protected primary(): Expr {
    const t = this.peek();
    const lit = this.literal();
    if (lit !== null) return lit;
    if ((t.kind === 'identifier' || t.kind === 'tildeIdentifier') && this.isOp('(', 1)) return this.call();
    if (t.kind === 'variable') unsupported(this.text, `variables ($${t.value})`, t.start);
    if (t.kind === 'tildeIdentifier') this.fail(`expected '(' after '${t.value}~'`, this.peek(1));
    if (t.kind === 'identifier' || t.kind === 'quotedIdentifier' || this.isOp('?')) return this.field();
    if (this.isOp('(')) {
      this.next();
      const inner = this.expression();
      this.expectOp(')', "')'");
      return inner;
    }
    return this.fail(`expected an expression, found ${this.describe(t)}`);
  }

  protected call(): Expr {
    const name = this.next();
    if ((LEGACY_FUNCTIONS as readonly string[]).includes(name.value.toLowerCase())) unsupported(this.text, `function ${name.value}()`, name.start);
    this.next(); // '('
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.expression());
      while (this.isOp(',')) {
        this.next();
        args.push(this.expression());
      }
    }
    const close = this.expectOp(')', "')' or ','");
    return ast.call(name.value, name.kind === 'tildeIdentifier', args, { start: name.start, end: close.end });
  }

  protected field(): Expr {
    const first = this.peek();
    let optional = false;
    if (this.isOp('?')) {
      optional = true;
      this.next();
      const id = this.peek();
      if ((id.kind !== 'identifier' && id.kind !== 'quotedIdentifier') || id.start !== first.end) {
        this.fail(`expected a field name right after '?', found ${this.describe(id)}`, id);
      }
    }
    const parts: PathPart[] = [this.next().value];
    let end = this.tokens[this.pos - 1]!.end;
    for (;;) {
      if (this.isOp('.')) {
        const seg = this.peek(1);
        // Keywords are fine after a dot (`event.sequence`).
        if (seg.kind !== 'identifier' && seg.kind !== 'quotedIdentifier' && seg.kind !== 'keyword') {
          this.fail(`expected a field name after '.', found ${this.describe(seg)}`, seg);
        }
        this.next();
        this.next();
        parts.push(seg.value);
        end = seg.end;
        continue;
      }
      if (this.isOp('[') && this.peek(1).kind === 'integer') {
        this.next();
        const idx = this.next();
        const close = this.expectOp(']', "']' after the array index");
        parts.push(Number(idx.value));
        end = close.end;
        continue;
      }
      break;
    }
    return ast.field(parts, optional, { start: first.start, end });
  }
}
