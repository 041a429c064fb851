/** Token kinds of the EQL lexer (EqlBase.g4 plus `![`). */
export const TOKEN_KINDS = [
  'identifier', 'quotedIdentifier', 'tildeIdentifier', 'string', 'integer', 'decimal', 'keyword', 'operator', 'eof',
  // `$name`: not EQL; lexed so the parser can name the legacy feature that uses it (`_arraysearch`).
  'variable',
] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** Reserved words: lowercase only, as the grammar spells them. */
export const KEYWORDS = [
  'and', 'any', 'by', 'false', 'in', 'join', 'like', 'maxspan', 'not', 'null', 'of', 'or', 'regex', 'sample', 'sequence',
  'true', 'until', 'where', 'with',
] as const;
export type Keyword = (typeof KEYWORDS)[number];

/** Operators, longest first so the lexer can match greedily. `in~`, `like~`, `regex~` are operators too. */
export const OPERATORS = [
  'regex~', 'like~', 'in~', '==', '!=', '<=', '>=', '![', ':', '=', '<', '>', '+', '-', '*', '/', '%', '.', ',', '[', ']', '(', ')',
  '|', '?',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Token {
  readonly kind: TokenKind;
  /** Keyword or operator spelling; identifier name (unquoted); decoded string value; number text. */
  readonly value: string;
  /** 0-based offset of the first character, and one past the last. */
  readonly start: number;
  readonly end: number;
  /** For strings: written as `"""raw"""`. */
  readonly raw?: boolean;
}
