import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textTable } from '../../src/cli/text-table.js';
import { terminalCell, terminalLine, terminalText } from '../../src/cli/terminal-text.js';

test('terminal text: C0, DEL and C1 become visible escapes; newline and tab kept only outside cells', () => {
  const hostile = 'a\u001b]0;owned\u0007b\u009b2Jc\u007fd\u0000e\r\nf\tg';
  assert.equal(terminalText(hostile), 'a\\x1b]0;owned\\x07b\\x9b2Jc\\x7fd\\x00e\\x0d\nf\tg');
  assert.equal(terminalCell(hostile), 'a\\x1b]0;owned\\x07b\\x9b2Jc\\x7fd\\x00e  f g');
  assert.equal(terminalLine(hostile), 'a\\x1b]0;owned\\x07b\\x9b2Jc\\x7fd\\x00e\\x0d\\x0af\\x09g');
  // Printable text, including non-ASCII letters past the C1 block, is untouched.
  for (const f of [terminalText, terminalLine, terminalCell]) assert.equal(f('café ünïcode – ok /tmp/ü'), 'café ünïcode – ok /tmp/ü');
});

test('terminal text: bidirectional controls and line/paragraph separators become visible in every form', () => {
  // `invoice\u202efdp.exe` shows as `invoiceexe.pdf`; an isolate or mark can hide or reorder the same way.
  const rows: Array<[string, string]> = [
    ['\u061c', '\\u061c'], ['\u200e', '\\u200e'], ['\u200f', '\\u200f'],
    ['\u202a', '\\u202a'], ['\u202b', '\\u202b'], ['\u202c', '\\u202c'], ['\u202d', '\\u202d'], ['\u202e', '\\u202e'],
    ['\u2066', '\\u2066'], ['\u2067', '\\u2067'], ['\u2068', '\\u2068'], ['\u2069', '\\u2069'],
    ['\u2028', '\\u2028'], ['\u2029', '\\u2029'],
  ];
  for (const [c, shown] of rows) {
    for (const f of [terminalText, terminalLine, terminalCell]) assert.equal(f(`invoice${c}fdp.exe`), `invoice${shown}fdp.exe`, `${f.name} ${shown}`);
  }
  // Neighbours of the escaped ranges are ordinary text (zero-width joiner, en dash, narrow no-break space).
  for (const c of ['\u200d', '\u2013', '\u202f']) assert.equal(terminalText(`a${c}b`), `a${c}b`, c.codePointAt(0)!.toString(16));
});

test('textTable: the least useful column is cut first, the rule name last; cells escaped', () => {
  const columns = [{ header: 'ID', align: 'right' as const }, { header: 'RULE', shrink: 1, min: 10 }, { header: 'CMD', shrink: 2, min: 6 }];
  const rows = [['1', 'A Rule With A Long Name', 'x'.repeat(200)], ['22', 'r\u001b[2Jx', 'y']];
  const lines = textTable(columns, rows, { width: 40 }).trimEnd().split('\n');
  assert.equal(lines.length, 3);
  for (const l of lines) assert.ok(l.length <= 40, l);
  assert.match(lines[1]!, /^ 1  A Rule With A Long Name  x+…$/, 'the rule keeps its name; CMD gives way');
  assert.match(lines[2]!, /^22  r\\x1b\[2Jx/);
  // Narrower still: CMD stops at its minimum, then RULE gives way.
  const narrow = textTable(columns, rows, { width: 24 }).split('\n');
  assert.match(narrow[1]!, /^ 1  A Rule With…  xxxxx…$/);
});

test('textTable: titles, indent, underline, right alignment, max cell width; many rows do not overflow the stack', () => {
  const t = textTable([{ header: 'a', max: 5 }, { header: 'n', align: 'right' }], [{ title: 'group 1' }, ['abcdefgh', '7'], ['b', '1234']], { indent: '  ', underline: true });
  assert.equal(t, '  a         n\n  -----  ----\ngroup 1\n  abcd…     7\n  b      1234\n');
  const many = Array.from({ length: 300_000 }, (_, i) => [String(i)]);
  assert.ok(textTable([{ header: 'i' }], many).length > 0);
});
