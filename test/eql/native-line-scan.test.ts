import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { LineProjector } from '../../src/eql/line-projector.js';
import { lineOffsets, nativeLineScan, type NativeLineScan } from '../../src/eql/native-line-scan.js';
import type { LineRun } from '../../src/line-splitter.js';
import { seededRandom } from '../helpers/seeded-random.js';

/**
 * The C line scanner gives exactly the results of the JavaScript code it stands in for: `validLines` is
 * `LineProjector#valid` on every line (tables, every string length around its 16-byte blocks, tens of
 * thousands of mutated lines, bytes that are not UTF-8).
 */
const hasCompiler = spawnSync('sh', ['-c', 'command -v cc || command -v gcc || command -v clang'], { stdio: 'ignore' }).status === 0;

test('the C line scanner is built wherever a C compiler is (npm run build)', () => {
  if (hasCompiler) assert.ok(nativeLineScan() !== null, 'cc exists but native/hunt/build/vigil_line_scan.node does not load: run npm run build');
  else assert.equal(nativeLineScan(), null);
});

const projector = LineProjector.forFields([])!;

/** The lines joined by LF (some by CRLF) into one run, as the line splitter hands them out. */
function runOf(lines: readonly Buffer[]): LineRun {
  const starts: number[] = [];
  const ends: number[] = [];
  const parts: Buffer[] = [];
  let at = 0;
  lines.forEach((l, i) => {
    starts.push(at);
    ends.push(at + l.length);
    const sep = Buffer.from(i % 3 === 0 ? '\r\n' : '\n');
    parts.push(l, sep);
    at += l.length + sep.length;
  });
  return { buf: Buffer.concat(parts), starts, ends, firstLine: 1 };
}

/** validLines on a run, with every other line selected (left alone), against LineProjector#valid per line. */
function checkValid(native: NativeLineScan, lines: readonly Buffer[]): number {
  const run = runOf(lines);
  const n = lines.length;
  const sel = new Uint8Array(n);
  const out = new Uint8Array(n).fill(7);
  for (let i = 0; i < n; i++) sel[i] = i % 5 === 4 ? 1 : 0;
  native.validLines(run.buf, lineOffsets(run), n, sel, out);
  let accepted = 0;
  for (let i = 0; i < n; i++) {
    if (sel[i] === 1) {
      assert.equal(out[i], 7, 'a selected line is left alone');
      continue;
    }
    const want = projector.valid(run.buf, run.starts[i]!, run.ends[i]!) ? 1 : 0;
    assert.equal(out[i], want, `validLines(${JSON.stringify(lines[i]!.toString('latin1'))})`);
    accepted += want;
  }
  return accepted;
}

const TABLE = [
  '{}', ' { } ', '{"a":1}', '{"a":[1,2,{"b":null}],"c":"x"}', '\t{"a" : -0.5e+10 , "b":true}', '{"a":"\\u00e9\\n\\/"}',
  '{"a":1,}', '{"a" 1}', '{"a":tru}', '{"a":"x\ty"}', '{"a":01}', '{"a":1}}', '{"a":"\\x"}', '{"a":[1,]}', '{"a":1} {"b":2}',
  '{"a":.5}', '{"a":1.}', '{"a":1e}', '{"a":-}', '{"a":"\\u12g4"}', '{a:1}', "{'a':1}", '[1]', '"s"', '1', 'null', '',
  '{"a":NaN}', '{"a":Infinity}', '{"a":+1}', '{"a":"x"', '{"a":["x"}', '{"a":{"b":1]}', '{"\\ud800":1}', '{"a":"\u2028"}',
  '{"a":\u00a01}', '{"a":1}\u00a0', '{"a":"\\"}', '{"a":"\\\\"}', '{"a":"\\u12"}', '{"a":"\\u', '{"a":-0}', '{"a":-01}',
  '{"a":1E+2,"b":0.0e-0}', '{"a":true ,"b":false,"c":null}', '{"a":nul}', '{"a":falsey}', '{"a":{}}', '{"a":[]}', '{"a":[[]]}',
];

test('validLines accepts exactly what LineProjector#valid accepts (table, nesting, bytes that are not UTF-8)', { skip: nativeLineScan() === null ? 'the C line scanner is not built here (no C compiler): the JavaScript path is the one in use' : false }, () => {
  const native = nativeLineScan()!;
  const lines = TABLE.map((l) => Buffer.from(l, 'utf8'));
  const nest = (n: number): string => '{"a":'.repeat(n - 1) + '{}' + '}'.repeat(n - 1);
  lines.push(Buffer.from(nest(64)), Buffer.from(nest(65)), Buffer.from('{"a":' + '['.repeat(70) + ']'.repeat(70) + '}'));
  lines.push(Buffer.from('{"a":' + '['.repeat(63) + ']'.repeat(63) + '}'), Buffer.from('{"a":' + '['.repeat(64) + ']'.repeat(64) + '}'));
  lines.push(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x22, 0x7d]), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0xc2, 0x7d]));
  lines.push(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])); // a byte order mark: not the checker's business (the reader strips it on line 1)
  assert.ok(checkValid(native, lines) > 10);
});

