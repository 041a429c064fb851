import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../src/eql/lexer.js';
import { EqlError } from '../../src/eql/index.js';

const kinds = (q: string): string[] => tokenize(q).map((t) => `${t.kind}:${t.value}`);

const rows: Array<[string, string, string[]]> = [
  ['keywords and identifiers', 'process where true', ['identifier:process', 'keyword:where', 'keyword:true', 'eof:']],
  ['tilde operators', 'a in~ like~ regex~', ['identifier:a', 'operator:in~', 'operator:like~', 'operator:regex~', 'eof:']],
  ['tilde function', 'startsWith~(', ['tildeIdentifier:startsWith', 'operator:(', 'eof:']],
  ['@timestamp', '@timestamp >= 1', ['identifier:@timestamp', 'operator:>=', 'integer:1', 'eof:']],
  ['decimals', '1.5 .5 1e3 2.', ['decimal:1.5', 'decimal:.5', 'decimal:1e3', 'decimal:2.', 'eof:']],
  ['escapes', '"a\\"b\\\\c\\n\\u{41}"', ['string:a"b\\c\nA', 'eof:']],
  ['raw string keeps backslashes', '"""C:\\x\\y"""', ['string:C:\\x\\y', 'eof:']],
  ['raw string with a trailing quote', '""""a""""', ['string:"a"', 'eof:']],
  ['backquoted name', '`my field`.`a``b`', ['quotedIdentifier:my field', 'operator:.', 'quotedIdentifier:a`b', 'eof:']],
  ['missing-event opener', '![a]', ['operator:![', 'identifier:a', 'operator:]', 'eof:']],
  ['comments dropped', 'a // x\n/* y /* nested */ */ b', ['identifier:a', 'identifier:b', 'eof:']],
  ['optional field', '?a.b', ['operator:?', 'identifier:a', 'operator:.', 'identifier:b', 'eof:']],
];
for (const [name, q, expected] of rows) {
  test(`lexer: ${name}`, () => assert.deepEqual(kinds(q), expected));
}

// negative rows: code, line, column
const bad: Array<[string, string, number, number]> = [
  ['single quotes', "a == 'x'", 1, 6],
  ['?"..." strings', 'a == ?"x"', 1, 6],
  ['bad escape', '"a\\qb"', 1, 3],
  ['short unicode escape', '"\\u{4}"', 1, 2],
  ['unterminated string', 'x == "abc', 1, 6],
  ['newline in string', 'x == "a\nb"', 1, 6],
  ['raw string across lines', 'x == """a\nb"""', 1, 6],
  ['stray character', 'a == 1 #', 1, 8],
  ['bare bang', 'a ! b', 1, 3],
  ['unterminated comment', 'a /* b', 1, 3],
  ['second line column', 'process where\n  a == $', 2, 8],
];
for (const [name, q, line, column] of bad) {
  test(`lexer rejects ${name} at ${line}:${column}`, () => {
    assert.throws(() => tokenize(q), (err: unknown) => {
      assert.ok(err instanceof EqlError);
      assert.equal(err.code, 'EQL_SYNTAX');
      assert.deepEqual([err.line, err.column], [line, column]);
      assert.match(err.message, /\n.*\n *\^$/);
      return true;
    });
  });
}
