const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * `--since` values: a duration back from now (`90s`, `15m`, `2h`, `7d`, `1w`) or an ISO 8601 date/time
 * (`2026-11-28`, `2026-11-28T08:00:00Z`). Returns epoch milliseconds; throws a message naming the value.
 */
export function parseSince(value: string, nowMs: number = Date.now()): number {
  const rel = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value.trim());
  if (rel !== null) return nowMs - Number(rel[1]) * UNITS[rel[2]!]!;
  if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    const ms = Date.parse(value.trim());
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`--since: cannot read ${JSON.stringify(value)} (use a duration like 15m, 2h, 7d, or an ISO date like 2026-11-28T08:00:00Z)`);
}
