import { test } from 'node:test';
import assert from 'node:assert/strict';
import { epochMsToFiletime, filetimeToEpochMs } from '../../../src/collectors/win32/filetime.js';

test('FILETIME ticks convert to epoch milliseconds exactly', () => {
  assert.equal(filetimeToEpochMs('116444736000000000'), 0);
  assert.equal(filetimeToEpochMs('134396436000000000'), Date.parse('2026-11-20T10:20:00.000Z'));
  // 100 ns resolution survives as a fraction of a millisecond
  assert.equal(filetimeToEpochMs('134396436000001234'), Date.parse('2026-11-20T10:20:00.000Z') + 0.1234);
  assert.equal(epochMsToFiletime(Date.parse('2026-11-20T10:20:00.000Z')), '134396436000000000');
});

test('non-FILETIME text is refused', () => {
  for (const bad of ['', '0', '-5', '12.5', 'abc', '1'.repeat(21)]) assert.equal(filetimeToEpochMs(bad), undefined, bad);
});
