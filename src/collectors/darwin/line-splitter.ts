import { ByteLineSplitter, type LineRun, type LineSink } from '../../line-splitter.js';

/**
 * eslogger's JSON lines: the shared bounded splitter (LF; a trailing CR is dropped), each line decoded as
 * UTF-8 with invalid sequences replaced by U+FFFD. A line longer than `maxLineBytes` is discarded up to its
 * end and counted in `oversize`, so one runaway line cannot hold unbounded memory.
 */
export class LineSplitter {
  readonly #bytes: ByteLineSplitter;
  #oversize = 0;
  #out: string[] = [];
  readonly #sink: LineSink = {
    line: (run: LineRun) => {
      for (let i = 0; i < run.starts.length; i++) this.#out.push(run.buf.toString('utf8', run.starts[i], run.ends[i]));
    },
    oversize: () => {
      this.#oversize++;
    },
  };

  constructor(maxLineBytes = 16 * 1024 * 1024) {
    this.#bytes = new ByteLineSplitter(maxLineBytes);
  }

  push(chunk: Buffer): string[] {
    this.#bytes.push(chunk, this.#sink);
    return this.#take();
  }

  /** The last line when the stream ended without a newline. */
  end(): string[] {
    this.#bytes.end(this.#sink);
    return this.#take();
  }

  get oversize(): number {
    return this.#oversize;
  }

  #take(): string[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
}
