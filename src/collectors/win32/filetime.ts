/** FILETIME ticks (100 ns since 1601-01-01 UTC) of the Unix epoch. */
const EPOCH_TICKS = 116444736000000000n;

/**
 * FILETIME ticks (decimal string, as the addon sends them) to epoch milliseconds, fractional (0.1 us
 * resolution is kept down to the double's precision). Undefined for text that is not a FILETIME.
 */
export function filetimeToEpochMs(ticks: string): number | undefined {
  if (!/^\d{1,20}$/.test(ticks)) return undefined;
  const t = BigInt(ticks);
  if (t === 0n) return undefined;
  const rel = t - EPOCH_TICKS;
  const whole = rel / 10000n;
  const frac = rel % 10000n;
  return Number(whole) + Number(frac) / 10000;
}

/** Epoch milliseconds to FILETIME ticks (decimal string): the inverse, for fixtures and tests. */
export function epochMsToFiletime(ms: number): string {
  return (BigInt(Math.round(ms * 10000)) + EPOCH_TICKS).toString();
}
