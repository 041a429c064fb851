import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTiebreakers, compileTimestampReader, parseTimestamp, sortTimedEvents, type TimedEvent } from '../../src/ecs/event-order.js';

const rows: Array<[string, unknown, number | null]> = [
  ['epoch millis number', 1714557600250, 1714557600250],
  ['fractional millis truncated', 1714557600250.9, 1714557600250],
  ['numeric string', '1714557600250', 1714557600250],
  ['ISO Z', '2024-05-01T10:00:00Z', 1714557600000],
  ['ISO millis', '2024-05-01T10:00:00.250Z', 1714557600250],
  ['ISO nanos', '2024-05-01T10:00:00.250123456Z', 1714557600250],
  ['ISO offset', '2024-05-01T12:00:00+02:00', 1714557600000],
  ['ISO compact offset', '2024-05-01T12:00:00+0200', 1714557600000],
  ['ISO no zone is UTC', '2024-05-01T10:00:00', 1714557600000],
  ['date only', '2024-05-01', 1714521600000],
  ['single-element array', ['2024-05-01T10:00:00Z'], 1714557600000],
  // negative rows
  ['garbage', 'yesterday', null],
  ['bare year-ish', '1', 1],
  ['empty', '', null],
  ['missing', undefined, null],
  ['null', null, null],
  ['boolean', true, null],
  ['NaN', Number.NaN, null],
  ['two values', ['2024-05-01', '2024-05-02'], null],
];
for (const [name, input, expected] of rows) {
  test(`parseTimestamp: ${name}`, () => assert.equal(parseTimestamp(input), expected));
}

test('compileTimestampReader reads nested and dotted fields', () => {
  assert.equal(compileTimestampReader('event.created')({ event: { created: '2024-05-01T10:00:00Z' } }), 1714557600000);
  assert.equal(compileTimestampReader('@timestamp')({ '@timestamp': 5 }), 5);
});

test('sortTimedEvents orders by (timestamp, tiebreaker, input order)', () => {
  const t = (timestamp: number, tiebreaker: unknown, index: number): TimedEvent => ({ event: { index }, timestamp, tiebreaker, index });
  const sorted = sortTimedEvents([t(2, 1, 0), t(1, 9, 1), t(1, 3, 2), t(1, 3, 3), t(1, undefined, 4)]);
  assert.deepEqual(sorted.map((e) => e.index), [4, 2, 3, 1, 0]);
  assert.ok(compareTiebreakers(2, 10) < 0);
  assert.ok(compareTiebreakers('b', 'a') > 0);
  assert.ok(compareTiebreakers(1, 'a') < 0);
});
