/**
 * Elasticsearch EQL behaviours beyond the shared spec files (issue 15), written from the ES EQL reference:
 * samples without a timestamp, several samples per key, `size: 0`, optional join keys (per stage, across
 * differently named fields, dates in different formats), `with runs=N` on a missing-event stage, and the order
 * of sequences a multi-valued key completes on the same events. Batch mode runs through `runHunt` (the CLI's
 * code path); live mode through the agent's DetectionEngine, one event at a time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { runHunt, type HuntOptions } from '../../src/cli/hunt.js';
import { DetectionEngine } from '../../src/agent/detection-engine.js';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { compileQuery } from '../../src/eql/index.js';
import type { LoadedRule } from '../../src/rules/loaded-rule.js';
import { RuleSet } from '../../src/rules/rule-set.js';

type Row = Record<string, unknown>;

interface HuntRun {
  readonly code: number;
  /** Per hit: the `id` of each event, -1 for a missing-event placeholder. */
  readonly ids: number[][];
  readonly keys: unknown[][];
  readonly out: string;
  readonly err: string;
}

async function hunt(query: string, rows: readonly Row[], options: Partial<HuntOptions> = {}): Promise<HuntRun> {
  let out = '';
  let err = '';
  const input = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const summary = await runHunt(
    { query, events: '-', categoryField: 'kind', tiebreakerField: 'id', output: 'ndjson', ...options },
    { stdin: Readable.from([input]), stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), isTTY: false } },
  );
  const hits = options.output === 'table' ? [] : out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as {
    join_keys?: unknown[]; events?: { _source?: { id: number }; missing?: boolean }[]; _source?: { id: number };
  });
  return {
    code: summary.exitCode,
    ids: hits.map((h) => (h.events === undefined ? [h._source!.id] : h.events.map((e) => (e.missing === true ? -1 : e._source!.id)))),
    keys: hits.map((h) => h.join_keys ?? []),
    out,
    err,
  };
}

/** The agent's live path: one DetectionEngine over one rule, events pushed in order, then flushed. */
function live(query: string, rows: readonly Row[]): { ids: number[][]; keys: unknown[][] } {
  const rule: LoadedRule = {
    meta: { id: 'fidelity', name: 'fidelity', severity: 'low', riskScore: 1, tags: [], threat: [], file: 'inline.eql' },
    query: compileQuery(query, { categoryField: 'kind' }),
    source: { file: 'inline.eql', format: 'eql', queryLine: 1, queryColumn: 1 },
  };
  const engine = new DetectionEngine(new RuleSet([rule], [], [], { categoryField: 'kind' }), {
    timestamp: (e) => (e as { '@timestamp': number })['@timestamp'],
    maxSequencesPerRule: 1000,
    defaultLifetimeMs: 60_000,
  });
  const matches = [];
  for (const r of rows) matches.push(...engine.process(r as EcsEvent));
  matches.push(...engine.flush());
  return {
    ids: matches.map((m) => m.events.map((e) => (e === null ? -1 : (e as { id: number }).id))),
    keys: matches.map((m) => [...m.joinKeys]),
  };
}

// ---- 1. sample needs no timestamp ------------------------------------------------------------------------

const UNTIMED: Row[] = [
  { id: 1, kind: 'alert', host: 'doom', os: 'win10' },
  { id: 2, kind: 'failure', host: 'doom', os: 'win10' },
  { id: 3, kind: 'alert', host: 'quake', os: 'fedora' },
  { id: 4, kind: 'failure', host: 'quake', os: 'fedora', '@timestamp': 1000 },
];

test('sample: events without a timestamp are sampled (samples are not ordered by time)', async () => {
  const r = await hunt('sample by host [alert where true] [failure where true]', UNTIMED);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.ids, [[1, 2], [3, 4]]);
  assert.deepEqual(r.keys, [['doom'], ['quake']]);
  assert.doesNotMatch(r.err, /without a readable/, 'nothing was skipped');
});

test('sample: without a timestamp anywhere, with --size and --output table', async () => {
  const rows = UNTIMED.map(({ '@timestamp': _t, ...rest }) => rest);
  const r = await hunt('sample by os [alert where true] [failure where true]', rows, { size: 1 });
  assert.deepEqual(r.ids, [[3, 4]], 'keys ascending: fedora before win10');
  const t = await hunt('sample by os [alert where true] [failure where true]', rows, { output: 'table' });
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /\(2 samples\)\n$/);
});

test('sequence and event queries still need the time: events without one are skipped and counted', async () => {
  const r = await hunt('sequence by host [alert where true] [failure where true]', UNTIMED);
  assert.deepEqual(r.ids, []);
  assert.match(r.err, /skipped 3 event\(s\) without a readable @timestamp/);
  const e = await hunt('any where true', UNTIMED);
  assert.deepEqual(e.ids, [[4]]);
});

