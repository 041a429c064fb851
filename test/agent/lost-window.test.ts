import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LostWindow } from '../../src/agent/lost-window.js';

test('lost window: an alert matched between two samples still counts a loss reported just before it', () => {
  let lost = 0;
  const start = Date.now() - 10_000;
  const since = Date.now() - 5_000;
  const live = new LostWindow(16, 250, () => lost);
  const sampled = new LostWindow(16, 250);
  live.record(start, 0);
  sampled.record(start, 0);
  // A restart gap closes: the collector's counter moves, and a match comes before the agent's next tick.
  lost = 2761;
  assert.equal(sampled.lostSince(since), 0, 'from the samples alone the gap is not seen yet');
  assert.equal(live.lostSince(since), 2761, 'read at match time, the gap is counted');
  // The live sample is a sample like the others: the next window that starts after it is clean.
  assert.equal(live.lostSince(Date.now() + 1), 0);
});

test('lost window: a source with nothing to say (no collector yet) leaves the samples as they are', () => {
  const w = new LostWindow(16, 250, () => undefined);
  assert.equal(w.lostSince(0), 0);
  w.record(Date.now() - 1000, 3);
  assert.equal(w.lostSince(Date.now() - 2000), 3);
});
