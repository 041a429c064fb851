import type { Sequence } from './sequence.js';

/**
 * Partial sequences in the order they started: the oldest is at the head. Expiry (maxspan or lifetime, both
 * measured from the first event) and cap eviction (oldest first) both take from the head.
 *
 * Sequences that ended elsewhere (completed, superseded, until) stay in the array as dead entries and are
 * skipped when they reach the head; `compact` drops them when they outnumber the live ones, so the array
 * stays within about twice the live count.
 */
export class StartOrderQueue {
  #items: Sequence[] = [];
  #head = 0;

  push(sequence: Sequence): void {
    this.#items.push(sequence);
  }

  /** The oldest live partial sequence, dropping dead entries on the way. */
  peek(): Sequence | undefined {
    const items = this.#items;
    while (this.#head < items.length) {
      const s = items[this.#head]!;
      if (s.state === 'partial') return s;
      items[this.#head] = undefined as never;
      this.#head++;
    }
    this.#reset();
    return undefined;
  }

  shift(): Sequence | undefined {
    const s = this.peek();
    if (s !== undefined) {
      this.#items[this.#head] = undefined as never;
      this.#head++;
    }
    return s;
  }

  /** Physical length, dead entries included (for the compaction rule and tests). */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Keeps the array within `2 * live + slack` entries. */
  compact(live: number, slack = 1024): void {
    if (this.length <= 2 * live + slack) return;
    const kept: Sequence[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      const s = this.#items[i]!;
      if (s.state === 'partial') kept.push(s);
    }
    this.#items = kept;
    this.#head = 0;
  }

  #reset(): void {
    this.#items = [];
    this.#head = 0;
  }

  clear(): void {
    this.#reset();
  }
}
