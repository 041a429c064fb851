import { StringDecoder } from 'node:string_decoder';
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
  /** Characters consumed so far. */
  chars: number;
  format: 'ndjson' | 'json-array' | 'empty';
}

const DEFAULT_MAX_LINE = 64 * 1024 * 1024;

/**
 * Reads ECS events from a byte stream: NDJSON (one object per line, streamed) or a JSON array (detected from
 * the first non-space character; read whole, then yielded). Blank lines are skipped; malformed lines are
 * counted with their line numbers and skipped. `stats` is live while iterating.
 */
export class EventReader {
  readonly stats: EventReaderStats = { lines: 0, events: 0, malformed: 0, chars: 0, format: 'empty' };
  private readonly maxLine: number;

  constructor(private readonly options: EventReaderOptions = {}) {
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
  }

  private malformed(line: number, reason: string): void {
    this.stats.malformed++;
    this.options.onMalformed?.({ line, reason });
  }

  async *read(input: AsyncIterable<Buffer | string>): AsyncGenerator<EcsEvent> {
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let mode: 'unknown' | 'ndjson' | 'array' = 'unknown';
    let skipping = false; // inside an over-long line
    let lineNo = 0;
    for await (const chunk of input) {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      this.stats.chars += text.length;
      if (mode === 'unknown') {
        pending += text;
        const first = pending.search(/\S/);
        if (first < 0) continue;
        mode = pending[first] === '[' ? 'array' : 'ndjson';
        this.stats.format = mode === 'array' ? 'json-array' : 'ndjson';
        if (mode === 'array') continue;
        const all = pending;
        pending = '';
        yield* this.lines(all, () => ++lineNo, (rest) => (pending = rest), false);
        continue;
      }
      if (mode === 'array') {
        pending += text;
        continue;
      }
      let buf = pending + text;
      if (skipping) {
        const nl = buf.indexOf('\n');
        if (nl < 0) continue;
        buf = buf.slice(nl + 1);
        skipping = false;
      }
      pending = '';
      yield* this.lines(buf, () => ++lineNo, (rest) => (pending = rest), false);
      if (pending.length > this.maxLine) {
        this.stats.lines++;
        this.malformed(++lineNo, `line longer than ${this.maxLine} characters`);
        pending = '';
        skipping = true;
      }
    }
    const tail = pending + (mode === 'unknown' ? '' : decoder.end());
    if (mode === 'array' || (mode === 'unknown' && tail.trimStart().startsWith('['))) {
      this.stats.format = 'json-array';
      yield* this.array(tail);
    } else if (!skipping && tail.length > 0) {
      yield* this.lines(tail, () => ++lineNo, () => undefined, true);
    }
  }

  private *lines(buf: string, nextLine: () => number, keep: (rest: string) => void, final: boolean): Generator<EcsEvent> {
    let start = 0;
    for (;;) {
      const nl = buf.indexOf('\n', start);
      if (nl < 0) {
        if (final) {
          if (start < buf.length) yield* this.line(buf.slice(start), nextLine());
        } else keep(buf.slice(start));
        return;
      }
      yield* this.line(buf.slice(start, nl), nextLine());
      start = nl + 1;
    }
  }

  private *line(raw: string, lineNo: number): Generator<EcsEvent> {
    this.stats.lines++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length === 0 || line.trim().length === 0) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      this.malformed(lineNo, (err as Error).message);
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.malformed(lineNo, `expected a JSON object, found ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
      return;
    }
    this.stats.events++;
    yield v as EcsEvent;
  }

  private *array(text: string): Generator<EcsEvent> {
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
