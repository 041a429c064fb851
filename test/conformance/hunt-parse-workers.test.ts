import '../helpers/linear-regex-engine.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileQuery, EqlError } from '../../src/eql/index.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { hunt, randomEvents, randomQuery } from './hunt-differential-corpus.js';

test('differential: parsing on worker threads gives the same output (order, tiebreakers, malformed line numbers)', async () => {
  const r = seededRandom(0xb0a7);
  let queries = 0;
  const events = randomEvents(r, 600);
  while (queries < 24) {
    const query = randomQuery(r);
    try {
      compileQuery(query);
    } catch (err) {
      if (err instanceof EqlError) continue;
      throw err;
    }
    queries++;
    const options = { query, events: '-', tiebreakerField: 'serial' };
    const inline = await hunt({ ...options, parseWorkers: 0 }, events, false, 700);
    const pooled = await hunt({ ...options, parseWorkers: 2 }, events, false, 700);
    assert.equal(pooled.exitCode, inline.exitCode, query);
    assert.equal(pooled.stderr, inline.stderr, query);
    assert.equal(pooled.stdout, inline.stdout, query);
    // The prefilter and the workers together (runs read by the workers and, when they are busy, by this thread).
    for (const parseWorkers of [1, 2]) {
      const both = await hunt({ ...options, parseWorkers }, events, true, 700);
      assert.equal(both.exitCode, inline.exitCode, query);
      assert.equal(both.stderr, inline.stderr, query);
      assert.equal(both.stdout, inline.stdout, query);
    }
  }
  assert.match((await hunt({ query: 'any where true', events: '-', parseWorkers: 2 }, events, false, 700)).stderr, /line \d+: skipped malformed input/);
});

test('parse workers compile a regex only the linear engine runs, as the main thread does (each worker enables it)', async () => {
  const r = seededRandom(0x5e9e);
  const events = randomEvents(r, 300);
  const query = 'any where process.name regex ".*a.*"';
  const inline = await hunt({ query, events: '-', parseWorkers: 0 }, events, false, 700);
  const pooled = await hunt({ query, events: '-', parseWorkers: 2 }, events, false, 700);
  assert.equal(inline.exitCode, 0, inline.stderr);
  assert.equal(pooled.exitCode, 0, pooled.stderr);
  assert.equal(pooled.stdout, inline.stdout);
  assert.ok(inline.stdout.length > 0, 'the query matches some events');
});