// ---- 2. several samples per key -------------------------------------------------------------------------

const MULTI: Row[] = [
  { id: 1, kind: 'alert_1', os: 'win10', host: 'doom' },
  { id: 2, kind: 'alert_1', os: 'win10', host: 'quake' },
  { id: 3, kind: 'alert_2', os: 'win10', host: 'doom' },
  { id: 4, kind: 'alert_1', os: 'win10', host: 'farcry' },
  { id: 6, kind: 'alert_2', os: 'redhat' },
  { id: 7, kind: 'alert_1', os: 'redhat' },
];

test('max samples per key: distinct combinations, one event serving in several samples of its key', async () => {
  const q = 'sample by os [alert_1 where true] [alert_2 where true]';
  const one = await hunt(q, MULTI);
  assert.deepEqual(one.ids, [[7, 6], [1, 3]]);
  assert.deepEqual(one.keys, [['redhat'], ['win10']]);
  const three = await hunt(q, MULTI, { maxSamplesPerKey: 3 });
  assert.deepEqual(three.ids, [[7, 6], [1, 3], [2, 3], [4, 3]]);
  assert.deepEqual(three.keys, [['redhat'], ['win10'], ['win10'], ['win10']]);
  assert.deepEqual((await hunt(q, MULTI, { maxSamplesPerKey: 2 })).ids, [[7, 6], [1, 3], [2, 3]]);
  assert.deepEqual((await hunt(q, MULTI, { maxSamplesPerKey: 50 })).ids, three.ids, 'no more combinations than exist');
  // Filters written the other way round, keys per filter instead of per query: the same combinations.
  const swapped = await hunt('sample [alert_2 where true] by os [alert_1 where true] by os', MULTI, { maxSamplesPerKey: 3 });
  assert.deepEqual(swapped.ids, [[6, 7], [3, 1], [3, 2], [3, 4]]);
  // A condition narrows the candidates of one filter only (redhat's alert_1 has no host: null is not true).
  const narrowed = await hunt('sample by os [alert_1 where host != "quake"] [alert_2 where true]', MULTI, { maxSamplesPerKey: 2 });
  assert.deepEqual(narrowed.ids, [[1, 3], [4, 3]]);
});

test('max samples per key: one event never fills two filters of one sample', async () => {
  const rows: Row[] = [
    { id: 1, kind: 'x', k: 'a', both: true },
    { id: 2, kind: 'x', k: 'a', both: true },
    { id: 3, kind: 'x', k: 'b', both: true },
  ];
  const r = await hunt('sample by k [x where both == true] [x where both == true]', rows, { maxSamplesPerKey: 5 });
  assert.deepEqual(r.ids, [[1, 2], [2, 1]], 'key b has one event: no sample');
});

test('max samples per key: a key that cannot be completed costs no search (dead branches are never walked)', async () => {
  // Six filters; the first five match 200 events each, the last only an event the first filter already uses.
  const rows: Row[] = [];
  for (let i = 1; i <= 200; i++) rows.push({ id: i, kind: 'x', k: 'same', all: true });
  rows.push({ id: 999, kind: 'x', k: 'same', all: true, last: true });
  const stages = '[x where all == true] '.repeat(5) + '[x where last == true]';
  const started = process.hrtime.bigint();
  const r = await hunt(`sample by k ${stages}`, rows, { maxSamplesPerKey: 3 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.ids, [[1, 2, 3, 4, 5, 999], [1, 2, 3, 4, 6, 999], [1, 2, 3, 4, 7, 999]]);
  const impossible = await hunt('sample by k [x where last == true] [x where last == true] ' + '[x where all == true] '.repeat(4), rows, { maxSamplesPerKey: 3 });
  assert.deepEqual(impossible.ids, [], 'two filters need the single last event: no sample');
  assert.ok(ms < 10_000, `took ${ms} ms`);
});

test('--max-samples-per-key 0 is refused (Elasticsearch requires at least 1)', async () => {
  const r = await hunt('sample by os [alert_1 where true] [alert_2 where true]', MULTI, { maxSamplesPerKey: 0 });
  assert.equal(r.code, 2);
  assert.match(r.err, /--max-samples-per-key must be a positive integer/);
});

// ---- 3. --size 0 ----------------------------------------------------------------------------------------

test('--size 0 returns no hits for every query kind (Elasticsearch size: 0), not "no cap"', async () => {
  const timed = MULTI.map((r) => ({ ...r, '@timestamp': r['id'] }));
  for (const q of ['any where true', 'any where true | tail 2', 'sequence by os [alert_1 where true] [alert_2 where true]', 'sample by os [alert_1 where true] [alert_2 where true]']) {
    const uncapped = await hunt(q, timed);
    assert.ok(uncapped.ids.length > 0, `${q} has hits without --size`);
    const r = await hunt(q, timed, { size: 0 });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.ids, [], q);
    assert.equal(r.out, '', q);
  }
  const t = await hunt('any where true', timed, { size: 0, output: 'table' });
  assert.match(t.out, /\(0 events\)\n$/);
});

