import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EbpfBackoff } from '../../../src/collectors/linux/ebpf-backoff.js';

test('restart delays double up to the cap', () => {
  const b = new EbpfBackoff(250, 30_000, 60_000);
  const delays = Array.from({ length: 10 }, () => b.next(10));
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('a helper that ran long enough starts the sequence over', () => {
  const b = new EbpfBackoff(250, 30_000, 60_000);
  b.next(10);
  b.next(10);
  assert.equal(b.next(59_999), 1000, 'not long enough');
  assert.equal(b.next(60_000), 250);
  assert.equal(b.next(5), 500);
});
