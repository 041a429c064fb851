import { ordinalBefore } from './ordinal.js';
import type { Sequence } from './sequence.js';

/**
 * The partial sequences of one key waiting at one stage, ordered by the ordinal of their last match.
 *
 * Sorted input makes only the most recent entry reachable: a later event always picks the latest one and
 * trims everything before it (ES `SequenceGroup.trimBefore`). So `add` drops the entries a newer one
 * supersedes at once instead of carrying them; only events that arrive out of order (late) can leave more
 * than one entry, and `cap` bounds that (oldest dropped first).
 */
export class SequenceGroup {
  readonly #items: Sequence[] = [];

  readonly #cap: number;

  constructor(cap: number) {
    this.#cap = cap;
  }

  get size(): number {
    return this.#items.length;
  }

  isEmpty(): boolean {
    return this.#items.length === 0;
  }

  /** Inserts in ordinal order; returns the entries dropped (superseded, or over the cap). */
  add(sequence: Sequence, dropped: Sequence[]): void {
    const items = this.#items;
    let i = items.length;
    while (i > 0 && ordinalBefore(sequence.lastTs, sequence.lastSeq, items[i - 1]!.lastTs, items[i - 1]!.lastSeq)) i--;
    if (i === items.length) {
      // Newest entry: everything before it is superseded.
      for (const old of items) dropped.push(old);
      items.length = 0;
      items.push(sequence);
      return;
    }
    items.splice(i, 0, sequence);
    while (items.length > this.#cap) dropped.push(items.shift()!);
  }

  /**
   * Removes and returns the latest entry strictly before (ts, seq); entries before it are removed too and
   * pushed to `dropped`. Returns undefined (and removes nothing) when no entry is before.
   */
  trimBefore(ts: number, seq: number, dropped: Sequence[]): Sequence | undefined {
    const items = this.#items;
    let i = items.length - 1;
    while (i >= 0 && !ordinalBefore(items[i]!.lastTs, items[i]!.lastSeq, ts, seq)) i--;
    if (i < 0) return undefined;
    const match = items[i]!;
    for (let j = 0; j < i; j++) dropped.push(items[j]!);
    items.splice(0, i + 1);
    return match;
  }

  /** Removes one entry (expiry, eviction). */
  remove(sequence: Sequence): boolean {
    const i = this.#items.indexOf(sequence);
    if (i < 0) return false;
    this.#items.splice(i, 1);
    return true;
  }

  /** Removes every entry whose last match is at or before (ts, seq) (an `until` event). */
  removeUpTo(ts: number, seq: number, removed: Sequence[]): void {
    const items = this.#items;
    let n = 0;
    while (n < items.length && !ordinalBefore(ts, seq, items[n]!.lastTs, items[n]!.lastSeq)) n++;
    for (let j = 0; j < n; j++) removed.push(items[j]!);
    items.splice(0, n);
  }

  entries(): readonly Sequence[] {
    return this.#items;
  }
}
