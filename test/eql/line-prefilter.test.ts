import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ASCII_FOLDING_CODE_POINTS, compileLinePrefilter } from '../../src/eql/line-prefilter.js';
import { ByteLineSplitter, type LineRun } from '../../src/line-splitter.js';

const OPTIONS = { categoryField: 'event.category', timestampField: '@timestamp' };

/** Which of `lines` the prefilter of `query` selects (all of them when the query cannot be narrowed). */
function selected(query: string, lines: readonly string[]): boolean[] {
  const pf = compileLinePrefilter(query, OPTIONS);
  const out: boolean[] = [];
  const splitter = new ByteLineSplitter(1 << 20);
  const sink = {
    line: (run: LineRun) => {
      const sel = new Uint8Array(run.starts.length);
      if (pf === null || !pf.select(run, sel)) sel.fill(1);
      for (const x of sel) out.push(x === 1);
    },
    oversize: () => assert.fail('no line is over the cap'),
  };
  splitter.push(Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8'), sink);
  return out;
}

// Each row: query, a line, whether the line must be parsed (true) or may be skipped (false).
const ROWS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['process where process.name == "curl"', '{"event":{"category":["process"]},"process":{"name":"curl"}}', true],
  ['process where process.name == "curl"', '{"event":{"category":["process"]},"process":{"name":"wget"}}', false],
  ['process where process.name == "curl"', '{"event":{"category":["process"]},"process":{"name":"/usr/bin/curl"}}', false],
  ['process where process.name == "curl"', '{"event":{"category":["network"]},"process":{"name":"wget"},"x":"curl"}', true],
  // A \u escape could spell the text: always parsed.
  ['process where process.name == "curl"', '{"event":{"category":["process"]},"process":{"name":"\\u0063url"}}', true],
  // Case-sensitive forms: another case can be skipped; insensitive forms keep it.
  ['process where process.name == "curl"', '{"process":{"name":"CURL"},"event":{"category":"process"}}', false],
  ['process where process.name : "curl"', '{"process":{"name":"CURL"},"event":{"category":"process"}}', true],
  ['process where process.name in~ ("curl", "wget")', '{"process":{"name":"WGet"},"event":{"category":"process"}}', true],
  ['process where process.name like~ "CU*"', '{"process":{"name":"curl"},"event":{"category":"process"}}', true],
  ['process where process.name like "CU*"', '{"process":{"name":"curl"},"event":{"category":"process"}}', false],
  ['process where stringContains~(process.name, "UR")', '{"process":{"name":"curl"},"event":{"category":"process"}}', true],
  // A character whose case folds into ASCII (KELVIN SIGN lowercases to k) is parsed for insensitive forms.
  ['process where process.name : "kill"', '{"process":{"name":"\u212aill"},"event":{"category":"process"}}', true],
  ['process where process.name : "strasse"', '{"process":{"name":"stra\u00dfe"},"event":{"category":"process"}}', true],
  // Numbers and booleans compare with their text: "1" equals 1.0, "true" equals true.
  ['process where process.pid == "1"', '{"process":{"pid":1.0},"event":{"category":"process"}}', true],
  ['process where process.flag == "true"', '{"process":{"flag":true},"event":{"category":"process"}}', true],
  ['process where process.flag : "t*"', '{"process":{"flag":true},"event":{"category":"process"}}', true],
  ['process where process.n : "1*"', '{"process":{"n":1e1},"event":{"category":"process"}}', true],
  ['process where process.n : "10"', '{"process":{"n":1.0e1},"event":{"category":"process"}}', true],
  ['process where process.n == "10"', '{"process":{"n":1.0e1},"event":{"category":"process"}}', true],
  // Wildcards: literal runs between them; an anchored start needs the opening quote.
  ['process where process.name : "cu*rl"', '{"process":{"name":"cuXrl"},"event":{"category":"process"}}', true],
  ['process where process.name : "cu*"', '{"process":{"name":"xcurl"},"event":{"category":"process"}}', false],
  ['process where process.name : "*url"', '{"process":{"name":"xcurl"},"event":{"category":"process"}}', true],
  // Characters JSON may escape split the text: "a/b" may be written "a\/b".
  ['process where process.name == "a/bcd"', '{"process":{"name":"a\\/bcd"},"event":{"category":"process"}}', true],
  ['process where process.name == "ab\\"cd"', '{"process":{"name":"ab\\"cd"},"event":{"category":"process"}}', true],
  // Sequences: a line matching any stage, until included, is parsed.
  ['sequence [process where process.name == "a1"] [network where destination.port == 443] until [process where process.name == "stopper"]',
    '{"process":{"name":"stopper"},"event":{"category":"process"}}', true],
  ['sequence [process where process.name == "a1"] [network where destination.port == 443]',
    '{"event":{"category":["file"]}}', false],
  ['sequence [process where process.name == "a1"] ![process where process.name == "gone"] [process where process.name == "b2"]',
    '{"process":{"name":"gone"},"event":{"category":"process"}}', true],
  // Line 2 is compared as if alone: a hit in one line does not select the next.
  ['process where process.name == "curl"', '{"process":{"name":"x"}}', false],
];

