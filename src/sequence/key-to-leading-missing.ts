/**
 * Join key -> the timestamps of the latest leading missing-event (`![...]` first in the sequence) matches of
 * that key: the latest, and the latest strictly older one (so that "latest strictly before t" is answered even
 * when an event at t itself was recorded first).
 *
 * Entries are kept in last-update order: `expire` drops those older than the horizon (they can no longer
 * affect a verdict within maxspan) and `add` evicts the least recently updated over the cap (counted).
 */
interface LeadingTimes {
  last: number;
  previous: number | null;
}

export class KeyToLeadingMissing {
  readonly #map = new Map<string, LeadingTimes>();
  evicted = 0;

  readonly #cap: number;

  constructor(cap: number) {
    this.#cap = cap;
  }

  get size(): number {
    return this.#map.size;
  }

  add(key: string, ts: number): void {
    const cur = this.#map.get(key);
    if (cur !== undefined) {
      this.#map.delete(key);
      if (ts > cur.last) {
        cur.previous = cur.last;
        cur.last = ts;
      } else if (ts < cur.last && (cur.previous === null || ts > cur.previous)) {
        cur.previous = ts;
      }
      this.#map.set(key, cur);
      return;
    }
    this.#map.set(key, { last: ts, previous: null });
    // Eviction rule: least recently updated key first.
    while (this.#map.size > this.#cap) {
      const oldest = this.#map.keys().next().value as string;
      this.#map.delete(oldest);
      this.evicted++;
    }
  }

  /** The latest recorded timestamp strictly before `ts`, or null. */
  before(key: string, ts: number): number | null {
    const cur = this.#map.get(key);
    if (cur === undefined) return null;
    if (cur.last < ts) return cur.last;
    return cur.previous !== null && cur.previous < ts ? cur.previous : null;
  }

  /** Drops keys whose latest timestamp is older than `minTs`. */
  expire(minTs: number): void {
    for (const [key, t] of this.#map) {
      if (t.last >= minTs) break;
      this.#map.delete(key);
    }
  }

  clear(): void {
    this.#map.clear();
  }
}
