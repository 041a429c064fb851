/**
 * Every `sequence` / `sample` spec of the endgame conformance files, twice: through `vigil hunt`'s code path
 * (runHunt in-process, NDJSON in, NDJSON out, category field `event_type`, tiebreaker `serial_event_id`,
 * size default 50) and directly through compileQuery + the batch matcher. Event-query specs belong to the EQL
 * harness (test/conformance/eql-*.test.ts). Expected failures are listed with a reason in
 * sequence-expected-failures.ts; a listed spec that passes fails the test, so the list stays honest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { runHunt } from '../../src/cli/hunt.js';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { compileQuery } from '../../src/eql/index.js';
import type { SequenceHit } from '../../src/sequence/batch.js';
import { runSampleBatch, runSequenceBatch } from '../../src/sequence/batch.js';
import { conformancePresent, loadEndgameEvents, loadSpecs, type ConformanceSpec } from './sequence-endgame-data.js';
import { SEQUENCE_EXPECTED_FAILURES } from './sequence-expected-failures.js';

const FILES = ['test_queries.toml', 'additional_test_queries.toml', 'test_queries_date.toml'];
const isSequenceQuery = (q: string): boolean => /^\s*(sequence|sample)\b/i.test(q);
const timestamp = (e: EcsEvent): number => e['@timestamp'] as number;

/** Runs one spec; returns the flattened ids and join keys. */
function runSpec(spec: ConformanceSpec, events: readonly EcsEvent[]): { ids: number[]; keys: string[] } {
  const q = compileQuery(spec.query, { categoryField: 'event_type' });
  let hits: SequenceHit[];
  if (q.kind === 'sequence') hits = runSequenceBatch(q, events, { timestamp });
  else if (q.kind === 'sample') hits = runSampleBatch(q, events, { timestamp, maxSamplesPerKey: spec.maxSamplesPerKey ?? 1 });
  else throw new Error(`not a sequence or sample query: ${q.kind}`);
  for (const p of q.pipes) hits = p.kind === 'head' ? hits.slice(0, p.count) : hits.slice(Math.max(0, hits.length - p.count));
  const size = spec.size ?? 50;
  hits = hits.slice(0, size);
  return {
    ids: hits.flatMap((h) => h.events.map((e) => (e === null ? -1 : (e['serial_event_id'] as number)))),
    keys: hits.flatMap((h) => h.joinKeys.map((k) => String(k))),
  };
}

/** The same spec through `vigil hunt` (in-process, captured output). */
async function huntSpec(spec: ConformanceSpec, ndjson: string): Promise<{ ids: number[]; keys: string[] }> {
  let out = '';
  let err = '';
  const summary = await runHunt(
    {
      query: spec.query,
      events: '-',
      categoryField: 'event_type',
      tiebreakerField: 'serial_event_id',
      size: spec.size ?? 50,
      ...(spec.maxSamplesPerKey === null ? {} : { maxSamplesPerKey: spec.maxSamplesPerKey }),
      output: 'ndjson',
    },
    { stdin: Readable.from([ndjson]), stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), isTTY: false } },
  );
  if (summary.exitCode !== 0) throw new Error(`hunt exit ${summary.exitCode}: ${err}`);
  const ids: number[] = [];
  const keys: string[] = [];
  for (const line of out.split('\n')) {
    if (line === '') continue;
    // ES response shape: {join_keys, events: [{_source} | {missing: true}]}.
    const hit = JSON.parse(line) as { join_keys?: unknown[]; events?: { _source?: { serial_event_id?: number }; missing?: boolean }[] };
    for (const e of hit.events ?? []) ids.push(e.missing === true ? -1 : (e._source?.serial_event_id ?? Number.NaN));
    for (const k of hit.join_keys ?? []) keys.push(String(k));
  }
  return { ids, keys };
}

function verdict(spec: ConformanceSpec, got: { ids: number[]; keys: string[] }): { ok: boolean; detail: string } {
  const idsOk = spec.expected.some((exp) => exp.length === got.ids.length && exp.every((v, i) => v === got.ids[i]));
  const keysOk = spec.joinKeys === null || (spec.joinKeys.length === got.keys.length && spec.joinKeys.every((k, i) => k === got.keys[i]));
  return { ok: idsOk && keysOk, detail: `ids ${JSON.stringify(got.ids)} keys ${JSON.stringify(got.keys)}` };
}

function passes(spec: ConformanceSpec, events: readonly EcsEvent[]): { ok: boolean; detail: string } {
  try {
    const got = runSpec(spec, events);
    const idsOk = spec.expected.some((exp) => exp.length === got.ids.length && exp.every((v, i) => v === got.ids[i]));
    const keysOk = spec.joinKeys === null || (spec.joinKeys.length === got.keys.length && spec.joinKeys.every((k, i) => k === got.keys[i]));
    return { ok: idsOk && keysOk, detail: `ids ${JSON.stringify(got.ids)} keys ${JSON.stringify(got.keys)}` };
  } catch (err) {
    return { ok: false, detail: `threw ${(err as Error).message.split('\n')[0]}` };
  }
}

const skip = conformancePresent ? false : '../shared/eql-conformance not found';
const specs = conformancePresent ? loadSpecs(FILES).filter((s) => isSequenceQuery(s.query)) : [];
const events = conformancePresent ? loadEndgameEvents() : [];
const ndjson = events.map((e) => JSON.stringify(e)).join('\n') + '\n';

test('endgame sequence specs: found', { skip }, () => {
  assert.ok(specs.length >= 40, `only ${specs.length} sequence/sample specs`);
});

for (const spec of specs) {
  const reason = SEQUENCE_EXPECTED_FAILURES[spec.name];
  test(`endgame ${spec.file} ${spec.name}`, { skip }, async () => {
    let hunted: { ok: boolean; detail: string };
    try {
      hunted = verdict(spec, await huntSpec(spec, ndjson));
    } catch (err) {
      hunted = { ok: false, detail: `hunt threw ${(err as Error).message.split('\n')[0]}` };
    }
    const direct = passes(spec, events);
    const ok = hunted.ok && direct.ok;
    const detail = `hunt: ${hunted.detail}; direct: ${direct.detail}`;
    if (reason !== undefined) {
      assert.ok(!ok, `listed as an expected failure (${reason}) but passes: take it off the list`);
      return;
    }
    assert.ok(ok, `expected ${JSON.stringify(spec.expected)}${spec.joinKeys ? ` keys ${JSON.stringify(spec.joinKeys)}` : ''}, got ${detail}`);
  });
}

test('expected-failure list names only real sequence specs', { skip }, () => {
  const names = new Set(specs.map((s) => s.name));
  for (const name of Object.keys(SEQUENCE_EXPECTED_FAILURES)) assert.ok(names.has(name), `${name} is not a sequence spec`);
});
