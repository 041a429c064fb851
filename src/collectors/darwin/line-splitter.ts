/**
 * Splits a byte stream into lines (LF; a trailing CR is dropped) and decodes each as UTF-8, replacing invalid
 * sequences with U+FFFD. Bounded: a line longer than `maxLineBytes` is discarded up to its end and counted
 * in `oversize`, so one runaway line cannot hold unbounded memory.
 */
export class LineSplitter {
  readonly #max: number;
  readonly #decoder = new TextDecoder('utf-8', { fatal: false });
  #parts: Buffer[] = [];
  #pending = 0;
  #skipping = false;
  #oversize = 0;

  constructor(maxLineBytes = 16 * 1024 * 1024) {
    this.#max = maxLineBytes;
  }

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      this.#take(chunk.subarray(start, nl));
      if (!this.#skipping) lines.push(this.#decode());
      this.#reset();
      start = nl + 1;
    }
    if (start < chunk.length) this.#take(chunk.subarray(start));
    return lines;
  }

  /** The last line when the stream ended without a newline. */
  end(): string[] {
    const out = !this.#skipping && this.#pending > 0 ? [this.#decode()] : [];
    this.#reset();
    return out;
  }

  get oversize(): number {
    return this.#oversize;
  }

  #take(part: Buffer): void {
    if (this.#skipping) return;
    if (this.#pending + part.length > this.#max) {
      this.#skipping = true;
      this.#oversize++;
      this.#parts = [];
      this.#pending = 0;
      return;
    }
    if (part.length > 0) this.#parts.push(Buffer.from(part));
    this.#pending += part.length;
  }

  #decode(): string {
    const buf = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#pending);
    let text = this.#decoder.decode(buf);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return text;
  }

  #reset(): void {
    this.#parts = [];
    this.#pending = 0;
    this.#skipping = false;
  }
}
