import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReorderBuffer } from '../../src/normalize/reorder-buffer.js';
import { seededRandom } from '../helpers/seeded-random.js';

interface E {
  readonly ts: number;
  readonly id: number;
}
const ts = (e: E): number => e.ts;


test('reorder buffer: shuffled input within the hold comes out in (timestamp, arrival) order', () => {
  for (const seed of [1, 2, 3, 42, 1234]) {
    const rand = seededRandom(seed);
    const hold = 250;
    // Events every ~1 ms; each arrives up to 200 ms after its timestamp (less than the hold).
    const events: { e: E; arrive: number }[] = [];
    for (let i = 0; i < 5000; i++) {
      const t = i + Math.floor(rand() * 3);
      events.push({ e: { ts: t, id: i }, arrive: t + Math.floor(rand() * 200) });
    }
    events.sort((a, b) => a.arrive - b.arrive);
    const buf = new ReorderBuffer<E>({ timestamp: ts, holdMs: hold });
    const out: E[] = [];
    for (const { e, arrive } of events) out.push(...buf.push(e, arrive));
    out.push(...buf.flush());
    assert.equal(out.length, events.length);
    for (let i = 1; i < out.length; i++) assert.ok(out[i - 1]!.ts <= out[i]!.ts, `seed ${seed}: out of order at ${i}`);
    const s = buf.stats();
    assert.equal(s.late, 0);
    assert.equal(s.released, 5000);
    assert.equal(s.held, 0);
    assert.ok(s.peakHeld > 0);
  }
});

test('reorder buffer: equal timestamps keep arrival order; nothing leaves before its hold', () => {
  const buf = new ReorderBuffer<E>({ timestamp: ts, holdMs: 100 });
  assert.deepEqual(buf.push({ ts: 1000, id: 1 }, 1000), []);
  assert.deepEqual(buf.push({ ts: 1000, id: 2 }, 1010), []);
  assert.deepEqual(buf.push({ ts: 990, id: 3 }, 1020), []);
  assert.equal(buf.nextDueMs(), 1090);
  assert.deepEqual(buf.release(1089).map((e) => e.id), []);
  assert.deepEqual(buf.release(1090).map((e) => e.id), [3]);
  assert.deepEqual(buf.release(1100).map((e) => e.id), [1, 2]);
});

test('reorder buffer: late events (older than what was released) are still released, and counted', () => {
  const buf = new ReorderBuffer<E>({ timestamp: ts, holdMs: 50 });
  buf.push({ ts: 100, id: 1 }, 100);
  assert.deepEqual(buf.release(200).map((e) => e.id), [1]);
  const late = buf.push({ ts: 90, id: 2 }, 201);
  assert.deepEqual(late.map((e) => e.id), [2]);
  assert.equal(buf.stats().late, 1);
  // Not late: newer than the last released one, held as usual.
  assert.deepEqual(buf.push({ ts: 180, id: 3 }, 201), []);
});

test('reorder buffer: bounded; overflow releases the earliest early, or drops with the drop policy', () => {
  const buf = new ReorderBuffer<E>({ timestamp: ts, holdMs: 1000, maxEvents: 3 });
  const out: E[] = [];
  for (const [t, id] of [[5, 1], [3, 2], [4, 3], [6, 4], [7, 5]] as const) out.push(...buf.push({ ts: t, id }, 10));
  assert.deepEqual(out.map((e) => e.id), [2, 3]);
  assert.equal(buf.size, 3);
  assert.equal(buf.stats().overflowReleased, 2);
  assert.deepEqual(buf.flush().map((e) => e.id), [1, 4, 5]);

  const dropping = new ReorderBuffer<E>({ timestamp: ts, holdMs: 1000, maxEvents: 2, overflow: 'drop' });
  for (let i = 0; i < 5; i++) dropping.push({ ts: i, id: i }, 0);
  assert.equal(dropping.size, 2);
  assert.equal(dropping.stats().dropped, 3);
});

test('reorder buffer: mostly in-order input with stragglers and equal timestamps keeps exact (timestamp, arrival) order', () => {
  for (const seed of [7, 8, 9]) {
    const rand = seededRandom(seed);
    const input: E[] = [];
    // in order, many equal timestamps, every ~10th event a straggler up to 40 ms old
    for (let i = 0, t = 0; i < 20000; i++) {
      if (rand() < 0.5) t++;
      input.push({ ts: rand() < 0.1 ? Math.max(0, t - Math.floor(rand() * 40)) : t, id: i });
    }
    for (const maxEvents of [65_536, 64]) {
      const buf = new ReorderBuffer<E>({ timestamp: ts, holdMs: 50, maxEvents });
      const out: E[] = [];
      for (const e of input) buf.push(e, e.ts, out);
      out.push(...buf.flush());
      const s = buf.stats();
      assert.equal(out.length, input.length);
      if (maxEvents === 65_536) {
        assert.equal(s.late, 0);
        const want = [...input].sort((a, b) => a.ts - b.ts || a.id - b.id);
        assert.deepEqual(out.map((e) => e.id), want.map((e) => e.id), `seed ${seed}`);
      } else {
        // a small cap releases early (counted); nothing is lost
        assert.ok(s.overflowReleased > 0);
        assert.equal(s.released, input.length);
      }
      assert.equal(buf.size, 0);
    }
  }
});
