import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFieldGetter } from '../../src/ecs/field-getter.js';

const rows: Array<[string, string, Record<string, unknown>, unknown]> = [
  ['top-level key', 'pid', { pid: 1 }, 1],
  ['nested two', 'process.pid', { process: { pid: 7 } }, 7],
  ['literal dotted two', 'process.pid', { 'process.pid': 7 }, 7],
  ['nested three', 'process.parent.name', { process: { parent: { name: 'sh' } } }, 'sh'],
  ['mixed dotted then nested', 'process.parent.name', { 'process.parent': { name: 'sh' } }, 'sh'],
  ['mixed nested then dotted', 'process.parent.name', { process: { 'parent.name': 'sh' } }, 'sh'],
  ['fully dotted three', 'process.parent.name', { 'process.parent.name': 'sh' }, 'sh'],
  ['array value kept', 'process.args', { process: { args: ['a', 'b'] } }, ['a', 'b']],
  ['array of objects flattened', 'threat.technique.id', { threat: [{ technique: { id: 'T1' } }, { technique: [{ id: 'T2' }, { id: 'T3' }] }] }, ['T1', 'T2', 'T3']],
  ['null kept', 'a.b', { a: { b: null } }, null],
  // negative rows
  ['missing', 'process.pid', { process: {} }, undefined],
  ['through scalar', 'process.pid.x', { process: { pid: 1 } }, undefined],
  ['through null', 'a.b.c', { a: null }, undefined],
  ['four deep missing', 'a.b.c.d', { a: { b: { c: {} } } }, undefined],
  ['four deep', 'a.b.c.d', { a: { 'b.c': { d: 4 } } }, 4],
  ['inherited name missing', 'constructor', {}, undefined],
  ['inherited name nested missing', 'process.toString', { process: {} }, undefined],
  ['inherited name under missing', 'a.__proto__.b', { a: {} }, undefined],
  ['inherited name present', 'process.constructor', { process: { constructor: 'x' } }, 'x'],
  ['own __proto__ key from JSON', 'a.__proto__', JSON.parse('{"a": {"__proto__": 5}}'), 5],
];

for (const [name, path, event, expected] of rows) {
  test(`compileFieldGetter: ${name}`, () => {
    assert.deepEqual(compileFieldGetter(path)(event as never), expected);
  });
}
