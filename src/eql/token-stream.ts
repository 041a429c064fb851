import { eqlErrorAt } from './eql-position.js';
import { tokenize } from './lexer.js';
import type { Token } from './token.js';

const MAX_DEPTH = 200;
/** Binary operators per query: bounds the depth of left-nested and/or/arithmetic chains (the call stack). */
const MAX_OPERATORS = 2500;

/** The parser's token cursor: lookahead, expectations, positioned failures and the nesting budgets. */
export class TokenStream {
  protected readonly tokens: Token[];
  protected pos = 0;
  protected depth = 0;
  protected operators = 0;

  constructor(protected readonly text: string) {
    this.tokens = tokenize(text);
  }

  // ---- token helpers ----
  protected peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }
  protected next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  protected isOp(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'operator' && t.value === value;
  }
  protected isKw(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'keyword' && t.value === value;
  }
  protected fail(message: string, token: Token = this.peek(), code = 'EQL_SYNTAX'): never {
    throw eqlErrorAt(this.text, code, message, token.start);
  }
  protected describe(t: Token): string {
    if (t.kind === 'eof') return 'end of query';
    if (t.kind === 'string') return 'a string';
    return `'${this.text.slice(t.start, t.end)}'`;
  }
  protected expectOp(value: string, what = `'${value}'`): Token {
    if (!this.isOp(value)) this.fail(`expected ${what}, found ${this.describe(this.peek())}`);
    return this.next();
  }
  protected expectKw(value: string): Token {
    if (!this.isKw(value)) this.fail(`expected '${value}', found ${this.describe(this.peek())}`);
    return this.next();
  }
  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(`unexpected ${this.describe(t)}`);
  }
  protected operator(): void {
    if (++this.operators > MAX_OPERATORS) this.fail(`query has more than ${MAX_OPERATORS} operators`, this.tokens[this.pos - 1]);
  }
  protected enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`expression nested deeper than ${MAX_DEPTH} levels`);
  }
}
