import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteLineSplitter, type LineRun } from '../src/line-splitter.js';

function split(parts: readonly string[], max = 1 << 20): { lines: Array<[number, string]>; oversize: number[] } {
  const s = new ByteLineSplitter(max);
  const lines: Array<[number, string]> = [];
  const oversize: number[] = [];
  const sink = {
    line: (run: LineRun) => run.starts.forEach((st, i) => lines.push([run.firstLine + i, run.buf.toString('utf8', st, run.ends[i])])),
    oversize: (line: number) => oversize.push(line),
  };
  for (const p of parts) s.push(Buffer.from(p, 'utf8'), sink);
  s.end(sink);
  return { lines, oversize };
}

test('line splitter: lines numbered across chunks, CR before LF dropped (also when split), last line without newline', () => {
  const rows: ReadonlyArray<readonly [readonly string[], Array<[number, string]>]> = [
    [['a\nb\n'], [[1, 'a'], [2, 'b']]],
    [['a\r', '\nb'], [[1, 'a'], [2, 'b']]],
    [['ab', 'c', 'd\n\ne'], [[1, 'abcd'], [2, ''], [3, 'e']]],
    [['\u00e9'.slice(0, 1), 'x\r\n'], [[1, '\u00e9x']]],
    [[''], []],
    [['a\rb\n'], [[1, 'a\rb']]],
  ];
  for (const [parts, want] of rows) assert.deepEqual(split(parts).lines, want, JSON.stringify(parts));
});

test('line splitter: a line over the cap is dropped up to its newline and reported once, numbering goes on', () => {
  const { lines, oversize } = split(['ok\n12345', '6789', '0\nnext\n', 'abcdefghijkl'], 8);
  assert.deepEqual(lines, [[1, 'ok'], [3, 'next']]);
  assert.deepEqual(oversize, [2, 4]);
});
