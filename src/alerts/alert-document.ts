import type { EcsEvent, EcsObject } from '../ecs/ecs-event.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import type { Alert } from './alert.js';
import { severityNumber } from './severity.js';

const getCategory = compileFieldGetter('event.category');

function categories(events: ReadonlyArray<EcsEvent | null>): string[] {
  const out = new Set<string>();
  for (const e of events) {
    if (e === null) continue;
    const c = getCategory(e);
    for (const v of Array.isArray(c) ? c : [c]) if (typeof v === 'string') out.add(v);
  }
  return [...out];
}

/**
 * An alert as an ECS document (the NDJSON alert log and `vigil alerts export`), for Filebeat / Elastic
 * Agent: `event.kind: "alert"`, `event.severity` (numeric) and `event.risk_score`, `rule.*`, `host.*`,
 * the rule's `tags` and `threat`, and Vigil's own fields under `vigil.alert` (id, state, collector, lost
 * events, join keys and the matched events in full, `null` for a missing-event placeholder).
 */
export function alertDocument(alert: Alert, agentVersion?: string): EcsObject {
  const rule: EcsObject = { id: alert.rule.id, uuid: alert.rule.id, name: alert.rule.name, ruleset: 'vigil' };
  if (alert.rule.description !== null) rule.description = alert.rule.description;
  if (alert.rule.version !== null) rule.version = alert.rule.version;
  const agent: EcsObject = { type: 'vigil' };
  if (agentVersion !== undefined) agent.version = agentVersion;
  return {
    '@timestamp': alert.time,
    event: {
      kind: 'alert',
      id: alert.uuid,
      category: categories(alert.events),
      type: ['info'],
      created: alert.createdAt,
      dataset: 'vigil.alerts',
      module: 'vigil',
      severity: severityNumber(alert.rule.severity),
      risk_score: alert.rule.riskScore,
    },
    rule,
    tags: [...alert.rule.tags],
    threat: alert.rule.threat as EcsObject[],
    host: { name: alert.host.name, id: alert.host.id, os: { type: alert.host.os } },
    agent,
    ecs: { version: '8.17.0' },
    vigil: {
      alert: {
        id: alert.id,
        state: alert.state,
        severity: alert.rule.severity,
        collector: alert.collector,
        lost_events: alert.lostEvents,
        dedup_key: alert.dedupKey,
        aggregate_count: alert.aggregateCount,
        join_keys: alert.joinKeys as EcsObject[],
        events: alert.events as EcsObject[],
      },
    },
  };
}
