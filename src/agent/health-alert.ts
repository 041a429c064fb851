import { randomUUID } from 'node:crypto';
import type { AlertHost, AlertMatch } from '../alerts/alert-match.js';
import type { EcsObject } from '../ecs/ecs-event.js';
import type { RuleMeta } from '../rules/rule-meta.js';

/** Rule ids of health alerts start with this (`vigil alerts list --rule` and SQL can pick them out). */
export const HEALTH_RULE_PREFIX = 'vigil-health:';

/** One degraded condition the agent reports as an alert. */
export interface HealthCondition {
  /** What degraded, as a short slug: `sequence-eviction`, `rule-disabled`, `store-down`, ... (part of the rule id). */
  readonly check: string;
  /** What it is about (a rule id, the database path): one alert per (check, subject) per interval at most. */
  readonly subject: string;
  /** The alert's title, e.g. "detection degraded: rule X evicted N partial sequences". */
  readonly message: string;
  /** Default `high`: a blind spot is worth a notification. */
  readonly severity?: 'low' | 'medium' | 'high' | 'critical';
  /** Figures kept under `vigil.health` in the alert's event (plain JSON). */
  readonly details?: EcsObject;
}

export interface HealthAlertsOptions {
  /** At most one alert per (check, subject) in this many milliseconds; later raises are counted as suppressed. */
  readonly intervalMs: number;
  /** Stores and notifies the alert like any rule's (the pipeline's insert path). */
  readonly emit: (match: AlertMatch) => void;
  readonly host: AlertHost;
  /** The collector backend recorded on the alert. */
  readonly collector: () => string;
}

export interface HealthAlertStats {
  raised: number;
  /** Raises inside the interval of an earlier one (not stored; the next alert carries the new figures). */
  suppressed: number;
}

/** Kept (check, subject) pairs; subjects are rules or stores, so this only bounds a bug. Oldest forgotten first. */
const MAX_TRACKED = 4096;

/**
 * Health alerts: the agent's own blind spots (sequence state evicted by a flood, a rule disabled for
 * exceeding its evaluation budget, a store that stays down) stored and notified as alerts, so that the
 * person who reads alerts learns that detection degraded. Each is an alert of a synthetic rule
 * `vigil-health:<check>` holding one event (`event.kind: "alert"`, `event.dataset: "vigil.health"`) with the
 * message and figures; rate-limited per (check, subject).
 */
export class HealthAlerts {
  readonly #o: HealthAlertsOptions;
  /** `check\0subject` -> time of the last alert raised (insertion order = age, for the bound). */
  readonly #last = new Map<string, number>();
  readonly #stats: HealthAlertStats = { raised: 0, suppressed: 0 };

  constructor(options: HealthAlertsOptions) {
    this.#o = options;
  }

  /** Whether `raise` would store an alert for this (check, subject) now (callers skip building figures). */
  due(check: string, subject: string, nowMs: number): boolean {
    const last = this.#last.get(check + '\0' + subject);
    return last === undefined || nowMs - last >= this.#o.intervalMs;
  }

  /** Raises the alert unless one for the same (check, subject) was raised within the interval. Returns whether it did. */
  raise(condition: HealthCondition, nowMs: number = Date.now()): boolean {
    if (!this.due(condition.check, condition.subject, nowMs)) {
      this.#stats.suppressed++;
      return false;
    }
    const key = condition.check + '\0' + condition.subject;
    this.#last.delete(key);
    this.#last.set(key, nowMs);
    if (this.#last.size > MAX_TRACKED) this.#last.delete(this.#last.keys().next().value as string);
    this.#stats.raised++;
    this.#o.emit(healthMatch(condition, nowMs, this.#o.host, this.#o.collector()));
    return true;
  }

  stats(): Readonly<HealthAlertStats> {
    return this.#stats;
  }
}

/** The alert of one health condition: a synthetic rule and one event describing it. */
export function healthMatch(c: HealthCondition, nowMs: number, host: AlertHost, collector: string): AlertMatch {
  const rule: RuleMeta = {
    id: HEALTH_RULE_PREFIX + c.check,
    name: c.message,
    severity: c.severity ?? 'high',
    riskScore: 50,
    tags: ['Vigil: Health'],
    description: 'Vigil could not watch everything it should: see the message and vigil.health for what and why.',
    threat: [],
    file: '(vigil agent)',
  };
  const event: EcsObject = {
    '@timestamp': new Date(nowMs).toISOString(),
    // A fresh id per alert, so that each raise is a distinct alert (the dedup key hashes event.id).
    event: { id: randomUUID(), kind: 'alert', category: ['host'], type: ['info'], action: c.check, dataset: 'vigil.health', module: 'vigil' },
    message: c.message,
    vigil: { health: { check: c.check, subject: c.subject, ...c.details } },
  };
  return { rule, events: [event], joinKeys: [c.subject], host, collector, lostEvents: 0, timeMs: nowMs };
}
