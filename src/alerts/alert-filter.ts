import type { AlertState } from './alert-state.js';

/** Which alerts `list` / `export` / `hunt` return. Every field is optional; absent means "any". */
export interface AlertFilter {
  /** Alerts whose time is at or after this, epoch milliseconds. */
  readonly sinceMs?: number;
  /** Rule id (exact) or rule name (case-insensitive substring). */
  readonly rule?: string;
  readonly severity?: string;
  readonly state?: AlertState;
  /** Only alerts with an id greater than this (the notify watcher's cursor). */
  readonly afterId?: number;
  /** At most this many alerts (the newest first unless `order` is `asc`). Default 1000; Infinity: all. */
  readonly limit?: number;
  readonly order?: 'asc' | 'desc';
}

export const DEFAULT_LIST_LIMIT = 1000;
