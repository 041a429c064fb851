import type { Alert } from './alert.js';
import type { AlertFilter } from './alert-filter.js';
import type { AlertMatch } from './alert-match.js';
import type { AlertState } from './alert-state.js';

/** The outcome of storing one match. */
export interface InsertResult {
  /** The alert's id: the new one, or the existing one when the match was a duplicate. */
  readonly id: number;
  /** False when an identical match (same dedup key) was already stored. */
  readonly inserted: boolean;
  /** True when the match was folded into an existing flood aggregate row (counted there, not notified). */
  readonly aggregated: boolean;
  /** The stored alert (the earlier one for a duplicate): what the NDJSON log and the notifier take. */
  readonly alert: Alert;
}

export interface AlertStoreStats {
  readonly inserted: number;
  readonly duplicates: number;
  /** Matches folded into an existing flood aggregate row. */
  readonly aggregated: number;
  readonly pruned: number;
  /** Retention runs that failed (locked, disk full); retried at the next one. */
  readonly pruneFailures: number;
  readonly failed: number;
}

/**
 * Where alerts live. The agent calls `insert` per match; when it returns, the alert is committed (a crash
 * after that point cannot lose it). `vigil alerts` reads and changes states; retention runs through `prune`.
 */
export interface AlertStore {
  insert(match: AlertMatch): InsertResult;
  /** Several matches in one transaction (all committed together when it returns). */
  insertMany(matches: readonly AlertMatch[]): InsertResult[];
  get(id: number): Alert | null;
  list(filter?: AlertFilter): Alert[];
  count(): number;
  /** Sets the state of these alerts; returns the ids that exist (and were updated). */
  setState(ids: readonly number[], state: AlertState): number[];
  /** Applies the retention policy now; returns how many alerts were deleted. */
  prune(nowMs?: number): number;
  stats(): AlertStoreStats;
  close(): void;
}
