import type { DetectionEngine } from './detection-engine.js';
import type { HealthAlerts } from './health-alert.js';

const CHECK = 'sequence-eviction';
/** Per-rule eviction counters are read at most this often (the clock ticks every few ms under load). */
const CHECK_EVERY_MS = 1000;

/**
 * Turns sequence evictions into health alerts: when a rule evicted partial sequences (a flood filled its
 * cap), one alert "detection degraded: rule X evicted N partial sequences" per rule per health interval,
 * N counting every eviction since the previous alert of that rule.
 */
export class EvictionWatch {
  readonly #engine: DetectionEngine;
  readonly #health: HealthAlerts;
  /** Rule id -> evictions already reported. */
  readonly #reported = new Map<string, number>();
  #checkedMs = -Infinity;

  constructor(engine: DetectionEngine, health: HealthAlerts) {
    this.#engine = engine;
    this.#health = health;
  }

  check(nowMs: number): void {
    if (nowMs - this.#checkedMs < CHECK_EVERY_MS) return;
    this.#checkedMs = nowMs;
    for (const r of this.#engine.sequenceRules()) {
      const id = r.rule.meta.id;
      const reported = this.#reported.get(id) ?? 0;
      if (r.evicted <= reported || !this.#health.due(CHECK, id, nowMs)) continue;
      const n = r.evicted - reported;
      this.#reported.set(id, r.evicted);
      this.#health.raise(
        {
          check: CHECK,
          subject: id,
          message: `detection degraded: rule ${r.rule.meta.name} evicted ${n} partial sequences`,
          details: {
            rule: { id, name: r.rule.meta.name },
            evicted: n,
            evicted_total: r.evicted,
            in_flight: r.inFlight,
            cap: r.cap,
            top_owners: r.topOwners().map(([user, sequences]) => ({ user_id: user, sequences })),
          },
        },
        nowMs,
      );
    }
  }
}