// ---- 4. optional join keys ------------------------------------------------------------------------------

const OPTIONAL: Row[] = [
  { id: 11, '@timestamp': 1, kind: 'alert', host: 'doom' },
  { id: 17, '@timestamp': 2, kind: 'failure', host: 'doom' },
  { id: 18, '@timestamp': 3, kind: 'success', host: 'doom' },
  { id: 28, '@timestamp': 4, kind: 'success', host: 'doom', tag: 'late' },
  { id: 29, '@timestamp': 5, kind: 'failure', host: 'doom', z: 'set' },
];

test('optional keys per stage join as null together with the query-level keys (samples)', async () => {
  const r = await hunt('sample by ?x [success where id == 18] by ?y [failure where id == 17] by ?z', OPTIONAL);
  assert.deepEqual(r.ids, [[18, 17]]);
  assert.deepEqual(r.keys, [[null, null]]);
  const withHost = await hunt('sample by host [success where id == 18] by ?z [success where ?x == ?y and id == 28] by ?y [alert where id == 11] by ?x', OPTIONAL);
  assert.deepEqual(withHost.ids, [[18, 28, 11]]);
  assert.deepEqual(withHost.keys, [['doom', null]]);
  // A present value does not join an absent one.
  assert.deepEqual((await hunt('sample [success where id == 18] by ?z [failure where id == 29] by ?z', OPTIONAL)).ids, []);
});

test('optional keys per stage join as null together with the query-level keys (sequences, batch and live)', async () => {
  const q = 'sequence by host [alert where true] by ?y [failure where true] by ?z [success where true] by ?w';
  const r = await hunt(q, OPTIONAL);
  assert.deepEqual(r.ids, [[11, 17, 18]]);
  assert.deepEqual(r.keys, [['doom', null]]);
  assert.deepEqual(live(q, OPTIONAL), { ids: [[11, 17, 18]], keys: [['doom', null]] });
  const all = 'sequence by ?x [alert where true] by ?y [failure where true] by ?z';
  assert.deepEqual((await hunt(all, OPTIONAL)).keys, [[null, null]]);
  assert.deepEqual(live(all, OPTIONAL).keys, [[null, null]]);
});

test('`?x == ?y` holds when both optional fields are absent (each is the literal null, as ES substitutes it)', async () => {
  const rows: Row[] = [
    { id: 1, '@timestamp': 1, kind: 'e' },
    { id: 2, '@timestamp': 2, kind: 'e', x: 'a' },
    { id: 3, '@timestamp': 3, kind: 'e', x: 'a', y: 'a' },
    { id: 4, '@timestamp': 4, kind: 'e', x: 'a', y: 'b' },
  ];
  assert.deepEqual((await hunt('e where ?x == ?y', rows)).ids, [[1], [3]]);
  assert.deepEqual((await hunt('e where ?x != ?y', rows)).ids, [[2], [4]]);
  assert.deepEqual((await hunt('e where x == y', rows)).ids, [[3]], 'required fields keep null semantics');
});

const DATES: Row[] = [
  { id: 1, '@timestamp': 1, kind: 'success', os: 'win10', day: '17-12-2022' },
  { id: 2, '@timestamp': 2, kind: 'failure', os: 'redhat', date: '2022-12-17' },
  { id: 3, '@timestamp': 3, kind: 'failure', os: 'redhat', date: '2022-12-18' },
  { id: 4, '@timestamp': 4, kind: 'failure', os: 'redhat', date: '2022-12-17T00:00:00Z' },
];
const DEC_17 = Date.UTC(2022, 11, 17);

