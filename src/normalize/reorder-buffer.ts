import { MinHeap } from '../min-heap.js';

/**
 * The reorder buffer in front of the engine: events from different kernel rings or collectors arrive slightly
 * out of order (a process's first connect can overtake its exec); the buffer holds each event until it is
 * `holdMs` old (by the clock passed in) and releases events in (timestamp, arrival) order.
 *
 * Bounded: at most `maxEvents` are held; on overflow the earliest held event is released early (still in
 * order, counted in `overflowReleased`), or, with `overflow: 'drop'`, the incoming event is dropped (counted
 * in `dropped`). An event older than what was already released (beyond the hold) is late: it is still
 * released at once, out of order, and counted in `late`.
 */
export interface ReorderBufferOptions<T> {
  /** Event time in epoch milliseconds. */
  readonly timestamp: (event: T) => number;
  /** How long an event is held, measured from its timestamp. Default 250 ms. */
  readonly holdMs?: number;
  /** Cap on held events. Default 65 536. */
  readonly maxEvents?: number;
  /** What to do when full. Default 'release-oldest'. */
  readonly overflow?: 'release-oldest' | 'drop';
}

export interface ReorderBufferStats {
  received: number;
  released: number;
  /** Arrived older than an event already released; released immediately, out of order. */
  late: number;
  /** Released before their hold because the buffer was full. */
  overflowReleased: number;
  /** Dropped because the buffer was full (overflow: 'drop' only). */
  dropped: number;
  held: number;
  peakHeld: number;
}

export const DEFAULT_HOLD_MS = 250;
export const DEFAULT_MAX_HELD = 65_536;

interface Held<T> {
  readonly ts: number;
  readonly seq: number;
  readonly event: T;
}

export class ReorderBuffer<T> {
  /**
   * Events arrive mostly in order: those not older than the newest queued one join `queue` (a FIFO, hence
   * sorted by (timestamp, arrival)); only the others go to the heap. The earliest held event is the earlier
   * of the two heads.
   */
  readonly #heap = new MinHeap<Held<T>>(before);
  #queue: Array<Held<T> | undefined> = [];
  #queueHead = 0;
  #queueTailTs = -Infinity;
  readonly #holdMs: number;
  readonly #maxEvents: number;
  readonly #dropOnOverflow: boolean;
  readonly #timestampOf: (event: T) => number;
  #arrival = 0;
  /** Timestamp of the last event released in order. */
  #releasedUpTo = -Infinity;
  readonly #counters: ReorderBufferStats = { received: 0, released: 0, late: 0, overflowReleased: 0, dropped: 0, held: 0, peakHeld: 0 };

  constructor(options: ReorderBufferOptions<T>) {
    this.#timestampOf = options.timestamp;
    this.#holdMs = Math.max(0, options.holdMs ?? DEFAULT_HOLD_MS);
    this.#maxEvents = Math.max(1, options.maxEvents ?? DEFAULT_MAX_HELD);
    this.#dropOnOverflow = options.overflow === 'drop';
  }

  /** Adds an event; returns what is ready at `nowMs` (late events come back at once), appended to `out`. */
  push(event: T, nowMs: number, out: T[] = []): T[] {
    const c = this.#counters;
    c.received++;
    const ts = this.#timestampOf(event);
    if (ts < this.#releasedUpTo) {
      c.late++;
      c.released++;
      out.push(event);
      return this.release(nowMs, out);
    }
    if (this.size >= this.#maxEvents) {
      if (this.#dropOnOverflow) {
        c.dropped++;
        return this.release(nowMs, out);
      }
      // Overflow rule: the earliest held event leaves early (it is next in order anyway).
      c.overflowReleased++;
      this.#emit(this.#popEarliest(), out);
    }
    const held: Held<T> = { ts, seq: this.#arrival++, event };
    if (ts >= this.#queueTailTs) {
      this.#queue.push(held);
      this.#queueTailTs = ts;
    } else {
      this.#heap.push(held);
    }
    const size = this.size;
    c.held = size;
    if (size > c.peakHeld) c.peakHeld = size;
    return this.release(nowMs, out);
  }

  /** Releases, in (timestamp, arrival) order, every event at least `holdMs` old at `nowMs`. */
  release(nowMs: number, out: T[] = []): T[] {
    const limit = nowMs - this.#holdMs;
    for (let h = this.#earliest(); h !== undefined && h.ts <= limit; h = this.#earliest()) this.#emit(this.#popEarliest(), out);
    this.#counters.held = this.size;
    return out;
  }

  /** Releases everything held, in order (shutdown, end of a replay). */
  flush(): T[] {
    const out: T[] = [];
    while (this.size > 0) this.#emit(this.#popEarliest(), out);
    this.#counters.held = 0;
    return out;
  }

  /** When the earliest held event falls due (for a timer), or null when empty. */
  nextDueMs(): number | null {
    const h = this.#earliest();
    return h !== undefined ? h.ts + this.#holdMs : null;
  }

  get size(): number {
    return this.#heap.size + this.#queue.length - this.#queueHead;
  }

  stats(): ReorderBufferStats {
    return { ...this.#counters };
  }

  #earliest(): Held<T> | undefined {
    const q = this.#queue[this.#queueHead];
    const h = this.#heap.peek();
    if (q === undefined) return h;
    return h !== undefined && before(h, q) ? h : q;
  }

  /** Removes the earliest held event (the caller knows there is one). */
  #popEarliest(): Held<T> {
    const q = this.#queue[this.#queueHead];
    const h = this.#heap.peek();
    if (q === undefined || (h !== undefined && before(h, q))) return this.#heap.pop()!;
    this.#queue[this.#queueHead++] = undefined;
    if (this.#queueHead === this.#queue.length) {
      this.#queue.length = 0;
      this.#queueHead = 0;
      this.#queueTailTs = -Infinity;
    } else if (this.#queueHead >= 4096 && this.#queueHead * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
    return q;
  }

  #emit(h: Held<T>, out: T[]): void {
    if (h.ts > this.#releasedUpTo) this.#releasedUpTo = h.ts;
    this.#counters.released++;
    out.push(h.event);
  }
}

function before<T>(a: Held<T>, b: Held<T>): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.seq < b.seq);
}
