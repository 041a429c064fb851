import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { LineNeed } from '../../src/eql/line-need.js';
import { ASCII_FOLDING_CODE_POINTS, linePrefilterFromNeed } from '../../src/eql/line-prefilter.js';
import { LineProjector } from '../../src/eql/line-projector.js';
import { lineOffsets, nativeLineScan, nativeProjector, type NativeLineScan } from '../../src/eql/native-line-scan.js';
import type { LineRun } from '../../src/line-splitter.js';
import { mutateBytes } from '../helpers/mutate-bytes.js';
import { seededRandom } from '../helpers/seeded-random.js';

/**
 * The C line scanner gives exactly the results of the JavaScript code it stands in for: `validLines` is
 * `LineProjector#valid` on every line (tables, every string length around its 16-byte blocks, tens of
 * thousands of mutated lines, bytes that are not UTF-8); `markLines` selects the lines the prefilter's
 * JavaScript finders select (and the whole condition where it evaluates one); the C projector builds what
 * `LineProjector#project` builds.
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

/** Bytes a mutation writes into a valid line (mutateBytes). */
const MUTATION_BYTES = [0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x20, 0x09, 0x30, 0x31, 0x2d, 0x2e, 0x65, 0x45, 0x2b, 0x75, 0x6e, 0x74, 0x66, 0x01, 0xe2, 0x0d, 0x61];
const mutate = (r: () => number, s: Buffer): Buffer => mutateBytes(r, s, MUTATION_BYTES);

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

// ---- the text search ---------------------------------------------------------------------------------------

type Leaf = Extract<LineNeed, { kind: 'text' }>;

/** Which lines of a run (fewer than 64 lines: no tuning, no declining) a prefilter over `leaves` selects. */
function marks(leaves: readonly Leaf[], run: LineRun, native: NativeLineScan | null): string {
  const pf = linePrefilterFromNeed({ kind: 'or', of: leaves }, { native });
  assert.ok(pf !== null);
  const sel = new Uint8Array(run.starts.length);
  assert.ok(pf.select(run, sel));
  return sel.join('');
}

const WORDS = ['curl', 'CURL', 'cUrl', 'base64', 'zlib', 'Tar', 'tar', 'ab', 'a', '7z', 'python3', 'PyThOn', 'node', 'x y', 'caf\u00e9', 'CAF\u00c9', 'k'];

// Both search paths: 16 positions at a time (SSSE3, where the CPU has it) and one at a time.
for (const scalar of [false, true]) {
  const how = scalar ? ' (without SSSE3)' : '';
  const withPath = (f: () => void) => () => {
    if (scalar) process.env.VIGIL_LINE_SCAN_NO_SSSE3 = '1';
    try {
      f();
    } finally {
      delete process.env.VIGIL_LINE_SCAN_NO_SSSE3;
    }
  };
test(`markLines selects exactly the lines the JavaScript search selects for an or of texts (fuzz: quotes, keys, case, escapes, case-folding characters)${how}`, { skip: nativeLineScan() === null ? 'the C line scanner is not built here' : false }, withPath(() => {
  const native = nativeLineScan()!;
  const r = seededRandom(0x7e47);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  let hits = 0;
  let total = 0;
  for (let round = 0; round < 400; round++) {
    const leaves: Leaf[] = [];
    for (let k = 1 + Math.floor(r() * 6); k > 0; k--) {
      const ci = r() < 0.4;
      const word = pick(WORDS);
      // A case-insensitive text is pure ASCII (LineNeed's contract).
      leaves.push({ kind: 'text', text: ci ? word.replace(/[^\x20-\x7e]/g, 'e') : word, ci, before: r() < 0.6, after: r() < 0.5, common: false });
    }
    const lines: Buffer[] = [];
    for (let n = 1 + Math.floor(r() * 40); n > 0; n--) {
      let text = '{';
      for (let f = Math.floor(r() * 6); f > 0; f--) {
        const w = pick([...WORDS, 'long value with spaces and more words than sixteen bytes', '\\u0063url', '\u212aey', 'stra\u00dfe', '\u017ftart', '']);
        const key = r() < 0.2 ? pick(WORDS) : 'f';
        const sep = pick([':', ' :', '\t: ', ':']);
        text += `${f > 1 ? '' : ''}"${key}"${sep}${r() < 0.8 ? `"${w}"` : r() < 0.5 ? `["${w}" , "${pick(WORDS)}"]` : String(Math.floor(r() * 100))}${r() < 0.2 ? ' ' : ''}`;
        if (f > 1) text += ',';
      }
      text += pick(['}', '', ' "tail"', '"curl"', 'zlib']);
      lines.push(Buffer.from(text, 'utf8'));
    }
    const run = runOf(lines);
    const want = marks(leaves, run, null);
    assert.equal(marks(leaves, run, native), want, `texts ${JSON.stringify(leaves)} on ${JSON.stringify(lines.map((l) => l.toString()))}`);
    hits += [...want].filter((c) => c === '1').length;
    total += want.length;
  }
  assert.ok(hits > total / 10 && hits < total * 0.9, `${hits} of ${total} lines selected: the fuzz proves little`);
}));

test(`markLines finds texts at every offset around its probe stride and at line ends${how}`, { skip: nativeLineScan() === null ? 'the C line scanner is not built here' : false }, withPath(() => {
  const native = nativeLineScan()!;
  const leaves: Leaf[] = [
    { kind: 'text', text: 'connection_attempted', ci: false, before: true, after: true, common: false },
    { kind: 'text', text: 'zlib', ci: true, before: false, after: false, common: false },
  ];
  const lines: Buffer[] = [];
  for (let pad = 0; pad < 40; pad++) {
    for (const w of ['"connection_attempted"', 'ZLib', 'zli', '"connection_attempted" :', '"connection_attempte"']) {
      lines.push(Buffer.from(`${'x'.repeat(pad)}${w}`), Buffer.from(`${'x'.repeat(pad)}${w}${'y'.repeat(pad % 7)}`));
    }
  }
  for (let i = 0; i < lines.length; i += 50) {
    const run = runOf(lines.slice(i, i + 50));
    assert.equal(marks(leaves, run, native), marks(leaves, run, null));
  }
}));

}

