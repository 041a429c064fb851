import type BetterSqlite3 from 'better-sqlite3';

/** How long and how many alerts are kept. 0 disables a limit. */
export interface RetentionPolicy {
  readonly maxAgeDays: number;
  readonly maxCount: number;
}

/** The agent's defaults (`[storage]` in config/vigil.toml). Only the agent applies retention. */
export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeDays: 90, maxCount: 100_000 };

/**
 * Deletes alerts older than `maxAgeDays` (by alert time) and, beyond `maxCount`, the excess: acknowledged
 * and closed alerts first (oldest first), open alerts only when those are not enough (oldest first), so
 * evidence nobody has looked at yet goes last. One transaction. Returns how many were deleted.
 */
export function applyRetention(db: BetterSqlite3.Database, policy: RetentionPolicy, nowMs: number): number {
  let deleted = 0;
  db.transaction(() => {
    if (policy.maxAgeDays > 0) {
      const cutoff = nowMs - policy.maxAgeDays * 86_400_000;
      deleted += db.prepare('DELETE FROM alerts WHERE time_ms < ?').run(cutoff).changes;
    }
    if (policy.maxCount > 0) {
      let excess = (db.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n - policy.maxCount;
      for (const which of ["state != 'open'", "state = 'open'"]) {
        if (excess <= 0) break;
        const n = db.prepare(`DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE ${which} ORDER BY id LIMIT ?)`).run(excess).changes;
        deleted += n;
        excess -= n;
      }
    }
  }).immediate();
  return deleted;
}
