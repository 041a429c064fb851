/**
 * A token bucket: holds at most `capacity` tokens, refilled continuously at `perMinute` tokens a minute.
 * `take` spends one token when there is one. Time is passed in (epoch ms) so the caller owns the clock.
 */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    readonly capacity: number,
    readonly perMinute: number,
    nowMs: number,
  ) {
    if (!(capacity >= 1) || !(perMinute > 0)) throw new RangeError('token bucket needs capacity >= 1 and perMinute > 0');
    this.#tokens = capacity;
    this.#last = nowMs;
  }

  take(nowMs: number): boolean {
    if (nowMs > this.#last) {
      this.#tokens = Math.min(this.capacity, this.#tokens + ((nowMs - this.#last) * this.perMinute) / 60_000);
      this.#last = nowMs;
    }
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    return false;
  }
}
