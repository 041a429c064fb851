const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** `ps -o lstart` as both ps implementations print it in the C locale: `Sat Nov 28 08:15:38 2026` (day space-padded). */
export const LSTART_PATTERN = /([A-Z][a-z]{2}) ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})/;

/**
 * Epoch seconds of an lstart text printed with `TZ=UTC0` (Vigil runs ps that way, so no local time, no DST
 * ambiguity). Returns undefined for anything else. Whole seconds: neither ps prints more.
 */
export function parseLstart(text: string): number | undefined {
  const m = new RegExp(`^${LSTART_PATTERN.source}$`).exec(text.trim());
  if (m === null) return undefined;
  const month = (MONTHS as readonly string[]).indexOf(m[2]!);
  if (month < 0) return undefined;
  const [d, h, mi, s] = [m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number];
  if (d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  return Date.UTC(Number(m[7]), month, d, h, mi, s) / 1000;
}
