import { DeadlineHeap } from './deadline-heap.js';
import type { Sequence } from './sequence.js';

/**
 * Sequences whose positive stages all matched but whose trailing missing-event stages (`![...]` last) still
 * decide them: join key -> those sequences (a trailing event of the key can reject them), plus a deadline
 * heap (past the deadline no trailing event can reject them any more, so they are reported).
 * Resolved sequences leave both lazily (their state is no longer 'pending').
 */
export class PendingTrailing {
  readonly #keyToPending = new Map<string, Sequence[]>();
  readonly #byDeadline = new DeadlineHeap();
  #live = 0;

  get size(): number {
    return this.#live;
  }

  add(s: Sequence): void {
    s.state = 'pending';
    let list = this.#keyToPending.get(s.keyId);
    if (list === undefined) {
      list = [];
      this.#keyToPending.set(s.keyId, list);
    }
    list.push(s);
    this.#byDeadline.push(s);
    this.#live++;
  }

  /** The pending sequences of a key (still pending ones only). */
  forKey(key: string): readonly Sequence[] {
    const list = this.#keyToPending.get(key);
    if (list === undefined) return [];
    const alive = list.filter((s) => s.state === 'pending');
    if (alive.length === 0) this.#keyToPending.delete(key);
    else if (alive.length !== list.length) this.#keyToPending.set(key, alive);
    return alive;
  }

  /** Marks a sequence resolved (the caller sets its final state). */
  resolved(): void {
    this.#live--;
  }

  /** Removes and returns pending sequences whose deadline is strictly before `watermark`. */
  due(watermark: number, out: Sequence[]): void {
    for (;;) {
      const top = this.#byDeadline.peek();
      if (top === undefined) return;
      if (top.state !== 'pending') {
        this.#byDeadline.pop();
        continue;
      }
      if (!(top.deadline < watermark)) return;
      this.#byDeadline.pop();
      out.push(top);
    }
  }

  /** Removes and returns the pending sequence with the earliest deadline (cap eviction). */
  evictEarliest(): Sequence | undefined {
    for (;;) {
      const top = this.#byDeadline.pop();
      if (top === undefined) return undefined;
      if (top.state === 'pending') {
        this.#live--;
        return top;
      }
    }
  }

  /** Everything still pending (end of stream), oldest deadline first. */
  drain(out: Sequence[]): void {
    this.due(Infinity, out);
    for (;;) {
      const top = this.#byDeadline.pop();
      if (top === undefined) break;
      if (top.state === 'pending') out.push(top);
    }
    this.#keyToPending.clear();
  }
}
