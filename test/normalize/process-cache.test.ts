import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProcessCache } from '../../src/normalize/process-cache.js';
import type { ProcessEntry } from '../../src/normalize/process-entry.js';

const entry = (pid: number, startKey: string): ProcessEntry => ({ pid, startKey, entityId: `e${pid}/${startKey}`, ancestry: [], live: true });

test('get by (pid, startKey) and by pid; hits and misses counted', () => {
  const c = new ProcessCache();
  c.put(entry(1, '10'));
  assert.equal(c.get(1, '10')?.entityId, 'e1/10');
  assert.equal(c.get(1, '')?.entityId, 'e1/10');
  assert.equal(c.get(1, '11'), undefined); // another instance of pid 1
  assert.equal(c.get(2, ''), undefined);
  assert.deepEqual([c.stats().hits, c.stats().misses], [2, 2]);
});

test('capacity: exited entries are evicted first, then the least recently inserted; counted', () => {
  const c = new ProcessCache({ capacity: 3, exitRetentionMs: 60_000 });
  c.put(entry(1, '1'));
  c.put(entry(2, '2'));
  c.put(entry(3, '3'));
  c.markExited(c.get(2, '2')!, 0);
  c.put(entry(4, '4')); // evicts exited 2, not the oldest live 1
  assert.equal(c.get(2, '2'), undefined);
  assert.ok(c.get(1, '1'));
  c.put(entry(5, '5')); // no exited entry left: evicts 1, the oldest inserted
  assert.equal(c.get(1, '1'), undefined);
  assert.equal(c.size, 3);
  assert.equal(c.stats().evictions, 2);
});

test('exited entries expire after the retention time, live ones never', () => {
  const c = new ProcessCache({ exitRetentionMs: 1000 });
  c.put(entry(1, '1'));
  c.put(entry(2, '2'));
  c.markExited(c.get(2, '2')!, 5000);
  c.expire(5999);
  assert.ok(c.get(2, '2'), 'kept within retention');
  c.expire(6000);
  assert.equal(c.get(2, '2'), undefined);
  assert.ok(c.get(1, '1'));
  assert.equal(c.stats().expired, 1);
});

test('a reused pid: the old instance stays findable by its start key, the pid index points at the new one', () => {
  const c = new ProcessCache({ exitRetentionMs: 1000 });
  c.put(entry(7, '70'));
  c.markExited(c.get(7, '70')!, 0);
  c.put(entry(7, '99'));
  assert.equal(c.get(7, '70')?.entityId, 'e7/70');
  assert.equal(c.get(7, '')?.entityId, 'e7/99');
  c.expire(1000);
  assert.equal(c.get(7, '70'), undefined);
  assert.equal(c.get(7, '')?.entityId, 'e7/99', 'expiring the old instance keeps the new one');
});

test('bounded under churn: 100k processes through a 1000-entry cache', () => {
  const c = new ProcessCache({ capacity: 1000, exitRetentionMs: 10 });
  for (let i = 0; i < 100_000; i++) {
    c.put(entry(i, String(i)));
    c.markExited(c.get(i, String(i))!, i);
    c.expire(i);
  }
  assert.ok(c.size <= 1000);
  assert.equal(c.stats().expired + c.stats().evictions + c.size, 100_000);
});

test('bounded by bytes too: huge argv evicts old entries, and the byte count follows puts and removals', () => {
  const c = new ProcessCache({ capacity: 1000, maxBytes: 200_000 });
  const big = (pid: number): ProcessEntry => {
    const args = ['x'.repeat(16_000)];
    return { ...entry(pid, String(pid)), args, commandLine: args.join(' ') };
  };
  for (let i = 0; i < 20; i++) c.put(big(i));
  const s = c.stats();
  assert.ok(s.bytes <= 200_000, `bytes ${s.bytes}`);
  assert.ok(s.size < 20 && s.size > 0);
  assert.equal(s.evictions, 20 - s.size);
  assert.ok(c.get(19, '19'), 'the newest stays');
  // re-putting an entry that shrank releases bytes
  const e = c.get(19, '19')!;
  e.args = ['y'];
  e.commandLine = 'y';
  const before = c.stats().bytes;
  c.put(e);
  assert.ok(c.stats().bytes < before - 50_000);
});
