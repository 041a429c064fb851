import type { Sequence } from './sequence.js';
import type { StagePlan } from './stage-plan.js';

/**
 * Elasticsearch's verdict for a sequence with leading and/or trailing missing-event stages, given the latest
 * leading missing event before its start (L) and the first trailing one after its last positive match (T):
 * the sequence holds when no such event exists, or when the window from that event across the sequence
 * would be longer than maxspan. Without maxspan any such event rejects it.
 */
export function missingVerdict(plan: StagePlan, maxspanMs: number | null, s: Sequence): boolean {
  const L = s.leadingTs;
  const T = s.trailingTs;
  const leading = plan.hasLeading;
  const trailing = plan.hasTrailing;
  const longer = (from: number | null, to: number | null): boolean =>
    from === null || to === null ? true : maxspanMs !== null && to - from > maxspanMs;
  return (
    (T === null && L === null) ||
    (L === null && leading) ||
    (T === null && trailing) ||
    (leading && trailing && longer(L, T)) ||
    (leading && !trailing && longer(L, s.lastTs)) ||
    (!leading && trailing && longer(s.startTs, T))
  );
}

/**
 * When a pending trailing verdict can no longer change: past this time no trailing event can reject the
 * sequence (reported when the watermark is strictly past it). `horizonMs` replaces maxspan when the query has
 * none (live mode lifetime; Infinity in batch mode, where the end of the input decides).
 */
export function trailingDeadline(plan: StagePlan, maxspanMs: number | null, horizonMs: number, s: Sequence): number {
  if (maxspanMs === null) return s.startTs + horizonMs;
  // A trailing event T rejects while T - L <= maxspan (leading event known) or T - start <= maxspan.
  return (plan.hasLeading && s.leadingTs !== null ? s.leadingTs : s.startTs) + maxspanMs;
}
