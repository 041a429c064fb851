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
];
for (const [patterns, insensitive, input, expected] of rows) {
  test(`wildcard ${JSON.stringify(patterns)}${insensitive ? ' (insensitive)' : ''} ~ ${JSON.stringify(input)} -> ${expected}`, () => {
    assert.equal(compileWildcards(patterns, insensitive)(input), expected);
  });
}
