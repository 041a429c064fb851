import type { EcsEvent } from '../ecs/ecs-event.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import type { AlertMatch } from './alert-match.js';

/**
 * When one rule floods, its alerts are folded so that they cannot push other rules' alerts out of retention:
 * per rule and actor (the `user.id` of the match's first event), the first `perInterval` matches of each
 * `intervalMs` window are stored one row each; the rest of that window go into one aggregate row (a count,
 * plus the events of its first `samples` matches). One user's flood is folded apart from another user's
 * alerts of the same rule.
 */
export interface FloodPolicy {
  readonly perInterval: number;
  readonly intervalMs: number;
  readonly samples: number;
}

export const DEFAULT_FLOOD_POLICY: FloodPolicy = { perInterval: 100, intervalMs: 60_000, samples: 5 };

const getUserId = compileFieldGetter('user.id');

/** Who raised a match: the first event's `user.id` ('' when unknown). */
export function floodActor(events: ReadonlyArray<EcsEvent | null>): string {
  const first = events.find((e): e is EcsEvent => e !== null);
  const id = first === undefined ? undefined : getUserId(first);
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

/** One rule+actor's window: how many matches it saw and, once folding, its aggregate row and samples. */
export interface FloodWindow {
  readonly key: string;
  readonly window: number;
  seen: number;
  aggregateId: number | null;
  samples: Array<EcsEvent | null>;
  sampleMatches: number;
}

/** At most this many rule+actor windows are tracked; older windows are dropped first (then they restart). */
const MAX_WINDOWS = 10_000;

/** Counts matches per rule+actor per window and says which must be folded. Bounded (MAX_WINDOWS). */
export class FloodAggregator {
  readonly #policy: FloodPolicy;
  readonly #windows = new Map<string, FloodWindow>();

  constructor(policy: FloodPolicy) {
    this.#policy = policy;
  }

  get policy(): FloodPolicy {
    return this.#policy;
  }

  /** Registers a match at `nowMs`; returns its window when the match must be folded, null to store it alone. */
  admit(match: Pick<AlertMatch, 'rule' | 'events'>, nowMs: number): FloodWindow | null {
    const key = match.rule.id + '\u0000' + floodActor(match.events);
    const window = Math.floor(nowMs / this.#policy.intervalMs);
    let w = this.#windows.get(key);
    if (w === undefined || w.window !== window) {
      if (w !== undefined) this.#windows.delete(key);
      if (this.#windows.size >= MAX_WINDOWS) this.#windows.delete(this.#windows.keys().next().value as string);
      w = { key, window, seen: 0, aggregateId: null, samples: [], sampleMatches: 0 };
      this.#windows.set(key, w);
    }
    w.seen++;
    return w.seen > this.#policy.perInterval ? w : null;
  }

  /** Adds a folded match's events to its window's samples; true when the samples changed. */
  sample(w: FloodWindow, events: ReadonlyArray<EcsEvent | null>): boolean {
    if (w.sampleMatches >= this.#policy.samples) return false;
    w.sampleMatches++;
    w.samples.push(...events);
    return true;
  }
}
