/** Progress on stderr while a hunt reads its input: only on a terminal, never on a pipe or file. */
export interface ProgressSink {
  write(s: string): unknown;
  readonly isTTY?: boolean;
}

const INTERVAL_MS = 500;

export class HuntProgress {
  readonly #started = Date.now();
  #last = this.#started;
  #shown = false;

  readonly #sink: ProgressSink;

  constructor(sink: ProgressSink) {
    this.#sink = sink;
  }

  /** Call after each batch with the events read so far; prints at most every 500 ms. */
  tick(count: number): void {
    if (this.#sink.isTTY !== true) return;
    const now = Date.now();
    if (now - this.#last < INTERVAL_MS) return;
    this.#last = now;
    const rate = Math.round(count / Math.max((now - this.#started) / 1000, 0.001));
    this.#sink.write(`\r\x1b[Kvigil hunt: read ${count.toLocaleString('en-US')} events (${rate.toLocaleString('en-US')}/s)`);
    this.#shown = true;
  }

  done(): void {
    if (this.#shown) this.#sink.write('\r\x1b[K');
  }
}
