import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '../../src/eql/index.js';
import { fieldsByStage } from '../../src/rules/required-fields.js';

const rows: Array<[string, string, string[]]> = [
  ['and: both sides', 'process where a == "x" and b : "y"', ['a', 'b']],
  ['or: only common fields', 'process where (a == "x" and c == 1) or (a == "y" and d == 2)', ['a']],
  ['not: nothing', 'process where not a == "x"', []],
  ['not in: nothing', 'process where a not in ("x", "y")', []],
  ['in: the value', 'process where a in ("x", "y")', ['a']],
  ['== null: nothing, != null: the field', 'process where a == null and b != null', ['b']],
  ['optional field never required', 'process where ?a == "x"', []],
  ['function: first argument', 'network where cidrmatch(destination.ip, "10.0.0.0/8")', ['destination.ip']],
  ['negated function: nothing', 'network where not cidrmatch(destination.ip, "10.0.0.0/8")', []],
  ['like~ list', 'process where process.command_line like~ ("*a*", "*b*")', ['process.command_line']],
  ['arithmetic operands', 'process where process.args_count + 1 > 2', ['process.args_count']],
];

for (const [name, query, expected] of rows) {
  test(`requiredFields: ${name}`, () => {
    const [stage] = fieldsByStage(parseQuery(query));
    assert.deepEqual([...stage!.required].sort(), expected);
  });
}

test('requiredFields: sequence join keys are required; until and missing stages are optional', () => {
  const stages = fieldsByStage(
    parseQuery('sequence by process.entity_id [process where a == 1] ![network where b == 2] [process where c == 3] until [process where d == 4]'),
  );
  assert.deepEqual(stages.map((s) => s.optionalStage), [false, true, false, true]);
  assert.deepEqual([...stages[0]!.required].sort(), ['a', 'process.entity_id']);
  assert.deepEqual([...stages[3]!.read].sort(), ['d', 'process.entity_id']);
});
