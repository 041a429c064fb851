import type { EcsEvent } from '../ecs/ecs-event.js';
import type { RuleMeta } from '../rules/rule-meta.js';

/** The host an alert was raised on (ECS `host.name`, `host.id`, `host.os.type`). */
export interface AlertHost {
  readonly name: string;
  readonly id: string;
  readonly os: string;
}

/**
 * What the engine hands to the alert store: one rule match. This is the store's whole input; it knows
 * nothing of collectors, the engine or sequences beyond this.
 */
export interface AlertMatch {
  readonly rule: RuleMeta;
  /** The matched events in stage order, in full; `null` is a missing-event (`![...]`) placeholder. */
  readonly events: ReadonlyArray<EcsEvent | null>;
  /** The sequence's join key values (empty for event queries). */
  readonly joinKeys: readonly unknown[];
  readonly host: AlertHost;
  /** The collector backend that produced the events (`ebpf`, `procfs`, `replay`, ...). */
  readonly collector: string;
  /** Records the collector reported lost during the match window (0 when none). */
  readonly lostEvents: number;
  /** The alert's time, epoch milliseconds: when the match completed (normally the last event's time). */
  readonly timeMs: number;
}