test('prefilter: lines that could match are selected, others may be skipped', () => {
  for (const [query, line, must] of ROWS) {
    const [got] = selected(query, [line]);
    if (must) assert.equal(got, true, `${query}\n${line}\nmust be parsed`);
    else assert.equal(got, false, `${query}\n${line}\nexpected to be skipped`);
  }
});

test('prefilter: hits are assigned to the line they are in', () => {
  const q = 'process where process.name == "curl"';
  const lines = ['{"a":1}', '{"process":{"name":"curl"},"event":{"category":"process"}}', '{"b":2}', '', '{"c":"curl"}'];
  assert.deepEqual(selected(q, lines), [false, true, false, false, true]);
});

test('prefilter: a query with a filter that has no usable literal is not narrowed', () => {
  for (const q of [
    'any where true',
    'any where process.pid > 5',
    'any where not process.name == "curl"',
    'any where process.name regex "cu.*"',
    'any where process.pid == 12',
    'any where @timestamp == "2020-01-01T00:00:00Z"',
    'any where length(process.name) == 4',
    'any where process.name == "curl" or process.pid == 1',
    'sequence [process where process.name == "a1"] [any where true]',
    'sequence [process where process.name == "a1"] [process where process.name == "b"] until [any where true]',
    'sample by host.name [process where process.name == "a1"] [any where process.pid != 3]',
  ]) assert.equal(compileLinePrefilter(q, OPTIONS), null, q);
});

test('prefilter: a filter without literals still needs its category', () => {
  const lines = ['{"event":{"category":"network"},"process":{"name":"curl"}}', '{"event":{"category":["process"]},"process":{"pid":1}}'];
  for (const q of ['process where process.pid > 5', 'process where not process.name == "curl"', 'process where process.name regex "cu.*"']) {
    assert.deepEqual(selected(q, lines), [false, true], q);
  }
});

test('prefilter: category-only queries search the category, and `false` filters need nothing', () => {
  assert.deepEqual(selected('process where true', ['{"event":{"category":"network"}}', '{"event":{"category":["process"]}}']), [false, true]);
  assert.deepEqual(selected('process where false', ['{"event":{"category":["process"]}}']), [false]);
});

test('prefilter: the list of non-ASCII characters whose case maps into ASCII is complete', () => {
  const found: number[] = [];
  const re = /[a-z]/i;
  const reu = /[a-z]/iu;
  for (let cp = 0x80; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    if (/[A-Za-z]/.test(c.toLowerCase()) || /[A-Za-z]/.test(c.toUpperCase()) || re.test(c) || reu.test(c)) found.push(cp);
  }
  assert.deepEqual(found, [...ASCII_FOLDING_CODE_POINTS]);
});
