import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileWildcards } from '../../src/eql/wildcard.js';

// [patterns, insensitive, input, matches]
const rows: Array<[string[], boolean, string, boolean]> = [
  [['*'], false, '', true],
  [['abc'], false, 'abc', true],
  [['abc'], false, 'ABC', false],
  [['abc'], true, 'ABC', true],
  [['a*'], false, 'abc', true],
  [['*c'], false, 'abc', true],
  [['*b*'], false, 'abc', true],
  [['a?c'], false, 'abc', true],
  [['a?c'], false, 'ac', false],
  [['a*c*e'], false, 'abcde', true],
  [['a*c*e'], false, 'abcdef', false],
  [['*\\Windows\\*'], true, 'C:\\windows\\x.exe', true], // backslash is literal
  [['a.c'], false, 'abc', false], // regex metacharacters are literal
  [['(x)'], false, '(x)', true],
  [['x', 'y*'], false, 'yes', true],
  [['x', 'y*'], false, 'no', false],
  [['line*'], false, 'line1\nline2', true], // * crosses newlines
  [['*a*b*c*'], true, 'xxAyyBzzC', true], // stars inside: the two-pointer matcher
  [['*a*b*c*'], true, 'xxAyyBzz', false],
  [['a*?c'], false, 'abc', true],
  [['a*?c'], false, 'ac', false],
  [['*É*'], true, 'caféÉ', true],
  [['**'], false, 'x', true],
  [['a*b', '*zz*'], false, 'aXXb', true],
  [['a*b', '*zz*'], false, 'xzzx', true],
];
for (const [patterns, insensitive, input, expected] of rows) {
  test(`wildcard ${JSON.stringify(patterns)}${insensitive ? ' (insensitive)' : ''} ~ ${JSON.stringify(input)} -> ${expected}`, () => {
    assert.equal(compileWildcards(patterns, insensitive)(input), expected);
  });
}

test('wildcard: many stars over a hostile input stay fast (no backtracking blow-up)', () => {
  const m = compileWildcards(['*a*b*c*d*e*f*'], true);
  const hostile = 'abcde'.repeat(6000); // 30k characters, never an f
  const t0 = performance.now();
  assert.equal(m(hostile), false);
  assert.ok(performance.now() - t0 < 1000, `took ${performance.now() - t0} ms`);
});
