import type { EcsEvent } from './ecs-event.js';

/** A line (NDJSON) or element (JSON array) that was not a JSON object: reported, counted, skipped. */
export interface MalformedInput {
  /** 1-based line number in the input (for a JSON array: the line where the element or the error is). */
  readonly line: number;
  readonly reason: string;
}

export interface EventReaderOptions {
  /** Called for each malformed line, in order. */
  readonly onMalformed?: (m: MalformedInput) => void;
  /** Lines longer than this are malformed (bounds memory on a file with no newlines). Default 64 MiB. */
  readonly maxLineBytes?: number;
}

export interface EventReaderStats {
  /** Input lines seen (NDJSON), including blank and malformed ones. */
  lines: number;
  events: number;
  malformed: number;
  /** Bytes consumed so far. */
  bytes: number;
  format: 'ndjson' | 'json-array' | 'empty';
}

const DEFAULT_MAX_LINE = 64 * 1024 * 1024;

/**
 * Reads ECS events from a byte stream: NDJSON (one object per line, streamed) or a JSON array (detected from
 * the first non-space character; read whole, then yielded). Blank lines are skipped; malformed lines are
 * counted with their line numbers and skipped. `stats` is live while iterating.
 */
export class EventReader {
  readonly stats: EventReaderStats = { lines: 0, events: 0, malformed: 0, bytes: 0, format: 'empty' };
  private readonly maxLine: number;

  constructor(private readonly options: EventReaderOptions = {}) {
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
  }

  private malformed(line: number, reason: string): void {
    this.stats.malformed++;
    this.options.onMalformed?.({ line, reason });
  }

  /** Events one at a time (convenience over `batches`). */
  async *read(input: AsyncIterable<Buffer | string>): AsyncGenerator<EcsEvent> {
    for await (const batch of this.batches(input)) yield* batch;
  }

  /**
   * Events in batches, one per input chunk: the fast path (one await per chunk, not per event). Each batch
   * holds the complete lines of the chunk; a partial line waits for the next chunk.
   */
  async *batches(input: AsyncIterable<Buffer | string>): AsyncGenerator<EcsEvent[]> {
    // Lines are cut on raw bytes (a newline byte never occurs inside a UTF-8 sequence), so each chunk's
    // complete lines decode in one call and only the partial last line is carried over.
    let rest: Buffer | null = null;
    let mode: 'unknown' | 'ndjson' | 'array' = 'unknown';
    const whole: Buffer[] = []; // JSON array mode: the file, read whole
    let skipping = false; // inside an over-long line
    for await (const chunk of input) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      this.stats.bytes += bytes.length;
      if (mode === 'unknown') {
        const first = firstNonSpace(bytes);
        if (first < 0) {
          whole.push(bytes);
          continue;
        }
        mode = bytes[first] === 0x5b ? 'array' : 'ndjson';
        this.stats.format = mode === 'array' ? 'json-array' : 'ndjson';
        if (mode === 'ndjson') {
          rest = whole.length > 0 ? Buffer.concat(whole) : null;
          whole.length = 0;
        }
      }
      if (mode === 'array') {
        whole.push(bytes);
        continue;
      }
      let data: Buffer = rest === null || rest.length === 0 ? bytes : Buffer.concat([rest, bytes]);
      rest = null;
      if (skipping) {
        const nl = data.indexOf(10);
        if (nl < 0) continue;
        data = data.subarray(nl + 1);
        skipping = false;
      }
      const lastNl = data.lastIndexOf(10);
      const out: EcsEvent[] = [];
      if (lastNl >= 0) {
        const text = data.toString('utf8', 0, lastNl + 1);
        this.lines(text, text.length - 1, out);
      }
      rest = lastNl >= 0 ? data.subarray(lastNl + 1) : data;
      if (rest.length > this.maxLine) {
        this.stats.lines++;
        this.malformed(++this.lineNo, `line longer than ${this.maxLine} bytes`);
        rest = null;
        skipping = true;
      }
      if (out.length > 0) yield out;
    }
    if (mode !== 'ndjson') {
      const text = Buffer.concat(whole).toString('utf8');
      if (mode === 'array') {
        const out = [...this.array(text)];
        if (out.length > 0) yield out;
      } else if (text.length > 0) this.lines(text + '\n', text.length, []);
      return;
    }
    if (!skipping && rest !== null && rest.length > 0) {
      const text = rest.toString('utf8');
      const out: EcsEvent[] = [];
      this.lines(text + '\n', text.length, out);
      if (out.length > 0) yield out;
    }
  }

  private lineNo = 0;

  /** Parses the lines of buf[0, end) (end is a newline position) into out. */
  private lines(buf: string, end: number, out: EcsEvent[]): void {
    let start = 0;
    while (start <= end) {
      let nl = buf.indexOf('\n', start);
      if (nl < 0 || nl > end) nl = end;
      this.line(buf, start, nl, out);
      start = nl + 1;
    }
  }

  private line(buf: string, start: number, nl: number, out: EcsEvent[]): void {
    this.stats.lines++;
    const lineNo = ++this.lineNo;
    let stop = nl;
    if (stop > start && buf.charCodeAt(stop - 1) === 13) stop--;
    if (stop === start) return;
    let line = buf.slice(start, stop);
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1); // a UTF-8 byte order mark
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      if (line.trim().length === 0) return;
      this.malformed(lineNo, (err as Error).message);
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.malformed(lineNo, `expected a JSON object, found ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
      return;
    }
    this.stats.events++;
    out.push(v as EcsEvent);
  }

  private *array(raw: string): Generator<EcsEvent> {
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    this.stats.lines = countLines(text);
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (err) {
      const msg = (err as Error).message;
      const pos = /position (\d+)/.exec(msg);
      this.malformed(pos === null ? (/end of JSON/.test(msg) ? countLines(text.trimEnd()) : 1) : lineAt(text, Number(pos[1])), `invalid JSON array: ${msg}`);
      return;
    }
    if (!Array.isArray(v)) {
      this.malformed(1, 'expected a JSON array of objects');
      return;
    }
    v.forEach((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) this.malformed(1, `array element ${i} is not a JSON object`);
    });
    for (const item of v) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
      this.stats.events++;
      yield item as EcsEvent;
    }
  }
}

function firstNonSpace(b: Buffer): number {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xef && c !== 0xbb && c !== 0xbf) return i;
  }
  return -1;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function lineAt(text: string, pos: number): number {
  return countLines(text.slice(0, pos));
}

/** Convenience: reads every event of a stream into an array. */
export async function readAllEvents(input: AsyncIterable<Buffer | string>, options: EventReaderOptions = {}): Promise<{ events: EcsEvent[]; stats: EventReaderStats }> {
  const reader = new EventReader(options);
  const events: EcsEvent[] = [];
  for await (const e of reader.read(input)) events.push(e);
  return { events, stats: reader.stats };
}