test('an optional key in differently named fields with different date formats joins on the normalized date', async () => {
  const sample = await hunt('sample [success where true] by ?day [failure where true] by ?date', DATES, { maxSamplesPerKey: 5 });
  assert.deepEqual(sample.ids, [[1, 2], [1, 4]]);
  assert.deepEqual(sample.keys, [[DEC_17], [DEC_17]], 'the key is reported as epoch milliseconds, as ES reports a date key');
  const seq = 'sequence [success where true] by ?day [failure where true] by ?date';
  assert.deepEqual((await hunt(seq, DATES)).ids, [[1, 2]]);
  assert.deepEqual(live(seq, DATES), { ids: [[1, 2]], keys: [[DEC_17]] });
  // Not dates: a day out of range, text around the date.
  const odd: Row[] = [
    { id: 1, '@timestamp': 1, kind: 'success', day: '31-02-2022' },
    { id: 2, '@timestamp': 2, kind: 'failure', date: '2022-03-03' },
    { id: 3, '@timestamp': 3, kind: 'success', day: 'x17-12-2022' },
    { id: 4, '@timestamp': 4, kind: 'failure', date: '17-12-2022' },
  ];
  assert.deepEqual((await hunt('sample [success where true] by ?day [failure where true] by ?date', odd)).ids, []);
});

// ---- 5. with runs=N on a missing-event stage ------------------------------------------------------------

test('`![...] by k with runs=2`: parsed and matched, each run a placeholder (batch and live)', async () => {
  const rows: Row[] = [
    { id: 1, '@timestamp': 1, kind: 'start', k: 'a' },
    { id: 2, '@timestamp': 2, kind: 'start', k: 'b' },
    { id: 3, '@timestamp': 3, kind: 'gap', k: 'b' },
    { id: 4, '@timestamp': 4, kind: 'end', k: 'a' },
    { id: 5, '@timestamp': 5, kind: 'end', k: 'b' },
  ];
  const q = 'sequence with maxspan=1m [start where true] by k ![gap where true] by k with runs=2 [end where true] by k';
  const r = await hunt(q, rows);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(r.ids, [[1, -1, -1, 4]], 'key b saw a gap event: rejected');
  assert.deepEqual(r.keys, [['a']]);
  assert.ok(r.out.includes('{"missing":true},{"missing":true}'));
  assert.deepEqual(live(q, rows), { ids: [[1, -1, -1, 4]], keys: [['a']] });
  // Leading and trailing missing stages repeat the same way (a gap before b's start rejects b).
  const early = [{ id: 0, '@timestamp': 0, kind: 'gap', k: 'b' }, ...rows.filter((r) => r['kind'] !== 'gap')];
  const lead = await hunt('sequence by k with maxspan=1m ![gap where true] with runs=3 [start where true] [end where true]', early);
  assert.deepEqual(lead.ids, [[-1, -1, -1, 1, 4]]);
  const trail = await hunt('sequence by k with maxspan=1m [start where true] [end where true] ![gap where true] with runs=2', rows);
  assert.deepEqual(trail.ids, [[1, 4, -1, -1], [2, 5, -1, -1]]);
});

// ---- 6. order of sequences completing on the same events under several keys -----------------------------

test('sequences a multi-valued key completes on the same events come out in ascending join key (batch and live)', async () => {
  const rows: Row[] = [
    { id: 1, '@timestamp': 1, kind: 'a', tags: ['zeta', 'alpha', 'mid'] },
    { id: 2, '@timestamp': 2, kind: 'b', tags: ['mid', 'zeta', 'alpha'] },
    { id: 3, '@timestamp': 3, kind: 'a', users: [30, 4, 'x', 200] },
    { id: 4, '@timestamp': 4, kind: 'b', users: ['x', 200, 30, 4] },
  ];
  const q = 'sequence by tags [a where true] [b where true]';
  assert.deepEqual((await hunt(q, rows)).keys, [['alpha'], ['mid'], ['zeta']]);
  assert.deepEqual(live(q, rows).keys, [['alpha'], ['mid'], ['zeta']]);
  const mixed = 'sequence by users [a where true] [b where true]';
  assert.deepEqual((await hunt(mixed, rows)).keys, [[4], [30], [200], ['x']], 'numbers numerically, before strings');
  assert.deepEqual(live(mixed, rows).keys, [[4], [30], [200], ['x']]);
});

// ---- table output over many hits ------------------------------------------------------------------------

test('--output table over 300k hits completes (column widths without spreading every row into Math.max)', async () => {
  const n = 300_000;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`{"id":${i},"@timestamp":${i},"kind":"e","name":"p${i % 97}"}`);
  let out = '';
  let err = '';
  const summary = await runHunt(
    { query: 'e where name != "none"', events: '-', categoryField: 'kind', output: 'table' },
    { stdin: Readable.from([lines.join('\n')]), stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), isTTY: false } },
  );
  assert.equal(summary.exitCode, 0, err);
  assert.equal(summary.hits, n);
  assert.ok(out.endsWith(`(${n} events)\n`));
  assert.equal(out.split('\n').length, n + 4, 'header, rule, one line per hit, count, final newline');
});
