/**
 * Restart delays for the helper: doubling from `initialMs` to `maxMs`; a helper that ran at least `resetAfterMs`
 * before dying starts again from `initialMs`.
 */
export class EbpfBackoff {
  #attempt = 0;

  constructor(
    private readonly initialMs = 250,
    private readonly maxMs = 30_000,
    private readonly resetAfterMs = 60_000,
  ) {}

  /** The delay before the next restart, given how long the helper that just died had been running. */
  next(ranForMs: number): number {
    if (ranForMs >= this.resetAfterMs) this.#attempt = 0;
    const delay = Math.min(this.maxMs, this.initialMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    return delay;
  }
}
