import { parseTimestamp } from '../ecs/event-order.js';

/** `dd-MM-yyyy` or `dd.MM.yyyy`, optionally with ` HH:mm[:ss[.SSS]]` (UTC). */
const DAY_FIRST = /^(\d{2})([-.])(\d{2})\2(\d{4})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;
/** ISO 8601 as `strict_date_optional_time` reads it: a date, optionally a time and a zone. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * A join-key string that reads as a calendar date, as epoch milliseconds (UTC unless the text has a zone);
 * null for any other string. Elasticsearch joins a `date`-mapped key on its epoch value, so "17-12-2022" in
 * one field and "2022-12-17" in another are the same key; Vigil has no mapping, so it recognises the date
 * shapes by their form: ISO 8601 (`yyyy-MM-dd[THH:mm[:ss[.fraction]]][zone]`) and day-first `dd-MM-yyyy` /
 * `dd.MM.yyyy` (with an optional time). Epoch numbers stay numbers; a day or month out of range is no date.
 * The first characters are checked before any regex runs, so ordinary keys (entity ids, names) pay nothing.
 */
export function dateKeyMillis(s: string): number | null {
  const n = s.length;
  if (n < 10 || n > 40 || !isDigit(s.charCodeAt(0)) || !isDigit(s.charCodeAt(1))) return null;
  const c2 = s.charCodeAt(2);
  if (c2 === 45 /* - */ || c2 === 46 /* . */) return dayFirst(s);
  if (s.charCodeAt(4) !== 45 || !ISO_DATE.test(s)) return null;
  if (!validDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)))) return null;
  return parseTimestamp(s);
}

function dayFirst(s: string): number | null {
  const m = DAY_FIRST.exec(s);
  if (m === null) return null;
  const [day, month, year] = [Number(m[1]), Number(m[3]), Number(m[4])];
  const [h, min, sec, frac] = [Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0), Number((m[8] ?? '0').padEnd(3, '0'))];
  if (!validDate(year, month, day) || h > 23 || min > 59 || sec > 59) return null;
  return Date.UTC(year, month - 1, day, h, min, sec, frac);
}

/** Date.UTC rolls 31-02 over into March: a date is valid only when it reads back the same. */
function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
