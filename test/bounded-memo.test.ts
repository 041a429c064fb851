import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedMemo } from '../src/bounded-memo.js';

test('BoundedMemo: never holds more than its bound; emptied when full, and each emptying counted', () => {
  const m = new BoundedMemo<number, string>(3);
  for (let i = 0; i < 3; i++) assert.equal(m.set(i, `v${i}`), `v${i}`);
  assert.equal(m.get(2), 'v2');
  assert.equal(m.clears, 0);
  m.set(3, 'v3'); // full: emptied first
  assert.equal(m.clears, 1);
  assert.equal(m.get(0), undefined);
  assert.equal(m.get(3), 'v3');
  for (let i = 4; i < 100; i++) m.set(i, `v${i}`);
  assert.equal(m.clears, 33);
  // the 33rd emptying came with key 99: it alone is held
  assert.deepEqual([0, 3, 97, 98, 99].map((k) => m.get(k)), [undefined, undefined, undefined, undefined, 'v99']);
});
