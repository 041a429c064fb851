import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupKey } from '../../src/alerts/dedup-key.js';
import { parseSince } from '../../src/alerts/parse-since.js';
import { severityNumber } from '../../src/alerts/severity.js';
import { readerDatabasePath, SYSTEM_DATABASE_PATH, userDatabasePath } from '../../src/cli/default-paths.js';
import { sampleMatch, SEED_RULE } from './sample-match.js';

test('dedup key: same rule and event identities give the same key; any difference gives another', () => {
  const m = sampleMatch(1);
  const k = dedupKey(m);
  assert.match(k, /^[0-9a-f]{64}$/);
  const reordered = { ...m, events: m.events.map((e) => (e === null ? e : Object.fromEntries(Object.entries(e).reverse()))) };
  const rows: Array<[string, Parameters<typeof dedupKey>[0], boolean]> = [
    ['same match again', sampleMatch(1), true],
    ['keys in another order', reordered, true],
    ['other rule', { ...m, rule: { ...SEED_RULE, id: 'x' } }, false],
    ['other event', sampleMatch(2), false],
    ['events swapped', { ...m, events: [m.events[1]!, m.events[0]!] }, false],
    ['placeholder instead of an event', { ...m, events: [m.events[0]!, null] }, false],
    ['one event fewer', { ...m, events: [m.events[0]!] }, false],
  ];
  for (const [name, other, same] of rows) assert.equal(dedupKey(other) === k, same, name);
  // Events without any identity field are identified by their canonical JSON.
  const bare = (o: Record<string, unknown>) => ({ ...m, events: [o] as never });
  assert.equal(dedupKey(bare({ a: 1, b: { c: 2 } })), dedupKey(bare({ b: { c: 2 }, a: 1 })));
  assert.notEqual(dedupKey(bare({ a: 1 })), dedupKey(bare({ a: 2 })));
});

test('parseSince: durations and ISO dates; errors name the value', () => {
  const now = Date.UTC(2026, 10, 28, 12);
  const rows: Array<[string, number]> = [
    ['90s', now - 90_000], ['15m', now - 900_000], ['2h', now - 7_200_000], ['7d', now - 7 * 86_400_000], ['1w', now - 7 * 86_400_000],
    ['2026-11-28', Date.UTC(2026, 10, 28)], ['2026-11-28T08:00:00Z', Date.UTC(2026, 10, 28, 8)],
  ];
  for (const [v, ms] of rows) assert.equal(parseSince(v, now), ms, v);
  for (const bad of ['yesterday', '5', '-3d', '2026-13-45', '']) assert.throws(() => parseSince(bad, now), /--since: cannot read/, bad);
});

test('severity numbers follow Elastic\'s bands; unknown is medium', () => {
  assert.deepEqual(['low', 'medium', 'HIGH', 'critical', 'weird'].map(severityNumber), [21, 47, 73, 99, 47]);
});

test('default database paths: XDG_STATE_HOME, else ~/.local/state; readers fall back to the service database', () => {
  assert.equal(userDatabasePath({ XDG_STATE_HOME: '/x/state' }, '/home/u'), '/x/state/vigil/alerts.db');
  assert.equal(userDatabasePath({}, '/home/u'), '/home/u/.local/state/vigil/alerts.db');
  assert.equal(userDatabasePath({ XDG_STATE_HOME: 'relative' }, '/home/u'), '/home/u/.local/state/vigil/alerts.db');
  const user = '/home/u/.local/state/vigil/alerts.db';
  assert.equal(readerDatabasePath({}, '/home/u', (p) => p === user || p === SYSTEM_DATABASE_PATH), user);
  assert.equal(readerDatabasePath({}, '/home/u', (p) => p === SYSTEM_DATABASE_PATH), SYSTEM_DATABASE_PATH);
  assert.equal(readerDatabasePath({}, '/home/u', () => false), user);
});
