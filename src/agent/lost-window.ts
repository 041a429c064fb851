/**
 * The collector's cumulative `lost` counter over time, so each alert can say how many events the collector
 * reported lost during its window (a quiet host and a blind one look alike otherwise).
 *
 * Bounded: a ring of at most `capacity` samples; `record` keeps one sample per `minSpacingMs`, so the ring
 * covers capacity x spacing (default 4096 x 250 ms, about 17 minutes). A window that starts before the oldest
 * sample is answered with everything lost so far, which can only overstate the loss, never hide it.
 */
export class LostWindow {
  readonly #times: Float64Array;
  readonly #values: Float64Array;
  readonly #minSpacingMs: number;
  readonly #current: (() => number | undefined) | undefined;
  #start = 0;
  #size = 0;

  /**
   * `current`, when given, reads the cumulative count now: each `lostSince` samples it first, so an alert
   * matched between two `record` calls still counts a loss reported just before it (a restart gap closed a
   * moment ago, for one).
   */
  constructor(capacity = 4096, minSpacingMs = 250, current?: () => number | undefined) {
    this.#times = new Float64Array(capacity);
    this.#values = new Float64Array(capacity);
    this.#minSpacingMs = minSpacingMs;
    this.#current = current;
  }

  /** Records the cumulative lost count at `timeMs` (non-decreasing times). */
  record(timeMs: number, cumulativeLost: number): void {
    const cap = this.#times.length;
    if (this.#size > 0) {
      const last = (this.#start + this.#size - 1) % cap;
      if (this.#values[last] === cumulativeLost || timeMs - this.#times[last]! < this.#minSpacingMs) {
        // Same value, or too soon: update the newest sample in place (keeps the newest count exact).
        if (this.#values[last] !== cumulativeLost) {
          this.#values[last] = cumulativeLost;
          this.#times[last] = timeMs;
        }
        return;
      }
    }
    if (this.#size === cap) {
      this.#start = (this.#start + 1) % cap; // oldest sample evicted
      this.#size--;
    }
    const at = (this.#start + this.#size) % cap;
    this.#times[at] = timeMs;
    this.#values[at] = cumulativeLost;
    this.#size++;
  }

  /** Lost records reported since `sinceMs` (up to the newest sample). */
  lostSince(sinceMs: number): number {
    const now = this.#current?.();
    if (now !== undefined) this.record(Date.now(), now);
    if (this.#size === 0) return 0;
    const cap = this.#times.length;
    const newest = this.#values[(this.#start + this.#size - 1) % cap]!;
    // The latest sample at or before sinceMs is the baseline.
    // Every sample is newer than sinceMs: the count at sinceMs is unknown, so report everything lost so far.
    if (this.#times[this.#start]! > sinceMs) return newest;
    let baseline = this.#values[this.#start]!;
    for (let i = 0; i < this.#size; i++) {
      const idx = (this.#start + i) % cap;
      if (this.#times[idx]! > sinceMs) break;
      baseline = this.#values[idx]!;
    }
    return newest - baseline;
  }
}
