import type { EcsEvent } from '../ecs/ecs-event.js';

export interface MatcherOptions {
  /** Event time in epoch milliseconds. */
  readonly timestamp: (event: EcsEvent) => number;
  /**
   * Cap on in-flight partial sequences (per matcher, i.e. per rule). When reached, the oldest partial
   * sequence of the heaviest owner is evicted (counted in `evicted`). Default 100 000.
   */
  readonly maxInFlight?: number;
  /**
   * Lifetime of a partial sequence when the query has no maxspan, measured from its first event (live mode).
   * Default 10 minutes. Batch mode (`vigil hunt`) passes Infinity: the whole input is one window.
   */
  readonly defaultLifetimeMs?: number;
  /** Cap on entries per (key, stage) group; only out-of-order (late) events ever need more than one. Default 4. */
  readonly groupCap?: number;
  /**
   * The owner of a sequence, read from its first event: over the cap, the owner holding the most partial
   * sequences loses its oldest (fair eviction). Default: `user.id` (one shared owner when absent).
   */
  readonly ownerOf?: (event: EcsEvent) => string;
  /** Cap on keys remembered for leading missing-event stages. Default: maxInFlight. */
  readonly maxLeadingKeys?: number;
}

export const DEFAULT_MAX_IN_FLIGHT = 100_000;
export const DEFAULT_LIFETIME_MS = 10 * 60_000;
export const DEFAULT_GROUP_CAP = 4;
