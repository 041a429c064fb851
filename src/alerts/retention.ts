import type BetterSqlite3 from 'better-sqlite3';

/** How long and how many alerts are kept. 0 disables a limit. */
export interface RetentionPolicy {
  readonly maxAgeDays: number;
  readonly maxCount: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeDays: 90, maxCount: 100_000 };

/**
 * Deletes alerts older than `maxAgeDays` (by alert time) and, beyond `maxCount`, the oldest by id, whatever
 * their state. One transaction. Returns how many were deleted.
 */
export function applyRetention(db: BetterSqlite3.Database, policy: RetentionPolicy, nowMs: number): number {
  let deleted = 0;
  db.transaction(() => {
    if (policy.maxAgeDays > 0) {
      const cutoff = nowMs - policy.maxAgeDays * 86_400_000;
      deleted += db.prepare('DELETE FROM alerts WHERE time_ms < ?').run(cutoff).changes;
    }
    if (policy.maxCount > 0) {
      deleted += db
        .prepare('DELETE FROM alerts WHERE id <= (SELECT id FROM alerts ORDER BY id DESC LIMIT 1 OFFSET ?)')
        .run(policy.maxCount).changes;
    }
  }).immediate();
  return deleted;
}
