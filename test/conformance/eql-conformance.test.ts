import '../helpers/linear-regex-engine.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CONFORMANCE_DIR, endgameNdjson, loadSpecs, mismatch, runSpec } from './eql-conformance-harness.js';
import { EXPECTED_FAILURES } from './eql-expected-failures.js';

const present = existsSync(CONFORMANCE_DIR);

if (!present) {
  test('EQL conformance specs', { skip: `${CONFORMANCE_DIR} is absent (../shared not checked out)` }, () => {});
} else {
  const specs = loadSpecs();
  const ndjson = endgameNdjson();
  const keys = new Set(specs.map((s) => `${s.file}:${s.name}`));

  test('expected-failure list names only existing specs', () => {
    const stale = Object.keys(EXPECTED_FAILURES).filter((k) => !keys.has(k));
    assert.deepEqual(stale, []);
  });

  test('every event-query spec is expected to pass', () => {
    const listed = specs.filter((s) => s.kind === 'event' && Object.hasOwn(EXPECTED_FAILURES, `${s.file}:${s.name}`)).map((s) => s.name);
    assert.deepEqual(listed, []);
  });

  for (const spec of specs) {
    const key = `${spec.file}:${spec.name}`;
    const reason = Object.hasOwn(EXPECTED_FAILURES, key) ? EXPECTED_FAILURES[key] : undefined;
    test(`${spec.kind} ${key}${reason === undefined ? '' : ' (expected failure)'}`, async () => {
      const run = await runSpec(spec, ndjson);
      const problem = mismatch(spec, run);
      if (reason === undefined) assert.equal(problem, null, `${spec.query.trim()}\n${problem}`);
      else assert.notEqual(problem, null, `${key} passes now: remove it from eql-expected-failures.ts (was: ${reason})`);
    });
  }
}
