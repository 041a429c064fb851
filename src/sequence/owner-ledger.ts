import type { Sequence } from './sequence.js';
import { StartOrderQueue } from './start-order-queue.js';

interface OwnerEntry {
  /** Partial sequences of this owner held in KeyToSequences. */
  count: number;
  /** Its sequences in start order (dead and pending ones skipped lazily). */
  readonly order: StartOrderQueue;
}

/** Dead entries an owner's queue may carry beyond twice its live count before it is compacted. */
const OWNER_QUEUE_SLACK = 64;

/**
 * Partial sequences per owner (the user whose event started them), for fair eviction: over the cap, the
 * owner holding the most partial sequences loses its oldest. A flood of first-stage events by one user then
 * evicts that user's own partial sequences, never another user's pending one, which a global oldest-first
 * rule would flush. Finding the heaviest owner is O(1): owners sit in buckets by count, and a count only
 * moves by one at a time.
 *
 * Bounded by the matcher's cap: an owner is forgotten when its count drops to zero.
 */
export class OwnerLedger {
  readonly #owners = new Map<string, OwnerEntry>();
  /** buckets[n]: owners holding exactly n partial sequences (n >= 1). */
  readonly #buckets: Array<Set<string> | undefined> = [];
  #max = 0;

  /** Number of owners holding partial sequences. */
  get size(): number {
    return this.#owners.size;
  }

  /** A partial sequence entered KeyToSequences; `isNew` when it just started (it joins its owner's start order). */
  enter(s: Sequence, isNew: boolean): void {
    let entry = this.#owners.get(s.owner);
    if (entry === undefined) {
      entry = { count: 0, order: new StartOrderQueue() };
      this.#owners.set(s.owner, entry);
      // An owner forgotten while its only sequence moved between stages takes it back in its order.
      if (!isNew) entry.order.push(s);
    }
    if (isNew) entry.order.push(s);
    this.#move(s.owner, entry.count, entry.count + 1);
    entry.count++;
  }

  /** A partial sequence left KeyToSequences (extended, completed, superseded, expired, evicted). */
  leave(s: Sequence): void {
    const entry = this.#owners.get(s.owner);
    if (entry === undefined) return;
    this.#move(s.owner, entry.count, entry.count - 1);
    entry.count--;
    if (entry.count === 0) this.#owners.delete(s.owner);
    else entry.order.compact(entry.count, OWNER_QUEUE_SLACK);
  }

  /** The oldest partial sequence of the owner holding the most (the eviction victim), undefined when none. */
  victim(): Sequence | undefined {
    const heaviest = this.#buckets[this.#max];
    if (heaviest === undefined) return undefined;
    for (const owner of heaviest) return this.#owners.get(owner)?.order.peek();
    return undefined;
  }

  /** Partial sequences per owner, heaviest first (health reports, tests). */
  counts(limit = 10): Array<[string, number]> {
    return [...this.#owners].map(([o, e]): [string, number] => [o, e.count]).sort((a, b) => b[1] - a[1]).slice(0, limit);
  }

  #move(owner: string, from: number, to: number): void {
    if (from > 0) {
      const b = this.#buckets[from]!;
      b.delete(owner);
      if (b.size === 0) {
        this.#buckets[from] = undefined;
        if (this.#max === from) this.#max = to > 0 ? to : from - 1;
      }
    }
    if (to > 0) {
      let b = this.#buckets[to];
      if (b === undefined) this.#buckets[to] = b = new Set();
      b.add(owner);
      if (to > this.#max) this.#max = to;
    }
    // max only ever drops by one (one count moves by one), and a bucket below it may be empty: walk down.
    while (this.#max > 0 && this.#buckets[this.#max] === undefined) this.#max--;
  }

  clear(): void {
    this.#owners.clear();
    this.#buckets.length = 0;
    this.#max = 0;
  }
}