/** Whether a text stands in the line as the prefilter means it (a plain reference: every position tried). */
function holds(line: Buffer, t: Leaf): boolean {
  const text = Buffer.from(t.text, 'utf8');
  const low = (c: number): number => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
  for (let at = 0; at + text.length <= line.length; at++) {
    let k = 0;
    while (k < text.length && (t.ci ? low(line[at + k]!) === low(text[k]!) : line[at + k] === text[k])) k++;
    if (k < text.length) continue;
    if (t.before && (at === 0 || line[at - 1] !== 0x22)) continue;
    if (t.after) {
      const q = at + text.length;
      if (line[q] !== 0x22) continue;
      let i = q + 1;
      while (line[i] === 0x20 || line[i] === 0x09) i++;
      if (line[i] === 0x3a) continue;
    }
    return true;
  }
  return false;
}

function evaluate(need: LineNeed, line: Buffer): boolean {
  switch (need.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'text':
      return holds(line, need);
    case 'and':
      return need.of.every((n) => evaluate(n, line));
    case 'or':
      return need.of.some((n) => evaluate(n, line));
  }
}

const leavesOf = (n: LineNeed): Leaf[] => (n.kind === 'text' ? [n] : n.kind === 'and' || n.kind === 'or' ? n.of.flatMap(leavesOf) : []);

for (const scalar of [false, true]) test(`the C prefilter selects exactly the lines where the whole LineNeed holds, or that could hide a text (fuzz)${scalar ? ' (without SSSE3)' : ''}`, { skip: nativeLineScan() === null ? 'the C line scanner is not built here' : false }, () => {
  const native = nativeLineScan()!;
  if (scalar) process.env.VIGIL_LINE_SCAN_NO_SSSE3 = '1';
  try {
    treeFuzz(native);
  } finally {
    delete process.env.VIGIL_LINE_SCAN_NO_SSSE3;
  }
});

function treeFuzz(native: NativeLineScan): void {
  const r = seededRandom(0x7ee5);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const leaf = (): Leaf => {
    const ci = r() < 0.4;
    const word = pick(WORDS);
    return { kind: 'text', text: ci ? word.replace(/[^\x20-\x7e]/g, 'e') : word, ci, before: r() < 0.6, after: r() < 0.5, common: false };
  };
  const need = (depth: number): LineNeed => {
    const x = r();
    if (depth >= 3 || x < 0.45) return leaf();
    if (x < 0.5) return { kind: 'all' };
    if (x < 0.53) return { kind: 'none' };
    const of: LineNeed[] = [];
    for (let k = 1 + Math.floor(r() * 4); k > 0; k--) of.push(need(depth + 1));
    return { kind: r() < 0.5 ? 'and' : 'or', of };
  };
  let checked = 0;
  let hits = 0;
  let misses = 0;
  for (let round = 0; round < 300; round++) {
    const n: LineNeed = { kind: 'or', of: [need(1), need(1)] };
    const pf = linePrefilterFromNeed(n, { native });
    if (pf === null) continue; // a branch with no text: every line is read (as in JavaScript)
    const lines: Buffer[] = [];
    for (let k = 1 + Math.floor(r() * 40); k > 0; k--) {
      let text = '{';
      for (let f = 1 + Math.floor(r() * 5); f > 0; f--) {
        const w = pick([...WORDS, 'long value with spaces and more words than sixteen bytes', '\u212aey', 'stra\u00dfe', '']);
        text += `"${r() < 0.3 ? pick(WORDS) : 'f'}"${pick([':', ' :'])}"${r() < 0.05 ? '\\u0063' : ''}${w}"${f > 1 ? ',' : '}'}`;
      }
      lines.push(Buffer.from(text, 'utf8'));
    }
    const run = runOf(lines);
    const sel = new Uint8Array(lines.length);
    assert.ok(pf.select(run, sel));
    const ci = leavesOf(n).some((t) => t.ci);
    lines.forEach((line, i) => {
      const s = line.toString('utf8');
      const forced = s.includes('\\u') || (ci && ASCII_FOLDING_CODE_POINTS.some((cp) => s.includes(String.fromCodePoint(cp))));
      const want = forced || evaluate(n, line);
      assert.equal(sel[i] === 1, want, `need ${JSON.stringify(n)} on ${s}`);
      checked++;
      if (want) hits++;
      else misses++;
    });
  }
  assert.ok(checked > 3000 && hits > checked / 10 && misses > checked / 10, `${hits} selected, ${misses} not, of ${checked}: the fuzz proves little`);
}

