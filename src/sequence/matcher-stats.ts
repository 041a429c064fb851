/** Counters of one sequence matcher (ES `SequenceMatcher.Stats`, plus the live-mode ones). */
export interface MatcherStats {
  /** Events pushed. */
  events: number;
  /** Stage matches looked at by `match()` (an event can match several stages and keys). */
  seen: number;
  /** Stage matches that found no partial sequence to extend. */
  ignored: number;
  /** Stage matches dropped because a required join key was missing. */
  nullKey: number;
  /** Events without a usable timestamp (skipped). */
  badTimestamp: number;
  started: number;
  completed: number;
  /** Extended past maxspan (measured from the first event). */
  rejectedMaxspan: number;
  /** Dropped by an `until` event of their key. */
  rejectedUntil: number;
  /** Dropped by a missing-event stage (`![...]`) that did occur. */
  rejectedMissing: number;
  /** A newer partial sequence of the same key at the same stage took their place (most recent wins). */
  superseded: number;
  /** Expired by the clock (maxspan, or the default lifetime without maxspan). */
  expired: number;
  /** Evicted, oldest first, because the in-flight cap was reached. */
  evicted: number;
  /** Leading missing-event keys evicted over their cap. */
  evictedLeadingKeys: number;
  /** Highest number of in-flight partial sequences seen. */
  peakInFlight: number;
}

export function emptyStats(): MatcherStats {
  return {
    events: 0,
    seen: 0,
    ignored: 0,
    nullKey: 0,
    badTimestamp: 0,
    started: 0,
    completed: 0,
    rejectedMaxspan: 0,
    rejectedUntil: 0,
    rejectedMissing: 0,
    superseded: 0,
    expired: 0,
    evicted: 0,
    evictedLeadingKeys: 0,
    peakInFlight: 0,
  };
}
