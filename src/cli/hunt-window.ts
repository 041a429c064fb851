import type { Pipe } from '../eql/compiled-query.js';
import { sortTimedEvents, type TimedEvent } from '../ecs/event-order.js';

/** Which end of the ordered events an event query's result can come from, and how many, if bounded. */
export interface HuntWindow {
  readonly keep: 'first' | 'last';
  readonly count: number;
}

/**
 * The bound an event query's pipes and `--size` put on the events worth keeping: the result of `head N ...`
 * lies in the first N, of `tail N ...` in the last N, and of a bare `--size S` in the first S. Null when
 * unbounded (every match is printed).
 */
export function huntWindow(pipes: readonly Pipe[], size: number | undefined): HuntWindow | null {
  const first = pipes[0];
  if (first !== undefined) return { keep: first.kind === 'head' ? 'first' : 'last', count: first.count };
  return size === undefined ? null : { keep: 'first', count: size };
}

/**
 * Matching events in (timestamp, tiebreaker, input order), holding at most 2 x the window while reading:
 * past that it sorts and drops what can no longer be in the result (`dropped` counts them). Unbounded when
 * the window is null (the result is every match).
 */
export class TimedEventWindow {
  #items: TimedEvent[] = [];
  dropped = 0;

  readonly #window: HuntWindow | null;

  constructor(window: HuntWindow | null) {
    this.#window = window;
  }

  push(item: TimedEvent): void {
    this.#items.push(item);
    if (this.#window !== null && this.#items.length > 2 * Math.max(this.#window.count, 512)) this.#trim();
  }

  #trim(): void {
    sortTimedEvents(this.#items);
    if (this.#window === null || this.#items.length <= this.#window.count) return;
    const n = this.#window.count;
    this.dropped += this.#items.length - n;
    this.#items = this.#window.keep === 'first' ? this.#items.slice(0, n) : this.#items.slice(this.#items.length - n);
  }

  /** The kept events, ordered. */
  sorted(): TimedEvent[] {
    this.#trim();
    return this.#items;
  }
}
