import {
  ast, TIME_UNITS, TIME_UNIT_MS,
  type ComparisonOp, type EventFilterNode, type Expr, type LiteralNode, type MatchOp, type MaxspanNode, type PathPart,
  type PipeNode, type QueryNode, type Span, type StageNode, type TimeUnit,
} from './ast.js';
import { eqlErrorAt } from './eql-position.js';
import { tokenize } from './lexer.js';
import type { Token } from './token.js';
import { LEGACY_PIPES, unsupported } from './unsupported-features.js';

const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);
const MATCH_OPERATORS: ReadonlySet<string> = new Set([':', 'like', 'like~', 'regex', 'regex~']);
const MAX_DEPTH = 200;
/** Binary operators per query: bounds the depth of left-nested and/or/arithmetic chains (the call stack). */
const MAX_OPERATORS = 2500;
const MAX_RUNS = 100;

/** Parses a whole EQL statement (query plus pipes). Throws a positioned EqlError; does not type-check. */
export function parseQuery(text: string): QueryNode {
  return new Parser(text).statement();
}

/** Parses a lone expression (used by function fold tests and tooling). */
export function parseExpression(text: string): Expr {
  const p = new Parser(text);
  const e = p.expression();
  p.expectEnd();
  return e;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;
  private operators = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  // ---- token helpers ----
  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private isOp(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'operator' && t.value === value;
  }
  private isKw(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'keyword' && t.value === value;
  }
  private fail(message: string, token: Token = this.peek(), code = 'EQL_SYNTAX'): never {
    throw eqlErrorAt(this.text, code, message, token.start);
  }
  private describe(t: Token): string {
    if (t.kind === 'eof') return 'end of query';
    if (t.kind === 'string') return 'a string';
    return `'${this.text.slice(t.start, t.end)}'`;
  }
  private expectOp(value: string, what = `'${value}'`): Token {
    if (!this.isOp(value)) this.fail(`expected ${what}, found ${this.describe(this.peek())}`);
    return this.next();
  }
  private expectKw(value: string): Token {
    if (!this.isKw(value)) this.fail(`expected '${value}', found ${this.describe(this.peek())}`);
    return this.next();
  }
  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(`unexpected ${this.describe(t)}`);
  }
  private operator(): void {
    if (++this.operators > MAX_OPERATORS) this.fail(`query has more than ${MAX_OPERATORS} operators`, this.tokens[this.pos - 1]);
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`expression nested deeper than ${MAX_DEPTH} levels`);
  }

  // ---- statement ----
  statement(): QueryNode {
    const first = this.peek();
    let query: QueryNode;
    if (this.isKw('sequence')) query = this.sequence();
    else if (this.isKw('sample')) query = this.sample();
    else if (this.isKw('join')) unsupported(this.text, 'join', first.start);
    else {
      const filter = this.eventFilter();
      query = { kind: 'event', filter, pipes: [], start: filter.start, end: filter.end };
    }
    const pipes = this.pipes();
    this.expectEnd();
    const end = pipes.length > 0 ? pipes[pipes.length - 1]!.end : query.end;
    return { ...query, pipes, end };
  }

  private pipes(): PipeNode[] {
    const pipes: PipeNode[] = [];
    while (this.isOp('|')) {
      this.next();
      const name = this.peek();
      if (name.kind !== 'identifier') this.fail(`expected a pipe name, found ${this.describe(name)}`);
      this.next();
      if (name.value !== 'head' && name.value !== 'tail') {
        if ((LEGACY_PIPES as readonly string[]).includes(name.value)) unsupported(this.text, `| ${name.value}`, name.start);
        this.fail(`unknown pipe '${name.value}' (supported: head, tail)`, name, 'EQL_UNKNOWN_PIPE');
      }
      const num = this.peek();
      if (num.kind !== 'integer') this.fail(`'${name.value}' takes a positive integer, found ${this.describe(num)}`);
      this.next();
      const count = Number(num.value);
      if (!Number.isSafeInteger(count) || count <= 0) this.fail(`'${name.value}' takes a positive integer`, num);
      pipes.push({ kind: name.value, count, start: name.start, end: num.end });
    }
    return pipes;
  }

  private eventFilter(): EventFilterNode {
    const t = this.peek();
    let category: string | null;
    let quoted = false;
    if (this.isKw('any')) category = null;
    else if (t.kind === 'identifier') category = t.value;
    else if (t.kind === 'string') {
      category = t.value;
      quoted = true;
    } else if (t.kind === 'quotedIdentifier') {
      category = t.value;
    } else this.fail(`expected an event category or 'any', found ${this.describe(t)}`);
    this.next();
    this.expectKw('where');
    const condition = this.expression();
    return { category, categoryQuoted: quoted, condition, start: t.start, end: condition.end };
  }

  private joinKeys(): Expr[] {
    this.expectKw('by');
    const keys = [this.expression()];
    while (this.isOp(',')) {
      this.next();
      keys.push(this.expression());
    }
    return keys;
  }

  private sequence(): QueryNode {
    const kw = this.next();
    let by: Expr[] = [];
    let maxspan: MaxspanNode | null = null;
    if (this.isKw('by')) {
      by = this.joinKeys();
      if (this.isKw('with')) maxspan = this.maxspan();
    } else if (this.isKw('with')) {
      maxspan = this.maxspan();
      if (this.isKw('by')) this.fail("specify the sequence's 'by' before 'with', not after");
    }
    const stages: StageNode[] = [];
    while (this.isOp('[') || this.isOp('![')) stages.push(this.stage(true));
    // `with runs=N` repeats a stage, so one stage with runs >= 2 is a sequence too (as in Elasticsearch).
    const expanded = stages.reduce((n, s) => n + (s.runs ?? 1), 0);
    if (expanded < 2) this.fail(`a sequence needs at least 2 stages (counting runs), found ${expanded}`, this.peek());
    let until: StageNode | null = null;
    if (this.isKw('until')) {
      this.next();
      if (this.isOp('![')) this.fail("'until' cannot be a missing event");
      until = this.stage(true);
      if (until.runs !== null) this.fail("'until' does not take 'with runs'", this.tokens[this.pos - 1]);
    }
    if (stages.every((s) => s.missing)) this.fail('a sequence needs at least one stage that is not a missing event', kw);
    const last = until ?? stages[stages.length - 1]!;
    this.checkKeyCounts(by.length, stages, until);
    return { kind: 'sequence', by, maxspan, stages, until, pipes: [], start: kw.start, end: last.end };
  }

  private sample(): QueryNode {
    const kw = this.next();
    const by = this.isKw('by') ? this.joinKeys() : [];
    const stages: StageNode[] = [];
    while (this.isOp('[')) stages.push(this.stage(false));
    if (this.isOp('![')) this.fail('a sample cannot have missing events');
    if (stages.length < 2) this.fail(`a sample needs at least 2 stages, found ${stages.length}`);
    this.checkKeyCounts(by.length, stages, null);
    return { kind: 'sample', by, stages, pipes: [], start: kw.start, end: stages[stages.length - 1]!.end };
  }

  private checkKeyCounts(common: number, stages: readonly StageNode[], until: StageNode | null): void {
    const all = until === null ? stages : [...stages, until];
    const first = common + all[0]!.by.length;
    for (let i = 1; i < all.length; i++) {
      const n = common + all[i]!.by.length;
      if (n !== first) {
        throw eqlErrorAt(this.text, 'EQL_SYNTAX', `inconsistent number of join keys: ${first} for the first stage, ${n} for stage ${i + 1}`, all[i]!.start);
      }
    }
  }

  private maxspan(): MaxspanNode {
    const w = this.next();
    const key = this.peek();
    if (!this.isKw('maxspan')) this.fail(`expected 'maxspan', found ${this.describe(key)}`);
    this.next();
    this.expectOp('=');
    const num = this.peek();
    if (num.kind !== 'integer' && num.kind !== 'decimal') this.fail(`expected a time span such as 30s, found ${this.describe(num)}`);
    this.next();
    const unitTok = this.peek();
    if (unitTok.kind !== 'identifier' || unitTok.start !== num.end) {
      this.fail(`time span is missing a unit: one of ${TIME_UNITS.join(', ')}`, unitTok);
    }
    if (!(TIME_UNITS as readonly string[]).includes(unitTok.value)) {
      this.fail(`unknown time unit '${unitTok.value}': use one of ${TIME_UNITS.join(', ')}`, unitTok);
    }
    this.next();
    const unit = unitTok.value as TimeUnit;
    const amount = Number(num.value);
    if (!Number.isFinite(amount) || amount < 0) this.fail('maxspan must be a non-negative number', num);
    return { amount, unit, ms: Math.round(amount * TIME_UNIT_MS[unit]), start: w.start, end: unitTok.end };
  }

  private stage(allowRuns: boolean): StageNode {
    const open = this.next();
    const missing = open.value === '![';
    const filter = this.eventFilter();
    const close = this.expectOp(']', "']' to close the stage");
    if (this.peek().kind === 'identifier' && this.peek().value === 'as') unsupported(this.text, '[...] as <alias> (event back-references)', this.peek().start);
    const by = this.isKw('by') ? this.joinKeys() : [];
    let runs: number | null = null;
    let end = by.length > 0 ? by[by.length - 1]!.end : close.end;
    if (this.isKw('with') && !this.isKw('maxspan', 1)) {
      this.next();
      const key = this.peek();
      if (key.kind !== 'identifier' || key.value !== 'runs') this.fail(`expected 'runs', found ${this.describe(key)}`);
      if (!allowRuns) this.fail("'with runs' is only valid in a sequence", key);
      this.next();
      this.expectOp('=');
      const num = this.peek();
      if (num.kind !== 'integer') this.fail(`expected the number of runs, found ${this.describe(num)}`);
      this.next();
      runs = Number(num.value);
      if (runs < 1 || runs > MAX_RUNS) this.fail(`runs must be between 1 and ${MAX_RUNS}`, num);
      if (missing) this.fail("a missing event stage cannot take 'with runs'", key);
      end = num.end;
    }
    return { filter, by, runs, missing, start: open.start, end };
  }

  // ---- expressions ----
  expression(): Expr {
    this.enter();
    try {
      return this.or();
    } finally {
      this.depth--;
    }
  }

  private or(): Expr {
    let left = this.and();
    while (this.isKw('or')) {
      this.next();
      this.operator();
      left = ast.logic('or', left, this.and());
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isKw('and')) {
      this.next();
      this.operator();
      left = ast.logic('and', left, this.not());
    }
    return left;
  }

  private not(): Expr {
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

  private comparison(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'operator' && COMPARISONS.has(t.value)) {
      this.next();
      return ast.comparison(t.value as ComparisonOp, left, this.additive());
    }
    if (t.kind === 'operator' && t.value === '=') this.fail("'=' is not a comparison: use '==' (or ':' for case-insensitive)");
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().value as '+' | '-';
      this.operator();
      left = ast.arithmetic(op, left, this.multiplicative());
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().value as '*' | '/' | '%';
      this.operator();
      left = ast.arithmetic(op, left, this.unary());
    }
    return left;
  }

  private unary(): Expr {
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

  private predicate(value: Expr): Expr {
    const t = this.peek();
    if (this.isKw('not') && (this.isKw('in', 1) || this.isOp('in~', 1))) {
      this.next();
      return this.inList(value, t, true);
    }
    if (this.isKw('in') || this.isOp('in~')) return this.inList(value, t, false);
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

  private inList(value: Expr, opTok: Token, negated: boolean): Expr {
    const op = this.next();
    this.expectOp('(', `'(' after '${op.value}'`);
    const list = [this.expression()];
    while (this.isOp(',')) {
      this.next();
      list.push(this.expression());
    }
    const close = this.expectOp(')', "')' or ','");
    void opTok;
    return ast.in(value, list, op.value === 'in~', negated, { start: value.start, end: close.end });
  }

  private constant(): LiteralNode {
    const t = this.peek();
    const lit = this.literal();
    if (lit === null) this.fail(`expected a constant, found ${this.describe(t)}`);
    return lit;
  }

  private literal(): LiteralNode | null {
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

  private primary(): Expr {
    const t = this.peek();
    const lit = this.literal();
    if (lit !== null) return lit;
    if ((t.kind === 'identifier' || t.kind === 'tildeIdentifier') && this.isOp('(', 1)) return this.call();
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

  private call(): Expr {
    const name = this.next();
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

  private field(): Expr {
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
