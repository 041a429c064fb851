const SLOTS = 8;
const memoMs = new Float64Array(SLOTS).fill(NaN);
const memoIso: string[] = new Array<string>(SLOTS).fill('');
/** The ISO text of the last whole second formatted, up to and including the '.' before the milliseconds. */
let secondKey = NaN;
let secondPrefix = '';

/** Formats a whole millisecond: the second's prefix is reused, only the milliseconds are written. */
function format(whole: number): string {
  const second = Math.floor(whole / 1000);
  if (second !== secondKey) {
    const iso = new Date(second * 1000).toISOString(); // throws RangeError on an invalid time, as before
    secondKey = second;
    secondPrefix = iso.slice(0, iso.length - 4);
  }
  const ms = whole - second * 1000;
  return secondPrefix + (ms < 10 ? '00' : ms < 100 ? '0' : '') + ms + 'Z';
}

/**
 * ISO 8601 UTC with milliseconds, as `@timestamp` and the ECS date fields take it. Memoized in 8 slots by
 * millisecond: consecutive documents mostly share their event and creation milliseconds.
 */
export function isoTime(ms: number): string {
  const whole = Math.floor(ms);
  const slot = whole & (SLOTS - 1);
  if (memoMs[slot] !== whole) {
    memoMs[slot] = whole;
    memoIso[slot] = Number.isFinite(whole) ? format(whole) : new Date(whole).toISOString();
  }
  return memoIso[slot]!;
}
