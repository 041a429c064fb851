import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EqlError, parseQuery, renderQuery, type QueryNode } from '../../src/eql/index.js';
import { corpusQueries, specQueries } from './query-corpus.js';

/** The tree without source spans, for comparing a query with its rendering. */
function shape(q: QueryNode): unknown {
  return JSON.parse(JSON.stringify(q, (k, v: unknown) => (k === 'start' || k === 'end' ? undefined : v)));
}

function roundTrip(text: string): void {
  const tree = parseQuery(text);
  const rendered = renderQuery(tree);
  assert.deepEqual(shape(parseQuery(rendered)), shape(tree), `rendered:\n${rendered}`);
  assert.equal(renderQuery(parseQuery(rendered)), rendered, 'rendering is a fixed point');
}

const handWritten = [
  'process where a == 1 and (b == 2 or c == 3) and not d == 4',
  'process where (a or b) and c',
  'process where not (a and b)',
  'process where 1 - (2 - 3) == -4 and (1 + 2) * 3 == 9 and -(a + 1) == 2 and 4.0 / 2 == 2.0',
  'process where a : ("x*", "y") and b like~ "z" and c regex """\\d+""" and d not in~ ("q")',
  'process where `weird name`.`a``b` == "\\"quoted\\"\\n" and ?opt.field == null and args[0] == "x"',
  'process where startsWith~(x, "A") and cidrMatch(ip, "10.0.0.0/8") | head 3 | tail 1',
  '"file" where true',
  'any where event.sequence == 1',
  'sequence by a, b with maxspan=1.5h [process where true] by c with runs=2 ![file where true] by d [network where x in (1, 2)] by e until [process where false] by f',
  'sample by host.id [process where true] [network where true]',
  'process where (a == 1) == true',
  'process where """C:\\Windows\\"""  == b',
];
for (const q of handWritten) test(`round trip: ${q}`, () => roundTrip(q));

test('round trip: every conformance spec query and every parseable rule-corpus query', (t) => {
  const queries = [...specQueries(), ...corpusQueries()];
  if (queries.length === 0) {
    t.skip('../shared is absent');
    return;
  }
  let parsed = 0;
  for (const q of queries) {
    try {
      parseQuery(q);
    } catch (err) {
      if (err instanceof EqlError) continue;
      throw err;
    }
    parsed++;
    roundTrip(q);
  }
  assert.ok(parsed > 300, `only ${parsed} queries parsed`);
});
