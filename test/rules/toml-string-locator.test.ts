import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'smol-toml';
import { LineIndex } from '../../src/rules/line-index.js';
import { locateTomlString } from '../../src/rules/toml-string-locator.js';

/**
 * Each row: a TOML source, and a marker character `@` inside the query that must be found at the given file
 * line/column (the `@` is part of the query text, so the decoded value keeps it).
 */
const rows: Array<[string, string, number, number]> = [
  ['literal triple, newline after quotes', "[rule]\nname = 'x'\nquery = '''\nprocess where\n  a == @\n'''\n", 5, 8],
  ['literal triple, same line', "[rule]\nquery = '''process where @'''\n", 2, 26],
  ['basic triple, newline after quotes', '[rule]\nquery = """\nprocess where a == "@"\n"""\n', 3, 21],
  ['basic triple with escapes before', '[rule]\nquery = """\nx : \\"a\\tb\\" and y == @\n"""\n', 3, 23],
  ['basic triple, line-ending backslash', '[rule]\nquery = """\nprocess where \\\n     @\n"""\n', 4, 6],
  ['basic single line', '[rule]\nquery = "process where a == \\"@\\""\n', 2, 31],
  ['literal single line', "[rule]\nquery = 'process where a == \"@\"'\n", 2, 30],
  ['CRLF after triple quotes', "[rule]\r\nquery = '''\r\nprocess where @\r\n'''\r\n", 3, 15],
  ['unicode escape counts as one char', '[rule]\nquery = "\\u00e9 @"\n', 2, 17],
  ['query after a multi-line array and a string holding [x]', "[metadata]\nx = [\n  'a',\n  \"[rule]\",\n]\n[rule]\ndescription = '''\nquery = 'nope @'\n'''\nquery = '''\n@'''\n", 11, 1],
  ['dotted key at top level', "rule.query = '''\nany where @\n'''\n", 2, 11],
  ['quoted key in table header', "[\"rule\"]\nquery = 'x @'\n", 2, 12],
  ['a [[rule.threat]] table after the query', "[rule]\nquery = '''\na @\n'''\n[[rule.threat]]\nquery = 'other'\n", 3, 3],
];

for (const [name, source, line, column] of rows) {
  test(`locateTomlString: ${name}`, () => {
    const doc = parse(source) as { rule: { query: string } };
    const located = locateTomlString(source, [['rule', 'query']]);
    assert.ok(located, 'query found');
    assert.equal(located.value, doc.rule.query, 'decodes to what smol-toml parsed');
    const at = doc.rule.query.indexOf('@');
    assert.deepEqual(new LineIndex(source).position(located.offsets[at]!), { line, column });
  });
}

test('locateTomlString: absent key gives null', () => {
  assert.equal(locateTomlString("[rule]\nname = 'x'\n[metadata]\nquery = 'y'\n", [['rule', 'query']]), null);
});

test('LineIndex: first, middle and last positions', () => {
  const idx = new LineIndex('ab\ncd\n\nx');
  assert.deepEqual(idx.position(0), { line: 1, column: 1 });
  assert.deepEqual(idx.position(4), { line: 2, column: 2 });
  assert.deepEqual(idx.position(6), { line: 3, column: 1 });
  assert.deepEqual(idx.position(7), { line: 4, column: 1 });
});
