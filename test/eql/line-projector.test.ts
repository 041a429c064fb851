import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { compileFieldGetter } from '../../src/ecs/field-getter.js';
import { nestsDeeperThan } from '../../src/ecs/event-depth.js';
import { LineProjector } from '../../src/eql/line-projector.js';
import { mutateBytes } from '../helpers/mutate-bytes.js';
import { seededRandom } from '../helpers/seeded-random.js';

/** What the reader does without a projector: JSON.parse of the decoded line; an object nested <= 64 levels, or not. */
function parsesToShallowObject(bytes: Buffer): boolean {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8'));
  } catch {
    return false;
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !nestsDeeperThan(v);
}

const projector = LineProjector.forFields(['a', 'a.b', 'x.y.z', 'process.name', 'event.category', 'k'])!;

const check = (bytes: Buffer): void => {
  const want = parsesToShallowObject(bytes);
  const got = projector.valid(bytes, 0, bytes.length);
  // Never accepts what JSON.parse refuses; on these plain lines it accepts all JSON.parse accepts.
  assert.equal(got, want, `valid(${JSON.stringify(bytes.toString('latin1'))})`);
  assert.equal(projector.project(bytes, 0, bytes.length) !== null, want, `project(${JSON.stringify(bytes.toString('latin1'))})`);
};

test('valid / project accept exactly the lines JSON.parse reads as an object (table)', () => {
  const lines = [
    '{}', ' { } ', '{"a":1}', '{"a":[1,2,{"b":null}],"c":"x"}', '\t{"a" : -0.5e+10 , "b":true}\r', '{"a":"\\u00e9\\n\\/"}',
    '{"a":1,}', '{"a" 1}', '{"a":tru}', '{"a":"x\ty"}', '{"a":01}', '{"a":1}}', '{"a":"\\x"}', '{"a":[1,]}', '{"a":1} {"b":2}',
    '{"a":.5}', '{"a":1.}', '{"a":1e}', '{"a":-}', '{"a":"\\u12g4"}', '{a:1}', "{'a':1}", '[1]', '"s"', '1', 'null', '',
    '{"a":NaN}', '{"a":Infinity}', '{"a":+1}', '{"a":"x"', '{"a":["x"}', '{"a":{"b":1]}', '{"\\ud800":1}', '{"a":"\u2028"}',
    '{"a":\u00a01}', '{"a":1}\u00a0', '{"__proto__":{"b":1}}', '{"a":1,"a":{"b":2}}', '{"a":"\\"}', '{"a":"\\\\"}',
  ];
  for (const l of lines) check(Buffer.from(l, 'utf8'));
  // Bytes that are not UTF-8: inside a string they decode to U+FFFD (fine), outside one they are an error.
  check(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x22, 0x7d])); // {"a":"<E2>"}
  check(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x5c, 0x6e, 0x22, 0x7d]));
  check(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0xc2, 0x7d])); // {"a":1<C2>}
  check(Buffer.from([0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d])); // a key that is not UTF-8
  // Nesting: 64 levels is an event, 65 is not one the projector reads (the caller parses it and counts it).
  const nest = (n: number): string => '{"a":'.repeat(n - 1) + '{}' + '}'.repeat(n - 1);
  check(Buffer.from(nest(64)));
  check(Buffer.from(nest(65)));
  check(Buffer.from('{"a":' + '['.repeat(70) + ']'.repeat(70) + '}'));
});

/** Bytes a mutation writes into a valid line (mutateBytes). */
const MUTATION_BYTES = [0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x20, 0x09, 0x30, 0x31, 0x2d, 0x2e, 0x65, 0x75, 0x6e, 0x74, 0x66, 0x01, 0xe2, 0x0d];
const mutate = (r: () => number, s: Buffer): Buffer => mutateBytes(r, s, MUTATION_BYTES);

const SAMPLES = [
  { a: { b: 'x' }, 'a.b': [1, 'y'], process: { name: 'curl', args: ['-s', 'h'] }, event: { category: ['process'] }, n: -1.5e-3, t: true, f: false, z: null },
  { x: [{ y: { z: 1 } }, { y: [{ z: 'two' }, 3] }], 'x.y': { z: 'dotted' }, k: 'caf\u00e9 \u2028 \ud83d\ude00 "q" \\ /', process: { 'parent.name': 'p' } },
  { '@timestamp': '2025-01-15T08:00:00.011Z', event: { category: 'network', type: ['start'] }, destination: { ip: '8.8.8.8', port: 53 }, k: '' },
];

test('valid / project never accept a line JSON.parse refuses (mutation fuzz)', () => {
  const r = seededRandom(0xb17e5);
  let accepted = 0;
  for (let n = 0; n < 30000; n++) {
    let line: Buffer = Buffer.from(JSON.stringify(SAMPLES[n % SAMPLES.length]), 'utf8');
    for (let m = 1 + Math.floor(r() * 3); m > 0; m--) line = mutate(r, line);
    check(line);
    if (projector.valid(line, 0, line.length)) accepted++;
  }
  assert.ok(accepted > 1000, `only ${accepted} mutated lines were still valid: the fuzz proves little`);
});

test('a projection reads like the parsed event for every field the projector was given', () => {
  const paths = ['a', 'a.b', 'a.b.c', 'x.y.z', 'x.y', 'process.name', 'process.parent.name', 'process.args', 'event.category', 'k', 'n', 'missing.field', 'constructor', 'a.toString'];
  const p = LineProjector.forFields(paths)!;
  const getters = paths.map((f) => [f, compileFieldGetter(f)] as const);
  const extra = ['{"a":{"b":1},"a":{"c":2}}', '{"a":5,"a.b":{"c":"d"}}', '{"x":[1,{"y":[null,{"z":[3]}]},[{"y":{"z":4}}]]}', '{"process":{"name":"a"},"process":"flat"}', '{"constructor":1}', '{"a":{"toString":"t"}}', '{"n\\u0061me":1,"process":{"n\\u0061me":"esc"}}', '{"a.b.c":"lit","a":{"b.c":"mid"}}'];
  const lines = [...SAMPLES.map((s) => JSON.stringify(s)), ...extra];
  for (const line of lines) {
    const bytes = Buffer.from(` ${line} `, 'utf8');
    const full = JSON.parse(line) as EcsEvent;
    const sparse = p.project(bytes, 0, bytes.length) as EcsEvent | null;
    assert.ok(sparse !== null, line);
    for (const [f, get] of getters) assert.deepEqual(get(sparse), get(full), `${f} in ${line}`);
  }
  assert.equal(LineProjector.forFields(['a.__proto__.b']), null);
});
