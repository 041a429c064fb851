import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileQuery, EqlError } from '../../src/eql/index.js';

// Table of bad queries: expected code, 1-based line and column.
const rows: Array<[string, string, string, number, number]> = [
  ['missing operand', 'process where a ==', 'EQL_SYNTAX', 1, 19],
  ['single =', 'process where a = 1', 'EQL_SYNTAX', 1, 17],
  ['no where', 'process a == 1', 'EQL_SYNTAX', 1, 9],
  ['chained comparison', 'process where a < b < c', 'EQL_SYNTAX', 1, 21],
  ['unclosed paren', 'process where (a == 1', 'EQL_SYNTAX', 1, 22],
  ['one-stage sequence', 'sequence [process where true]', 'EQL_SYNTAX', 1, 30],
  ['by after with', 'sequence with maxspan=1s by a [a where true] [b where true]', 'EQL_SYNTAX', 1, 26],
  ['maxspan without unit', 'sequence with maxspan=30 [a where true] [b where true]', 'EQL_SYNTAX', 1, 26],
  ['maxspan bad unit', 'sequence with maxspan=30y [a where true] [b where true]', 'EQL_SYNTAX', 1, 25],
  ['inconsistent keys', 'sequence [a where true] by x [b where true]', 'EQL_SYNTAX', 1, 30],
  ['runs out of range', 'sequence [a where true] with runs=0 [b where true]', 'EQL_SYNTAX', 1, 35],
  ['unknown pipe', 'process where true | frobnicate 1', 'EQL_UNKNOWN_PIPE', 1, 22],
  ['head needs a number', 'process where true | head x', 'EQL_SYNTAX', 1, 27],
  ['unknown function', 'process where frob(a)', 'EQL_UNKNOWN_FUNCTION', 1, 15],
  ['prototype names are not functions', 'process where constructor~(x) == 1', 'EQL_UNKNOWN_FUNCTION', 1, 15],
  ['prototype names are not escapes', 'process where x : "\\constructor"', 'EQL_SYNTAX', 1, 20],
  ['arity', 'process where length(a, b) > 1', 'EQL_ARITY', 1, 25],
  ['no tilde form', 'process where length~(a) > 1', 'EQL_TYPE', 1, 15],
  ['string arithmetic', 'process where "a" + 1 == 2', 'EQL_TYPE', 1, 15],
  ['string vs number', 'process where "a" == 1', 'EQL_TYPE', 1, 22],
  ['non-boolean condition', 'process where 1', 'EQL_TYPE', 1, 15],
  ['like needs strings', 'process where a like 1', 'EQL_TYPE', 1, 22],
  ['bad regex', 'process where a regex "a(b"', 'EQL_REGEX', 1, 23],
  ['bad date', 'process where @timestamp < "yesterday"', 'EQL_TYPE', 1, 28],
  ['second line', 'process where\n  a == 1 and\n  b ==', 'EQL_SYNTAX', 3, 7],
];
for (const [name, q, code, line, column] of rows) {
  test(`parse error: ${name}`, () => {
    assert.throws(() => compileQuery(q), (err: unknown) => {
      assert.ok(err instanceof EqlError, String(err));
      assert.equal(err.code, code, err.message);
      assert.deepEqual([err.line, err.column], [line, column], err.message);
      const lines = err.message.split('\n');
      assert.equal(lines[2]!.indexOf('^'), column - 1, 'caret under the column');
      return true;
    });
  });
}

// Syntax of Elastic's protections-artifacts that Elasticsearch EQL lacks: EQL_UNSUPPORTED_FEATURE naming it.
const unsupported: Array<[string, string, RegExp]> = [
  ['descendant of', 'process where descendant of [process where process.name == "x"]', /descendant of/],
  ['child of', 'process where child of [process where true]', /child of/],
  ['event of', 'network where event of [process where true]', /event of/],
  ['as alias', 'sequence [process where true] as event0 [network where event0.process.pid == process.pid]', /as <alias>/],
  ['_arraysearch', 'process where _arraysearch(process.args, $a, $a == "x")', /_arraysearch/],
  ['$variables', 'process where x == $a', /variables \(\$a\)/],
  ['arraySearch', 'process where arraySearch(process.args, "x")', /arraySearch/],
  ['| unique', 'process where true | unique process.name', /\| unique/],
  ['| filter', 'process where true | filter a == 1', /\| filter/],
  ['| count', 'process where true | count', /\| count/],
  ['join', 'join [process where true] [network where true]', /join/],
];
for (const [name, q, feature] of unsupported) {
  test(`unsupported feature: ${name}`, () => {
    assert.throws(() => compileQuery(q), (err: unknown) => {
      assert.ok(err instanceof EqlError);
      assert.equal(err.code, 'EQL_UNSUPPORTED_FEATURE', err.message);
      assert.match(err.message, feature);
      return true;
    });
  });
}

test('_arraysearch without legacy syntax inside is named as an unsupported feature', () => {
  assert.throws(() => compileQuery('process where _arraysearch(process.args, "x")'), (err: unknown) => {
    assert.ok(err instanceof EqlError);
    assert.equal(err.code, 'EQL_UNSUPPORTED_FEATURE');
    assert.match(err.message, /_arraysearch/);
    return true;
  });
});

test('the checker reports every problem, sorted by position', () => {
  assert.throws(() => compileQuery('process where frob(a) and length(a, b) > 1'), (err: unknown) => {
    assert.ok(err instanceof EqlError);
    assert.deepEqual(err.diagnostics.map((d) => d.code), ['EQL_UNKNOWN_FUNCTION', 'EQL_ARITY']);
    return true;
  });
});
