import type { EcsEvent } from './ecs-event.js';
import { compileFieldGetter } from './field-getter.js';

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?))?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const NUMERIC = /^-?\d+(?:\.\d+)?$/;

/** The range a JS Date can represent (±100 000 000 days around 1970): times beyond it are unreadable. */
export const MAX_TIME_MS = 8.64e15;

const inRange = (ms: number): number | null => (ms >= -MAX_TIME_MS && ms <= MAX_TIME_MS ? ms : null);

/**
 * Event time in epoch milliseconds, as Elasticsearch reads a `date` field: a number is epoch millis; a
 * numeric string is epoch millis; an ISO-8601 string (date, date-time, fraction of any length, `Z` or an
 * offset; no zone means UTC) is parsed. Anything else gives null, and so does a time outside what a Date can
 * hold (±MAX_TIME_MS: `@timestamp: 1e16` is counted and skipped, never formatted). Fractions below a
 * millisecond are dropped.
 */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? inRange(Math.trunc(value)) : null;
  if (Array.isArray(value)) return value.length === 1 ? parseTimestamp(value[0]) : null;
  if (typeof value !== 'string') return null;
  // Fast path: the exact shape Defend and Date#toISOString write (YYYY-MM-DDTHH:MM:SS.sssZ).
  if (value.length === 24 && value.charCodeAt(23) === 90 && value.charCodeAt(10) === 84 && value.charCodeAt(19) === 46) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  const s = value.trim();
  if (NUMERIC.test(s)) return inRange(Math.trunc(Number(s)));
  const m = ISO.exec(s);
  if (m === null) return null;
  const [, date, time, zone] = m;
  let t = time ?? '00:00:00';
  if (t.length === 5) t += ':00';
  // Keep at most millisecond precision; Date.parse wants a dot.
  t = t.replace(',', '.').replace(/(\.\d{3})\d+$/, '$1');
  let z = zone ?? 'Z';
  if (z === 'z') z = 'Z';
  if (/^[+-]\d{2}$/.test(z)) z += ':00';
  if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`;
  const ms = Date.parse(`${date}T${t}${z}`);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A reader of one event's time (epoch ms, or null when the field is missing or unreadable). The last string
 * parsed is remembered: consecutive events mostly carry the same millisecond, often the very same string.
 */
export function compileTimestampReader(field: string): (event: EcsEvent) => number | null {
  const get = compileFieldGetter(field);
  let lastText = '';
  let lastMs: number | null = null;
  return (event) => {
    const value = get(event);
    if (typeof value !== 'string') return parseTimestamp(value);
    if (value !== lastText) {
      lastMs = parseTimestamp(value);
      lastText = value;
    }
    return lastMs;
  };
}

/** Orders tiebreaker values: numbers numerically, then strings; missing sorts first. */
export function compareTiebreakers(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export interface TimedEvent {
  readonly event: EcsEvent;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly tiebreaker: unknown;
  /** Input position: the final tiebreaker, so equal keys keep input order. */
  readonly index: number;
}

/** Sorts by (timestamp, tiebreaker, input order), as Elasticsearch orders EQL hits. Sorts in place. */
export function sortTimedEvents(events: TimedEvent[]): TimedEvent[] {
  return events.sort((a, b) => a.timestamp - b.timestamp || compareTiebreakers(a.tiebreaker, b.tiebreaker) || a.index - b.index);
}
