import type { Alert } from './alert.js';
import type { AlertMatch } from './alert-match.js';
import { alertFromRow } from './alert-row.js';
import { matchRow } from './match-row.js';

/**
 * A match as the alert it will be once stored, with id 0: for a notification that cannot wait for the
 * store (a health alert saying the store is down). The stored alert follows when the store recovers.
 */
export function previewAlert(match: AlertMatch, nowMs: number): Alert {
  return alertFromRow({ ...matchRow(match, nowMs), id: 0, state: 'open', state_changed_ms: null });
}
