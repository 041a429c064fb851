/** An ISO-8601 UTC time split into whole epoch seconds and a fraction, without losing sub-millisecond digits. */
export interface IsoTime {
  readonly epochSeconds: number;
  /** Fraction of the second in microseconds (0..999999); digits past the 6th are dropped. */
  readonly micros: number;
  /** Epoch milliseconds, fractional (microsecond resolution). */
  readonly ms: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses the times eslogger writes (`time`: nanoseconds, `start_time`: microseconds, both UTC with `Z`).
 * Returns undefined when the text is not such a time.
 */
export function parseIsoTime(text: string): IsoTime | undefined {
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let offsetMin = 0;
  if (zone !== 'Z') {
    const sign = zone![0] === '-' ? -1 : 1;
    const digits = zone!.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (!Number.isFinite(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const epochSeconds = ms / 1000 - offsetMin * 60;
  const micros = frac === undefined ? 0 : Number(frac.padEnd(6, '0').slice(0, 6));
  return { epochSeconds, micros, ms: epochSeconds * 1000 + micros / 1000 };
}
