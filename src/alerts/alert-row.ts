import type { Alert } from './alert.js';
import { isAlertState } from './alert-state.js';

/** A row of the `alerts` table as SQLite returns it. */
export interface AlertRow {
  readonly id: number;
  readonly uuid: string;
  readonly dedup_key: string;
  readonly time_ms: number;
  readonly created_ms: number;
  readonly rule_id: string;
  readonly rule_name: string;
  readonly rule_severity: string;
  readonly rule_risk_score: number;
  readonly rule_tags: string;
  readonly rule_threat: string;
  readonly rule_description: string | null;
  readonly rule_file: string | null;
  readonly rule_version: string | null;
  readonly host_name: string;
  readonly host_id: string;
  readonly host_os: string;
  readonly collector: string;
  readonly join_keys: string;
  readonly state: string;
  readonly state_changed_ms: number | null;
  readonly events: string;
  readonly lost_events: number;
  /** Matches this row stands for (1, or more for a flood aggregate); absent before schema version 3. */
  readonly aggregate_count?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Decodes a row; JSON columns are parsed. An unknown state (hand-edited file) reads as `open`. */
export function alertFromRow(row: AlertRow): Alert {
  return {
    id: row.id,
    uuid: row.uuid,
    time: iso(row.time_ms),
    createdAt: iso(row.created_ms),
    rule: {
      id: row.rule_id,
      name: row.rule_name,
      severity: row.rule_severity,
      riskScore: row.rule_risk_score,
      tags: JSON.parse(row.rule_tags) as string[],
      threat: JSON.parse(row.rule_threat) as unknown[],
      description: row.rule_description,
      file: row.rule_file,
      version: row.rule_version,
    },
    host: { name: row.host_name, id: row.host_id, os: row.host_os },
    collector: row.collector,
    joinKeys: JSON.parse(row.join_keys) as unknown[],
    state: isAlertState(row.state) ? row.state : 'open',
    stateChangedAt: row.state_changed_ms == null ? null : iso(row.state_changed_ms),
    events: JSON.parse(row.events) as Alert['events'],
    lostEvents: row.lost_events,
    dedupKey: row.dedup_key,
    aggregateCount: row.aggregate_count ?? 1,
  };
}
