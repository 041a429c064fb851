import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCanonicalJson } from '../../src/eql/line-canonical.js';
import { seededRandom } from '../helpers/seeded-random.js';

/** The claim: a line said canonical is exactly what JSON.stringify writes for what JSON.parse reads. */
function roundTrips(bytes: Buffer): boolean {
  try {
    return JSON.stringify(JSON.parse(bytes.toString('utf8'))) === bytes.toString('utf8');
  } catch {
    return false;
  }
}

const check = (bytes: Buffer): boolean => {
  const got = isCanonicalJson(bytes, 0, bytes.length);
  if (got) assert.ok(roundTrips(bytes), `said canonical: ${JSON.stringify(bytes.toString('latin1'))}`);
  return got;
};

test('canonical lines: only what JSON.stringify writes back (table)', () => {
  const yes = [
    '{}', '{"a":1}', '{"a":[1,"x",{"b":null}],"c":true,"d":false}', '{"s":"caf\u00e9 \u2028 \ud83d\ude00"}', '{"e":"\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f"}',
    '{"n":-1.5,"m":1e+21,"k":0.001,"z":0}', '{"__proto__":1}', '{"4294967295":1}', '{"-1":1,"01":2,"1.5":3}',
  ];
  const no = [
    ' {"a":1}', '{"a": 1}', '{"a":1} ', '{"a":"\\/"}', '{"a":"\\u0041"}', '{"a":"\\u001F"}', '{"a":"\\u000a"}', '{"a":"\\ud83d\\ude00"}',
    '{"a":1.0}', '{"a":1e2}', '{"a":-0}', '{"a":1E+21}', '{"a":12345678901234567890}', '{"a":1,"a":2}', '{"b":{"x":1,"x":1}}',
    '{"b":1,"7":2}', '{"0":1}', '{"a":"x\ty"}', '[1]', '"s"', '{"a":1', '{"a":tru}', '{"a":01}',
  ];
  for (const l of yes) assert.equal(check(Buffer.from(l, 'utf8')), true, l);
  for (const l of no) assert.equal(check(Buffer.from(l, 'utf8')), false, l);
  // Not UTF-8: decoding changes the text.
  assert.equal(check(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x22, 0x7d])), false);
});

test('canonical lines: never claimed for a line that does not round-trip (mutation fuzz)', () => {
  const r = seededRandom(0xca70);
  const docs = [
    { a: 'x', b: [1, 2.5, -3], c: { d: null, e: true }, f: 'caf\u00e9\n"q"' },
    { '@timestamp': '2025-01-15T08:00:00.011Z', event: { category: ['process'] }, process: { pid: 42, args: ['-c', 'x'] } },
  ];
  const pool = [0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x20, 0x30, 0x31, 0x2e, 0x65, 0x2b, 0x2d, 0x75, 0x2f, 0x61, 0x37, 0x09, 0xc3];
  let canonical = 0;
  for (let n = 0; n < 20000; n++) {
    let line = Buffer.from(JSON.stringify(docs[n % docs.length]), 'utf8');
    for (let m = Math.floor(r() * 3); m > 0; m--) {
      const at = Math.floor(r() * line.length);
      const b = Buffer.from([pool[Math.floor(r() * pool.length)]!]);
      line = r() < 0.5 ? Buffer.concat([line.subarray(0, at), b, line.subarray(at + 1)]) : Buffer.concat([line.subarray(0, at), b, line.subarray(at)]);
    }
    if (check(line)) canonical++;
  }
  assert.ok(canonical > 1000, `only ${canonical} canonical lines: the fuzz proves little`);
});
