/**
 * One bounded line splitter for every place that cuts a byte stream into lines (recordings read by
 * `vigil hunt` / `run --replay`, eslogger's JSON lines). Lines are cut on raw bytes (a newline byte never
 * occurs inside a UTF-8 sequence) and handed out as ranges of the chunk they arrived in, so the complete
 * lines of a chunk are never copied. Only a line that straddles chunks is kept, as a list of parts joined
 * once when its newline arrives (no quadratic re-copy of a long partial line). A line longer than
 * `maxLineBytes` is dropped up to its newline and reported, so one runaway line holds at most that much.
 */

/** Complete lines: line i is `buf[starts[i], ends[i])`, its LF and a CR before it excluded; numbered from `firstLine`. */
export interface LineRun {
  readonly buf: Buffer;
  readonly starts: number[];
  readonly ends: number[];
  /** 1-based number of the run's first line in the stream. */
  readonly firstLine: number;
}

export interface LineSink {
  line(run: LineRun): void;
  /** A line longer than the cap was dropped (called once, when it crosses the cap). */
  oversize(line: number): void;
}

export class ByteLineSplitter {
  #parts: Buffer[] = [];
  #pending = 0;
  #skipping = false;
  /** Lines completed or dropped so far. */
  #lines = 0;

  constructor(readonly maxLineBytes: number) {}

  /** Lines seen so far (completed or dropped). */
  get lines(): number {
    return this.#lines;
  }

  push(chunk: Buffer, sink: LineSink): void {
    let start = 0;
    if (this.#pending > 0 || this.#skipping) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.#take(chunk, sink);
        return;
      }
      this.#take(chunk.subarray(0, nl), sink);
      this.#finishCarried(sink);
      start = nl + 1;
    }
    const starts: number[] = [];
    const ends: number[] = [];
    let nl = chunk.indexOf(10, start);
    while (nl >= 0) {
      starts.push(start);
      ends.push(nl > start && chunk[nl - 1] === 13 ? nl - 1 : nl);
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (starts.length > 0) {
      const firstLine = this.#lines + 1;
      this.#lines += starts.length;
      sink.line({ buf: chunk, starts, ends, firstLine });
    }
    if (start < chunk.length) this.#take(chunk.subarray(start), sink);
  }

  /** The stream ended: hands out a last line that had no newline. */
  end(sink: LineSink): void {
    if (this.#pending > 0 || this.#skipping) this.#finishCarried(sink);
  }

  #take(part: Buffer, sink: LineSink): void {
    if (this.#skipping) return;
    if (this.#pending + part.length > this.maxLineBytes) {
      this.#skipping = true;
      this.#parts = [];
      this.#pending = 0;
      sink.oversize(this.#lines + 1);
      return;
    }
    // A copy: the caller may reuse its chunk, and a small tail must not pin a large chunk in memory.
    if (part.length > 0) this.#parts.push(Buffer.from(part));
    this.#pending += part.length;
  }

  #finishCarried(sink: LineSink): void {
    const line = ++this.#lines;
    if (!this.#skipping) {
      const buf = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#pending);
      const end = buf.length > 0 && buf[buf.length - 1] === 13 ? buf.length - 1 : buf.length;
      sink.line({ buf, starts: [0], ends: [end], firstLine: line });
    }
    this.#parts = [];
    this.#pending = 0;
    this.#skipping = false;
  }
}
