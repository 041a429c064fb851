import '../helpers/linear-regex-engine.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileLuceneRegex, LuceneRegexError, luceneToJsSource } from '../../src/eql/lucene-regex.js';

// [pattern, insensitive, input, matches]
const rows: Array<[string, boolean, string, boolean]> = [
  ['abc', false, 'abc', true],
  ['abc', false, 'xabc', false], // whole-string match
  ['a.c', false, 'a\nc', true], // . is any character, newline included
  ['.*?net1[ ]+localgroup.*?', false, 'C:\\net1  localgroup admins', true], // Lucene reads *? as (.*)?
  ['a**', false, 'aaa', true], // stacked repeats are legal in Lucene
  ['a{2,3}', false, 'aaa', true],
  ['a{2,3}', false, 'aaaa', false],
  ['a{2,}', false, 'aaaaa', true],
  ['(ab|cd)+', false, 'abcdab', true],
  ['[a-c]+', false, 'abcab', true],
  ['[^a-c]+', false, 'xyz', true],
  ['[^a-c]+', false, 'xaz', false],
  ['"a.b"c', false, 'a.bc', true], // "..." is a literal string
  ['"a.b"c', false, 'axbc', false],
  ['\\d+\\.\\d+', false, '3.14', true], // Lucene 9 shorthand classes
  ['\\w+\\s\\W', false, 'ab !', true],
  ['\\S+', false, 'a b', false],
  ['a\\qb', false, 'aqb', true], // other escapes are the literal character
  ['@', false, 'anything at all', true],
  ['#', false, '', false],
  ['a()b', false, 'ab', true],
  ['<1-12>', false, '7', true],
  ['<1-12>', false, '13', false],
  ['<1-12>', false, '007', true],
  ['ABC[X-Z]', true, 'abcy', true], // case-insensitive, ranges folded too
  ['abc', true, 'ABC', true],
  ['a/b', false, 'a/b', true],
  ['$^', false, '$^', true], // not anchors in Lucene
];
for (const [pattern, insensitive, input, expected] of rows) {
  test(`lucene regex ${JSON.stringify(pattern)}${insensitive ? ' (insensitive)' : ''} ~ ${JSON.stringify(input)} -> ${expected}`, () => {
    assert.equal(compileLuceneRegex(pattern, insensitive)(input), expected);
  });
}

const bad: Array<[string, number]> = [['a(b', 1], ['[abc', 0], ['*a', 0], ['a{3,1}', 1], ['~a', 0], ['a&b', 1], ['ab\\', 2], ['<1-99999>', 0], ['[z-a]', 1], ['"abc', 0]];
for (const [pattern, index] of bad) {
  test(`lucene regex rejects ${JSON.stringify(pattern)} at ${index}`, () => {
    assert.throws(() => luceneToJsSource(pattern, false), (err: unknown) => err instanceof LuceneRegexError && err.index === index);
  });
}

test('lucene regex: catastrophic patterns do not hang (V8 falls back to its linear engine)', () => {
  for (const p of ['(a*)*b', '(a|aa)*c', '.*.*.*.*=.*', '(.*a){10}x']) {
    const m = compileLuceneRegex(p, false);
    const t0 = performance.now();
    assert.equal(m('a'.repeat(20000)), false, p);
    assert.ok(performance.now() - t0 < 2000, `${p}: ${performance.now() - t0} ms`);
  }
});

test('lucene regex: large repeat counts are fine alone, refused when they could backtrack without bound', () => {
  assert.equal(compileLuceneRegex('a{1000}', false)('a'.repeat(1000)), true);
  assert.equal(compileLuceneRegex('[a-z]{4,40}', false)('abcdef'), true);
  for (const p of ['((a|aa)*){20}c', '(.*){20}x', '.*a{17}']) {
    assert.throws(() => compileLuceneRegex(p, false), (err: unknown) => err instanceof LuceneRegexError && /bounded time/.test(err.message), p);
  }
});
