import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RuleRateLimiter } from '../../src/notify/rule-rate-limiter.js';
import { TokenBucket } from '../../src/notify/token-bucket.js';

test('token bucket: burst, then refill at the rate, never above capacity', () => {
  const b = new TokenBucket(3, 6, 0); // 6/min = one token every 10 s
  assert.deepEqual([b.take(0), b.take(0), b.take(0), b.take(0)], [true, true, true, false]);
  assert.equal(b.take(9_999), false);
  assert.equal(b.take(10_000), true);
  assert.equal(b.take(10_001), false);
  // A long quiet time refills to capacity only.
  assert.deepEqual([b.take(1e9), b.take(1e9), b.take(1e9), b.take(1e9)], [true, true, true, false]);
  assert.throws(() => new TokenBucket(0, 1, 0), RangeError);
});

test('per-rule limit: a flood of one rule notifies its burst, then one summary with the exact count', () => {
  const l = new RuleRateLimiter({ perRulePerMinute: 5, summaryAfterMs: 60_000, globalBurst: 100, globalPerMinute: 100 }, 0);
  const admitted = Array.from({ length: 100 }, (_, i) => l.admit('r1', 'Rule One', i)).filter(Boolean).length;
  assert.equal(admitted, 5);
  assert.deepEqual(l.due(30_000), []);
  assert.deepEqual(l.due(60_004), [], 'due 60 s after the first suppressed alert (t=5)');
  assert.deepEqual(l.due(60_005), [{ ruleName: 'Rule One', count: 95 }]);
  assert.deepEqual(l.due(120_000), [], 'counts reset after a summary');
  // Another rule is not affected by r1's flood.
  assert.equal(l.admit('r2', 'Rule Two', 100), true);
  assert.deepEqual(l.stats(), { admitted: 6, suppressed: 95, summaries: 1, rulesTracked: 2, rulesEvicted: 0 });
});

test('per-rule limit refills: after a minute a rule may notify again', () => {
  const l = new RuleRateLimiter({ perRulePerMinute: 2, perRuleBurst: 1 }, 0);
  assert.deepEqual([l.admit('r', 'R', 0), l.admit('r', 'R', 1000), l.admit('r', 'R', 30_000), l.admit('r', 'R', 30_001)], [true, false, true, false]);
});

test('the global limit caps a flood spread over many rules; held-back alerts are summarized per rule', () => {
  const l = new RuleRateLimiter({ perRulePerMinute: 5, globalBurst: 3, globalPerMinute: 3 }, 0);
  const got = Array.from({ length: 6 }, (_, i) => l.admit(`r${i}`, `Rule ${i}`, 0));
  assert.deepEqual(got, [true, true, true, false, false, false]);
  assert.deepEqual(l.due(0, true), [{ ruleName: 'Rule 3', count: 1 }, { ruleName: 'Rule 4', count: 1 }, { ruleName: 'Rule 5', count: 1 }]);
});

test('tracked rules are bounded: the least recently seen is evicted and its pending summary is kept', () => {
  const l = new RuleRateLimiter({ perRulePerMinute: 1, maxRules: 2, globalBurst: 100, globalPerMinute: 100 }, 0);
  l.admit('a', 'A', 0);
  l.admit('a', 'A', 1); // suppressed
  l.admit('b', 'B', 2);
  l.admit('a', 'A', 3); // suppressed; `a` is now the most recent
  l.admit('c', 'C', 4); // evicts b (no pending summary)
  l.admit('d', 'D', 5); // evicts a (2 pending)
  assert.equal(l.stats().rulesTracked, 2);
  assert.equal(l.stats().rulesEvicted, 2);
  assert.deepEqual(l.due(6), [{ ruleName: 'A', count: 2 }]);
});
