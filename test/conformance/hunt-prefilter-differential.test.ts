import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { compileQuery, EqlError } from '../../src/eql/index.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { CONFORMANCE_DIR, endgameNdjson, loadSpecs } from './eql-conformance-harness.js';
import { randomEvents, randomQuery, same } from './hunt-differential-corpus.js';

/**
 * The prefilter never changes a result: every query runs through `runHunt` with it on and off, and the
 * output (hits, order, stderr, exit code) must be identical.
 */
if (existsSync(CONFORMANCE_DIR)) {
  test('differential: every conformance spec gives the same output with the prefilter on and off', async () => {
    const ndjson = endgameNdjson();
    let skipped = 0;
    const specs = loadSpecs();
    for (const spec of specs) {
      skipped += await same({ query: spec.query, events: '-', categoryField: 'event_type', tiebreakerField: 'serial_event_id', size: spec.size }, ndjson);
    }
    assert.ok(specs.length >= 198, `${specs.length} specs`);
    assert.ok(skipped > 0, 'the prefilter skipped no line at all: the test would prove nothing');
  });
} else {
  test('differential: conformance specs', { skip: `${CONFORMANCE_DIR} is absent` }, () => {});
}

test('differential: fuzzed queries over generated events give the same output with the prefilter on and off', async () => {
  const r = seededRandom(0x5eed);
  let queries = 0;
  let skipped = 0;
  for (let corpus = 0; corpus < 3; corpus++) {
    const events = randomEvents(r, 400);
    // About 100 valid queries per corpus (the generator writes some ill-typed ones, not counted).
    for (let q = 0, valid = 0; valid < 100 && q < 400; q++) {
      const query = randomQuery(r);
      try {
        compileQuery(query);
      } catch (err) {
        if (err instanceof EqlError) continue; // the generator writes some ill-typed queries: not this test's concern
        throw err;
      }
      queries++;
      valid++;
      skipped += await same({ query, events: '-', tiebreakerField: 'serial', ...(r() < 0.2 ? { size: 3 } : {}) }, events);
    }
  }
  assert.ok(queries >= 300, `only ${queries} valid queries`);
  assert.ok(skipped > 0, 'the prefilter skipped no line at all: the test would prove nothing');
});

