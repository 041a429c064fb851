import type { EcsEvent } from '../ecs/ecs-event.js';
import type { AlertHost } from './alert-match.js';
import type { AlertState } from './alert-state.js';

/** The rule metadata an alert keeps (a snapshot: later edits of the rule file do not change stored alerts). */
export interface AlertRule {
  readonly id: string;
  readonly name: string;
  readonly severity: string;
  readonly riskScore: number;
  readonly tags: readonly string[];
  readonly threat: readonly unknown[];
  readonly description: string | null;
  readonly file: string | null;
  readonly version: string | null;
}

/** A stored alert, as the store returns it. */
export interface Alert {
  /** Database id: positive, increasing, never reused (AUTOINCREMENT), also after retention deletes. */
  readonly id: number;
  /** A random UUID, stable across export (ECS `event.id` of the alert document). */
  readonly uuid: string;
  /** The match time (AlertMatch.timeMs), ISO 8601 UTC. */
  readonly time: string;
  /** When the store committed it, ISO 8601 UTC. */
  readonly createdAt: string;
  readonly rule: AlertRule;
  readonly host: AlertHost;
  readonly collector: string;
  readonly joinKeys: readonly unknown[];
  readonly state: AlertState;
  /** When the state last changed (null while it was never changed). */
  readonly stateChangedAt: string | null;
  readonly events: ReadonlyArray<EcsEvent | null>;
  readonly lostEvents: number;
  /** The identity of the match (dedup-key.ts): identical matches share it and are stored once. */
  readonly dedupKey: string;
  /**
   * How many matches this alert stands for: 1, or more for a flood aggregate (flood-policy.ts), whose
   * `events` are the events of its first few matches (samples).
   */
  readonly aggregateCount: number;
}
