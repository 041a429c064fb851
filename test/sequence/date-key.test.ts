import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateKeyMillis } from '../../src/sequence/date-key.js';

const DEC_17 = Date.UTC(2022, 11, 17);

test('date-shaped join keys read as epoch milliseconds; everything else is not a date', () => {
  const rows: readonly (readonly [string, number | null])[] = [
    ['2022-12-17', DEC_17],
    ['17-12-2022', DEC_17],
    ['17.12.2022', DEC_17],
    ['2022-12-17T00:00:00Z', DEC_17],
    ['2022-12-17T01:00:00+01:00', DEC_17],
    ['2022-12-17 10:30', DEC_17 + 10.5 * 3_600_000],
    ['17-12-2022 10:30:15.250', DEC_17 + 10.5 * 3_600_000 + 15_250],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    // Negative rows: not dates, or not valid ones.
    ['2023-02-29', null],
    ['31-02-2022', null],
    ['17-13-2022', null],
    ['17-12-2022 24:00', null],
    ['17/12/2022', null],
    ['12/17/2022', null],
    ['1671235200000', null],
    ['2022-12-17x', null],
    ['x2022-12-17', null],
    ['17-12-2022-extra', null],
    ['0123456789abcdef0123', null],
    ['', null],
  ];
  for (const [text, want] of rows) assert.equal(dateKeyMillis(text), want, text);
});