// ---- the projection --------------------------------------------------------------------------------------

test('the C projector builds exactly what LineProjector#project builds, or gives up (tables, mutation fuzz)', { skip: nativeLineScan() === null ? 'the C line scanner is not built here' : false }, () => {
  const native = nativeLineScan()!;
  const paths = ['a', 'a.b', 'a.b.c', 'x.y.z', 'x.y', 'process.name', 'process.parent.name', 'process.args', 'event.category', 'k', 'n', 'e', 'missing.field', 'constructor', 'a.toString', 'deep'];
  const p = LineProjector.forFields(paths)!;
  const inC = nativeProjector(native, p);
  const extra = ['{"a":{"b":1},"a":{"c":2}}', '{"a":5,"a.b":{"c":"d"}}', '{"x":[1,{"y":[null,{"z":[3]}]},[{"y":{"z":4}}]]}', '{"process":{"name":"a"},"process":"flat"}', '{"constructor":1}', '{"a":{"toString":"t"}}', '{"n\\u0061me":1,"process":{"n\\u0061me":"esc"}}', '{"a.b.c":"lit","a":{"b.c":"mid"}}', '{"k":"\\u00e9\\n","a":["x","y\\"z"],"n":[1,2,{"q":3}]}', ' {"e" : 1e21 , "k" : "caf\u00e9"} '];
  const r = seededRandom(0x9a11);
  const lines: Buffer[] = [...SAMPLES.map((x) => JSON.stringify(x)), ...extra].map((l) => Buffer.from(l, 'utf8'));
  for (let n = 0; n < 20000; n++) {
    let line: Buffer = Buffer.from(JSON.stringify(SAMPLES[n % SAMPLES.length]), 'utf8');
    for (let m = Math.floor(r() * 3); m > 0; m--) line = mutate(r, line);
    lines.push(line);
  }
  // Many records: past the first room (retried with room for the line), past the bound (the JavaScript projector's).
  lines.push(Buffer.from(JSON.stringify({ x: Array.from({ length: 3000 }, (_, i) => ({ y: { z: i } })), k: 'after' })));
  const huge = Buffer.from(JSON.stringify({ x: new Array(600000).fill(0), k: 'after' }));
  assert.equal(inC(huge, 0, huge.length), undefined);
  let built = 0;
  for (const line of lines) {
    const padded = Buffer.concat([Buffer.from('xx'), line, Buffer.from('\nyy')]);
    const want = p.project(padded, 2, 2 + line.length);
    const got = inC(padded, 2, 2 + line.length);
    if (got === undefined) continue; // C gave up: the JavaScript projector decides (want, as above)
    assert.ok(want !== null, `C projected a line the JavaScript projector refuses: ${line.toString('latin1')}`);
    assert.deepEqual(got, want, line.toString('latin1'));
    assert.deepEqual(Object.keys(got), Object.keys(want!), `key order of ${line.toString('latin1')}`);
    built++;
  }
  assert.ok(built > 8000, `only ${built} lines projected in C: the test proves little`);
});

test('a query the C searcher cannot hold (a text over 1 MiB) is searched in JavaScript, with the same result', async () => {
  const { runHunt } = await import('../../src/cli/hunt.js');
  const { Readable } = await import('node:stream');
  // 400 000 characters (a query holds at most 1 000 000), 1.2 MB of UTF-8.
  const long = '\u20ac'.repeat(400000);
  const lines = [{ '@timestamp': 1, event: { category: 'process' }, process: { name: long } }, { '@timestamp': 2, event: { category: 'process' }, process: { name: 'y' } }];
  const input = lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"broken\n';
  const run = async (prefilter: boolean): Promise<string> => {
    let out = '';
    const summary = await runHunt({ query: `process where process.name == "${long}"`, events: '-', prefilter }, { stdin: Readable.from([Buffer.from(input)]), stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s), isTTY: false } });
    return `${summary.exitCode} ${summary.hits} ${out.length} ${out.slice(-200)}`;
  };
  const on = await run(true);
  assert.match(on, /^0 1 /);
  assert.equal(on, await run(false));
});
