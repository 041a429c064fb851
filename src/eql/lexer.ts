import { eqlErrorAt } from './eql-position.js';
import { KEYWORDS, type Keyword, type Token } from './token.js';

const KEYWORD_SET: ReadonlySet<string> = new Set<string>(KEYWORDS);
const TILDE_KEYWORDS: Readonly<Record<string, string>> = { in: 'in~', like: 'like~', regex: 'regex~' };
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', "'": "'", '\\': '\\' };
const MAX_QUERY_LENGTH = 1_000_000;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isIdentPart = (c: number): boolean => isLetter(c) || isDigit(c) || c === 95;

export function isKeyword(name: string): name is Keyword {
  return KEYWORD_SET.has(name);
}

/** Splits a query into tokens (comments and whitespace dropped). Throws a positioned EqlError (EQL_SYNTAX). */
export function tokenize(text: string): Token[] {
  if (text.length > MAX_QUERY_LENGTH) throw eqlErrorAt(text, 'EQL_SYNTAX', `query longer than ${MAX_QUERY_LENGTH} characters`, 0);
  const tokens: Token[] = [];
  const fail = (message: string, offset: number): never => {
    throw eqlErrorAt(text, 'EQL_SYNTAX', message, offset);
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    const ch = text[i]!;
    // whitespace
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    // comments
    if (ch === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      i = skipBlockComment(text, i, fail);
      continue;
    }
    const start = i;
    if (isLetter(c) || c === 95 || c === 64) {
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      const name = text.slice(start, i);
      if (text[i] === '~') {
        const op = Object.hasOwn(TILDE_KEYWORDS, name) ? TILDE_KEYWORDS[name] : undefined;
        if (op !== undefined) {
          i++;
          tokens.push({ kind: 'operator', value: op, start, end: i });
          continue;
        }
        if (isLetter(c)) {
          i++;
          tokens.push({ kind: 'tildeIdentifier', value: name, start, end: i });
          continue;
        }
      }
      tokens.push({ kind: KEYWORD_SET.has(name) ? 'keyword' : 'identifier', value: name, start, end: i });
      continue;
    }
    if (ch === '`') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) fail('unterminated quoted identifier', start);
        if (text[i] === '`') {
          if (text[i + 1] === '`') {
            value += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      if (value.length === 0) fail('empty quoted identifier', start);
      tokens.push({ kind: 'quotedIdentifier', value, start, end: i });
      continue;
    }
    if (ch === '"') {
      const tok = text.startsWith('"""', i) ? lexRawString(text, i, fail) : lexString(text, i, fail);
      tokens.push(tok);
      i = tok.end;
      continue;
    }
    if (ch === "'") fail('use double quotes ["] or triple double quotes ["""] to define string literals, not single quotes [\']', start);
    if (ch === '?' && (text[i + 1] === '"' || text[i + 1] === "'")) {
      fail('use triple double quotes ["""] to define unescaped string literals, not [?"]', start);
    }
    if (isDigit(c) || (ch === '.' && isDigit(text.charCodeAt(i + 1)) && !afterValue(tokens))) {
      i = lexNumber(text, i, tokens);
      continue;
    }
    if (ch === '!' && text[i + 1] === '[') {
      tokens.push({ kind: 'operator', value: '![', start, end: i + 2 });
      i += 2;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'operator', value: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if (':=<>+-*/%.,[]()|?'.includes(ch)) {
      tokens.push({ kind: 'operator', value: ch, start, end: i + 1 });
      i++;
      continue;
    }
    if (ch === '$' && i + 1 < n && (isLetter(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 95)) {
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'variable', value: text.slice(start + 1, i), start, end: i });
      continue;
    }
    if (ch === '!') fail("unexpected '!' (use 'not', '!=' or '![' for a missing event)", start);
    if (ch === '~') fail("unexpected '~' (only function names and in/like/regex take '~')", start);
    fail(`unexpected character '${String.fromCodePoint(text.codePointAt(i)!)}'`, start);
  }
  tokens.push({ kind: 'eof', value: '', start: n, end: n });
  return tokens;
}

function afterValue(tokens: readonly Token[]): boolean {
  const last = tokens[tokens.length - 1];
  if (last === undefined) return false;
  return last.kind === 'identifier' || last.kind === 'quotedIdentifier' || (last.kind === 'operator' && (last.value === ']' || last.value === ')'));
}

function skipBlockComment(text: string, at: number, fail: (m: string, o: number) => never): number {
  let depth = 0;
  let i = at;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return fail('unterminated comment', at);
}

function lexNumber(text: string, at: number, tokens: Token[]): number {
  let i = at;
  let decimal = false;
  while (isDigit(text.charCodeAt(i))) i++;
  if (text[i] === '.' && !(i > at && isLetter(text.charCodeAt(i + 1)))) {
    decimal = true;
    i++;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text.charCodeAt(i + 1)) || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text.charCodeAt(i + 2))))) {
    decimal = true;
    i += 2;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  tokens.push({ kind: decimal ? 'decimal' : 'integer', value: text.slice(at, i), start: at, end: i });
  return i;
}

function lexRawString(text: string, at: number, fail: (m: string, o: number) => never): Token {
  const close = text.indexOf('"""', at + 3);
  const newline = text.slice(at + 3, close < 0 ? text.length : close).search(/[\r\n]/);
  if (close < 0 || newline >= 0) fail('unterminated raw string ("""...""" must end on the same line)', at);
  let end = close + 3;
  // The grammar lets up to two more quotes follow: they belong to the string's value.
  if (text[end] === '"') end++;
  if (text[end] === '"') end++;
  return { kind: 'string', value: text.slice(at + 3, end - 3), start: at, end, raw: true };
}

function lexString(text: string, at: number, fail: (m: string, o: number) => never): Token {
  let i = at + 1;
  let value = '';
  for (;;) {
    if (i >= text.length || text[i] === '\n' || text[i] === '\r') fail('unterminated string', at);
    const ch = text[i]!;
    if (ch === '"') {
      i++;
      break;
    }
    if (ch !== '\\') {
      value += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === 'u') {
      const m = /^\\u\{([0-9a-fA-F]{2,8})\}/.exec(text.slice(i, i + 12));
      if (m === null) fail('invalid unicode escape (expected \\u{XX} with 2 to 8 hex digits)', i);
      const code = parseInt(m[1]!, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) fail(`invalid unicode code point ${m[1]}`, i);
      value += String.fromCodePoint(code);
      i += m[0].length;
      continue;
    }
    const esc = next === undefined || !Object.hasOwn(SIMPLE_ESCAPES, next) ? undefined : SIMPLE_ESCAPES[next];
    if (esc === undefined) fail(`invalid escape sequence '\\${next ?? ''}'`, i);
    value += esc;
    i += 2;
  }
  return { kind: 'string', value, start: at, end: i };
}
