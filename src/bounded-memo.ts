/**
 * A memo of derived values with a hard bound: when full it is emptied and starts again (the values are cheap to
 * derive; what it saves is deriving them for the few keys that recur, which refill it at once).
 */
export class BoundedMemo<K, V> {
  readonly #map = new Map<K, V>();
  readonly #max: number;
  /** Times the memo was full and emptied. */
  clears = 0;

  constructor(max: number) {
    this.#max = Math.max(1, max);
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): V {
    if (this.#map.size >= this.#max) {
      this.#map.clear();
      this.clears++;
    }
    this.#map.set(key, value);
    return value;
  }
}
