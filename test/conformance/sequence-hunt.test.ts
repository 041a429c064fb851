/**
 * The sequence features the endgame files barely cover (until, runs, missing events, optional and multi-valued
 * keys, sample), written as EQL text and run through `vigil hunt` end to end: the compiler's output contract
 * (missing, runs, keyOptional, until, maxspan) reaching the matcher intact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runHunt } from '../../src/cli/hunt.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Events as (id, ms, tag, extra fields); category `any` queries, so no category field is needed. */
function ndjson(rows: readonly (readonly [number, number, string, Record<string, unknown>?])[]): string {
  return rows.map(([id, ms, tag, extra]) => JSON.stringify({ id, '@timestamp': ms, tag, ...extra })).join('\n') + '\n';
}

async function hunt(query: string, input: string, extra: { maxSamplesPerKey?: number } = {}): Promise<{ ids: number[][]; keys: unknown[][] }> {
  let out = '';
  let err = '';
  const summary = await runHunt(
    { query, events: '-', tiebreakerField: 'id', output: 'ndjson', ...extra },
    { stdin: Readable.from([input]), stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), isTTY: false } },
  );
  assert.equal(summary.exitCode, 0, err);
  const hits = out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { join_keys: unknown[]; events: { _source?: { id: number }; missing?: boolean }[] });
  return { ids: hits.map((h) => h.events.map((e) => (e.missing ? -1 : e._source!.id))), keys: hits.map((h) => h.join_keys) };
}

const cases: readonly (readonly [string, string, Parameters<typeof ndjson>[0], number[][], unknown[][]?])[] = [
  ['until', 'sequence by k [any where tag == "A"] [any where tag == "B"] until [any where tag == "U"]',
    [[1, 1, 'A', { k: 'x' }], [2, 2, 'A', { k: 'y' }], [3, 3, 'U', { k: 'x' }], [4, 4, 'B', { k: 'x' }], [5, 5, 'B', { k: 'y' }]], [[2, 5]], [['y']]],
  ['runs', 'sequence [any where tag == "A"] with runs=2 [any where tag == "B"]',
    [[1, 1, 'A'], [2, 2, 'A'], [3, 3, 'A'], [4, 4, 'B']], [[2, 3, 4]]],
  ['middle missing', 'sequence with maxspan=1s [any where tag == "A"] ![any where tag == "M"] [any where tag == "B"]',
    [[1, 1, 'A'], [2, 2, 'M'], [3, 3, 'B'], [4, 4, 'A'], [5, 5, 'B']], [[4, -1, 5]]],
  ['trailing missing', 'sequence with maxspan=10ms [any where tag == "A"] ![any where tag == "M"]',
    [[1, 1, 'A'], [2, 5, 'M'], [3, 100, 'A']], [[3, -1]]],
  ['leading missing', 'sequence with maxspan=10ms ![any where tag == "M"] [any where tag == "A"]',
    [[1, 1, 'M'], [2, 5, 'A'], [3, 100, 'A']], [[-1, 3]]],
  ['optional key', 'sequence by ?k [any where tag == "A"] [any where tag == "B"]',
    [[1, 1, 'A'], [2, 2, 'B']], [[1, 2]], [[null]]],
  ['required key missing', 'sequence by k [any where tag == "A"] [any where tag == "B"]',
    [[1, 1, 'A'], [2, 2, 'B']], []],
  ['multi-valued key', 'sequence by tags [any where tag == "A"] [any where tag == "B"]',
    [[1, 1, 'A', { tags: ['foo', 'bar'] }], [2, 2, 'B', { tags: ['bar', 'foo'] }]], [[1, 2], [1, 2]], [['bar'], ['foo']]],
  ['per-stage keys', 'sequence by h [any where tag == "A"] by pid [any where tag == "B"] by ppid',
    [[1, 1, 'A', { h: 'x', pid: 7 }], [2, 2, 'B', { h: 'x', ppid: 8 }], [3, 3, 'B', { h: 'x', ppid: 7 }]], [[1, 3]], [['x', 7]]],
  ['maxspan', 'sequence with maxspan=5ms [any where tag == "A"] [any where tag == "B"]',
    [[1, 1, 'A'], [2, 7, 'B'], [3, 10, 'A'], [4, 15, 'B']], [[3, 4]]],
  ['sample', 'sample by k [any where tag == "A"] [any where tag == "B"]',
    [[1, 1, 'B', { k: 2 }], [2, 2, 'A', { k: 2 }], [3, 3, 'A', { k: 1 }], [4, 4, 'B', { k: 1 }]], [[3, 4], [2, 1]], [[1], [2]]],
];

for (const [name, query, rows, expected, keys] of cases) {
  test(`vigil hunt sequence feature: ${name}`, async () => {
    const got = await hunt(query, ndjson(rows));
    assert.deepEqual(got.ids, expected);
    if (keys !== undefined) assert.deepEqual(got.keys, keys);
  });
}

test('vigil hunt sample: --max-samples-per-key', async () => {
  const rows: Parameters<typeof ndjson>[0] = [[1, 1, 'A', { k: 1 }], [2, 2, 'A', { k: 1 }], [3, 3, 'B', { k: 1 }], [4, 4, 'B', { k: 1 }]];
  assert.deepEqual((await hunt('sample by k [any where tag == "A"] [any where tag == "B"]', ndjson(rows))).ids, [[1, 3]]);
  // Distinct combinations of the key, depth first; an event serves in several samples (ES max_samples_per_key).
  assert.deepEqual((await hunt('sample by k [any where tag == "A"] [any where tag == "B"]', ndjson(rows), { maxSamplesPerKey: 2 })).ids, [[1, 3], [1, 4]]);
  assert.deepEqual((await hunt('sample by k [any where tag == "A"] [any where tag == "B"]', ndjson(rows), { maxSamplesPerKey: 9 })).ids, [[1, 3], [1, 4], [2, 3], [2, 4]]);
});

test('vigil hunt (spawned CLI): a missing-event sequence over a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-seq-'));
  try {
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, ndjson([[1, 1, 'A', { k: 'x' }], [2, 2, 'M', { k: 'x' }], [3, 3, 'B', { k: 'x' }], [4, 4, 'A', { k: 'y' }], [5, 5, 'B', { k: 'y' }]]));
    const r = spawnSync(process.execPath, [join(root, 'dist', 'src', 'cli', 'main.js'), 'hunt', 'sequence by k with maxspan=1m [any where tag == "A"] ![any where tag == "M"] [any where tag == "B"]', '--events', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { join_keys: unknown[]; events: unknown[] });
    assert.equal(hits.length, 1);
    assert.deepEqual(hits[0]!.join_keys, ['y']);
    assert.deepEqual(hits[0]!.events[1], { missing: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
