/**
 * Restart delays for the helper: doubling from `initialMs` to `maxMs`; a helper that ran at least `resetAfterMs`
 * before dying starts again from `initialMs`.
 */
export class EbpfBackoff {
  #attempt = 0;

  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #resetAfterMs: number;

  constructor(
    initialMs: number = 250,
    maxMs: number = 30_000,
    resetAfterMs: number = 60_000,
  ) {
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
    this.#resetAfterMs = resetAfterMs;
  }

  /** The delay before the next restart, given how long the helper that just died had been running. */
  next(ranForMs: number): number {
    if (ranForMs >= this.#resetAfterMs) this.#attempt = 0;
    const delay = Math.min(this.#maxMs, this.#initialMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    return delay;
  }
}
