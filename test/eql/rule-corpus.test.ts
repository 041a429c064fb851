import '../helpers/linear-regex-engine.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileQuery, EqlError } from '../../src/eql/index.js';
import { corpusQueries } from './query-corpus.js';

test('every EQL query of the shared detection-rules corpus compiles', (t) => {
  const queries = corpusQueries();
  if (queries.length === 0) {
    t.skip('../shared/rule-corpus is absent');
    return;
  }
  const failures: string[] = [];
  for (const q of queries) {
    try {
      compileQuery(q);
    } catch (err) {
      if (!(err instanceof EqlError)) throw err;
      failures.push(`${err.message}\n---\n${q.slice(0, 200)}`);
    }
  }
  t.diagnostic(`${queries.length - failures.length}/${queries.length} compile`);
  assert.deepEqual(failures, []);
});