test('validLines agrees on every string length and stop byte around its 16-byte blocks', { skip: nativeLineScan() === null ? 'the C line scanner is not built here' : false }, () => {
  const native = nativeLineScan()!;
  const lines: Buffer[] = [];
  const stops = [0x22, 0x5c, 0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x7f, 0x80, 0xc3, 0xff];
  for (let len = 0; len <= 40; len++) {
    for (const pad of [0, 1, 5, 15]) {
      const body = Buffer.alloc(len, 0x61);
      lines.push(Buffer.concat([Buffer.from(' '.repeat(pad) + '{"k":"'), body, Buffer.from('"}')]));
      lines.push(Buffer.concat([Buffer.from(' '.repeat(pad) + '{"k":"'), body])); // unterminated: ends inside the string
      for (let at = 0; at < len; at += len > 20 ? 3 : 1) {
        for (const stop of stops) {
          const b = Buffer.from(body);
          b[at] = stop;
          lines.push(Buffer.concat([Buffer.from(' '.repeat(pad) + '{"k":"'), b, Buffer.from('"}')]));
          if (stop === 0x5c && at + 1 < len) {
            for (const esc of [0x6e, 0x75, 0x22, 0x78]) {
              const c = Buffer.from(b);
              c[at + 1] = esc;
              lines.push(Buffer.concat([Buffer.from('{"k":"'), c, Buffer.from('"}')]));
            }
          }
        }
      }
    }
  }
  assert.ok(checkValid(native, lines) > 100);
});

/** A byte replaced, inserted or removed, at random. */
function mutate(r: () => number, s: Buffer): Buffer {
  const pool = [0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x20, 0x09, 0x30, 0x31, 0x2d, 0x2e, 0x65, 0x45, 0x2b, 0x75, 0x6e, 0x74, 0x66, 0x01, 0xe2, 0x0d, 0x61];
  const at = Math.floor(r() * (s.length + 1));
  const b = pool[Math.floor(r() * pool.length)]!;
  const x = r();
  if (x < 0.4) return Buffer.concat([s.subarray(0, at), Buffer.from([b]), s.subarray(at + 1)]);
  if (x < 0.7) return Buffer.concat([s.subarray(0, at), Buffer.from([b]), s.subarray(at)]);
  return Buffer.concat([s.subarray(0, at), s.subarray(at + 1)]);
}

const SAMPLES = [
  { a: { b: 'x' }, 'a.b': [1, 'y'], process: { name: 'curl', args: ['-s', 'h'], command_line: 'curl -s https://example.invalid/some/long/path?q=1' }, event: { category: ['process'] }, n: -1.5e-3, t: true, f: false, z: null },
  { x: [{ y: { z: 1 } }, { y: [{ z: 'two' }, 3] }], 'x.y': { z: 'dotted' }, k: 'caf\u00e9 \u2028 \ud83d\ude00 "q" \\ / a somewhat longer string value', e: 1e21 },
  { '@timestamp': '2025-01-15T08:00:00.011Z', event: { category: 'network', type: ['start'] }, destination: { ip: '8.8.8.8', port: 53 }, k: '', deep: [[[{ a: [] }]]] },
];

test('validLines agrees with LineProjector#valid on mutated lines (fuzz)', { skip: nativeLineScan() === null ? 'the C line scanner is not built here' : false }, () => {
  const native = nativeLineScan()!;
  const r = seededRandom(0xc11e5);
  let accepted = 0;
  for (let batch = 0; batch < 40; batch++) {
    const lines: Buffer[] = [];
    for (let n = 0; n < 1000; n++) {
      let line: Buffer = Buffer.from(JSON.stringify(SAMPLES[n % SAMPLES.length]), 'utf8');
      for (let m = 1 + Math.floor(r() * 3); m > 0; m--) line = mutate(r, line);
      lines.push(line);
    }
    accepted += checkValid(native, lines);
  }
  assert.ok(accepted > 3000, `only ${accepted} mutated lines were still valid: the fuzz proves little`);
});

test('validLines refuses offsets outside the buffer', { skip: nativeLineScan() === null ? 'the C line scanner is not built here' : false }, () => {
  const native = nativeLineScan()!;
  const buf = Buffer.from('{}\n');
  assert.throws(() => native.validLines(buf, Int32Array.from([0, 9]), 1, new Uint8Array(1), new Uint8Array(1)), /bad arguments/);
  assert.throws(() => native.validLines(buf, Int32Array.from([2, 1]), 1, new Uint8Array(1), new Uint8Array(1)), /bad arguments/);
  assert.throws(() => native.validLines(buf, Int32Array.from([0, 2]), 2, new Uint8Array(2), new Uint8Array(2)), /bad arguments/);
});
