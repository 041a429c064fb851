const SLOTS = 8;
const memoMs = new Float64Array(SLOTS).fill(NaN);
const memoIso: string[] = new Array<string>(SLOTS).fill('');

/**
 * ISO 8601 UTC with milliseconds, as `@timestamp` and the ECS date fields take it. Memoized in 8 slots by
 * millisecond: consecutive documents mostly share their event and creation milliseconds.
 */
export function isoTime(ms: number): string {
  const whole = Math.floor(ms);
  const slot = whole & (SLOTS - 1);
  if (memoMs[slot] !== whole) {
    memoMs[slot] = whole;
    memoIso[slot] = new Date(whole).toISOString();
  }
  return memoIso[slot]!;
}
