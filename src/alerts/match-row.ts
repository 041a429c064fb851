import { randomUUID } from 'node:crypto';
import type { AlertMatch } from './alert-match.js';
import type { AlertRow } from './alert-row.js';
import { dedupKey } from './dedup-key.js';

/** The columns of a new alert row (the store adds id and state). */
export type NewAlertRow = Omit<AlertRow, 'id' | 'state' | 'state_changed_ms'>;

/** A match as the row the store inserts, created at `createdMs`. */
export function matchRow(match: AlertMatch, createdMs: number): NewAlertRow {
  const r = match.rule;
  return {
    uuid: randomUUID(),
    dedup_key: dedupKey(match),
    time_ms: Math.floor(match.timeMs),
    created_ms: Math.floor(createdMs),
    rule_id: r.id,
    rule_name: r.name,
    rule_severity: r.severity,
    rule_risk_score: r.riskScore,
    rule_tags: JSON.stringify(r.tags),
    rule_threat: JSON.stringify(r.threat),
    rule_description: r.description ?? null,
    rule_file: r.file,
    rule_version: r.version ?? null,
    host_name: match.host.name,
    host_id: match.host.id,
    host_os: match.host.os,
    collector: match.collector,
    join_keys: JSON.stringify(match.joinKeys),
    events: JSON.stringify(match.events),
    lost_events: Math.max(0, Math.floor(match.lostEvents)),
  };
}
