/**
 * Streams the elements of a top-level JSON array (`[ {...}, {...} ]`) out of a byte stream without holding
 * the array: each element is cut on raw bytes (strings and nesting tracked) and handed out as one range,
 * with the line it starts on. An element longer than the cap is dropped and reported; a broken array is
 * reported once with its line, and whatever came before the break is kept.
 */
export interface ArraySink {
  element(buf: Buffer, start: number, end: number, line: number, index: number): void;
  /** The array is broken here; nothing after it is read. */
  error(line: number, reason: string): void;
  oversize(line: number, index: number): void;
}

const State = { Before: 0, FirstValue: 1, Value: 2, After: 3, NextValue: 4, Done: 5, Failed: 6 } as const;
type State = (typeof State)[keyof typeof State];

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export class JsonArraySplitter {
  #state: State = State.Before;
  #line: number;
  #index = 0;
  // The element being cut.
  #depth = 0;
  #inString = false;
  #escape = false;
  #bare = false;
  #elementLine = 0;
  #parts: Buffer[] = [];
  #pending = 0;
  #oversize = false;

  /** `line`: the line the first byte given to `push` is on. */
  readonly #maxElementBytes: number;

  constructor(maxElementBytes: number, line = 1) {
    this.#maxElementBytes = maxElementBytes;
    this.#line = line;
  }

  /** Lines seen so far (the line the next byte is on). */
  get line(): number {
    return this.#line;
  }

  push(chunk: Buffer, sink: ArraySink): void {
    let start = this.#state === State.Value ? 0 : -1; // where the current element's bytes begin in this chunk
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      switch (this.#state) {
        case State.Before:
          if (c === 0x5b) this.#state = State.FirstValue;
          else if (!isSpace(c) && !(this.#line === 1 && (c === 0xef || c === 0xbb || c === 0xbf))) this.#fail(sink, 'expected [');
          break;
        case State.FirstValue:
        case State.NextValue:
          if (isSpace(c)) break;
          if (c === 0x5d) {
            if (this.#state === State.NextValue) this.#fail(sink, `a comma before ] after element ${this.#index - 1}`);
            else this.#state = State.Done;
            break;
          }
          this.#begin(c);
          start = i;
          if (this.#bare && i + 1 < chunk.length && this.#bareEnds(chunk[i + 1]!)) {
            this.#finish(chunk, start, i + 1, sink);
            start = -1;
          } else if (!this.#bare && this.#depth === 0 && !this.#inString) {
            this.#finish(chunk, start, i + 1, sink);
            start = -1;
          }
          break;
        case State.Value:
          if (this.#step(c)) {
            // A bare scalar ends before its delimiter (read here as the byte after it); anything else ends on this byte.
            const bare = this.#bare;
            this.#finish(chunk, Math.max(start, 0), bare ? i : i + 1, sink);
            start = -1;
            if (bare && c === 0x2c) this.#state = State.NextValue;
            else if (bare && c === 0x5d) this.#state = State.Done;
          }
          break;
        case State.After:
          if (isSpace(c)) break;
          if (c === 0x2c) this.#state = State.NextValue;
          else if (c === 0x5d) this.#state = State.Done;
          else this.#fail(sink, `expected , or ] after element ${this.#index - 1}`);
          break;
        case State.Done:
          if (!isSpace(c)) this.#fail(sink, 'unexpected data after the array');
          break;
        case State.Failed:
          return;
      }
      if (c === 0x0a) this.#line++;
    }
    if (this.#state === State.Value) this.#keep(chunk.subarray(Math.max(start, 0)), sink);
  }

  end(sink: ArraySink): void {
    if (this.#state === State.Value && this.#bare) {
      this.#finish(Buffer.alloc(0), 0, 0, sink);
    }
    if (this.#state === State.Done || this.#state === State.Failed) return;
    if (this.#state === State.Before) return; // only spaces: an empty input
    this.#fail(sink, `the array is not closed (input ended inside ${this.#state === State.Value ? `element ${this.#index}` : 'the array'})`);
  }

  #begin(c: number): void {
    this.#state = State.Value;
    this.#elementLine = this.#line;
    this.#parts = [];
    this.#pending = 0;
    this.#oversize = false;
    this.#escape = false;
    this.#bare = c !== 0x7b && c !== 0x5b && c !== 0x22;
    this.#inString = c === 0x22;
    this.#depth = c === 0x7b || c === 0x5b ? 1 : 0;
  }

  #bareEnds(c: number): boolean {
    return isSpace(c) || c === 0x2c || c === 0x5d;
  }

  /** Advances the element by one byte; true when the element ended. */
  #step(c: number): boolean {
    if (this.#bare) return this.#bareEnds(c);
    if (this.#inString) {
      if (this.#escape) this.#escape = false;
      else if (c === 0x5c) this.#escape = true;
      else if (c === 0x22) {
        this.#inString = false;
        return this.#depth === 0;
      }
      return false;
    }
    if (c === 0x22) this.#inString = true;
    else if (c === 0x7b || c === 0x5b) this.#depth++;
    else if (c === 0x7d || c === 0x5d) return --this.#depth === 0;
    return false;
  }

  #keep(part: Buffer, sink: ArraySink): void {
    if (this.#oversize) return;
    if (this.#pending + part.length > this.#maxElementBytes) {
      this.#oversize = true;
      this.#parts = [];
      this.#pending = 0;
      sink.oversize(this.#elementLine, this.#index);
      return;
    }
    if (part.length > 0) this.#parts.push(Buffer.from(part));
    this.#pending += part.length;
  }

  #finish(chunk: Buffer, start: number, end: number, sink: ArraySink): void {
    const index = this.#index++;
    this.#state = State.After;
    if (this.#parts.length === 0 && !this.#oversize && end - start <= this.#maxElementBytes) {
      sink.element(chunk, start, end, this.#elementLine, index);
      return;
    }
    this.#keep(chunk.subarray(start, end), sink);
    if (this.#oversize) return;
    const buf = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#pending);
    this.#parts = [];
    this.#pending = 0;
    sink.element(buf, 0, buf.length, this.#elementLine, index);
  }

  #fail(sink: ArraySink, reason: string): void {
    this.#state = State.Failed;
    sink.error(this.#line, `invalid JSON array: ${reason}`);
  }
}
