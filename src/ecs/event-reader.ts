import { ByteLineSplitter, type LineRun } from '../line-splitter.js';
import type { EcsEvent } from './ecs-event.js';
import { JsonArraySplitter } from './json-array-splitter.js';

/** A line (NDJSON) or element (JSON array) that was not a JSON object: reported, counted, skipped. */
export interface MalformedInput {
  /** 1-based line number in the input (for a JSON array: the line where the element or the error is). */
  readonly line: number;
  readonly reason: string;
}

/**
 * Picks the NDJSON lines of a run worth parsing (a byte-level prefilter): `out[i] = 1` for line i of the run.
 * A line left at 0 is not parsed when it has the shape of an object (`{` ... `}`); it is counted as an event
 * and in `skipped`. Any other line is parsed, so malformed lines are still reported with their numbers.
 * Returns false to decline (every line of the run is parsed).
 */
export type LineSelector = (run: LineRun, out: Uint8Array) => boolean;

/** What a remote parse (worker threads) found in the lines it was given. */
export interface RemoteParseResult {
  /** Indices (in the run) of the lines worth keeping, in order: the reader parses these again. */
  readonly keep: readonly number[];
  /** Events among the lines read (kept or not). */
  readonly events: number;
  /** Events among them passed over by a selector (counted in `skipped`). */
  readonly skipped: number;
  readonly malformed: readonly MalformedInput[];
}

/**
 * Reads the lines of a run elsewhere (`vigil hunt`'s worker threads, which select, check and project them as
 * this reader would) and keeps only those worth keeping; the reader reads just those again (projected with
 * its `scan`, else parsed) and yields them, in input order. Used where most lines are dropped after reading.
 */
export interface RemoteParser {
  parse(run: LineRun): Promise<RemoteParseResult>;
  /**
   * Whether a run sent now would start at once. When it would wait, the reader reads the run itself, so
   * this thread works too and a slow (or starved) worker never holds the reading up. Default: always.
   */
  idle?(): boolean;
  /** Lines in flight at most (memory bound): the reader waits for the oldest run past this. Default 8 runs. */
  readonly maxRunsInFlight?: number;
}

/**
 * Reads NDJSON lines without a full parse (`vigil hunt`'s `LineProjector`): `valid` for the lines the selector
 * passes over (they are still checked, so a broken one is reported as without a selector), `project` for the
 * selected ones (an event holding only what the caller reads). Both may decline (false / null): the line is
 * then parsed in full as usual, so errors and their line numbers are unchanged.
 */
export interface LineScan {
  valid(buf: Buffer, s: number, e: number): boolean;
  project(buf: Buffer, s: number, e: number): EcsEvent | null;
  /**
   * `valid` for a whole run at once (the C scanner): `out[i] = 1` for each line i with `sel[i] === 0` that
   * `valid` accepts, else 0. Absent when only the per-line check exists.
   */
  validRun?(run: LineRun, sel: Uint8Array, out: Uint8Array): void;
}

export interface EventReaderOptions {
  /** Called for each malformed line, in order. */
  readonly onMalformed?: (m: MalformedInput) => void;
  /** Lines (and array elements) longer than this are malformed: memory stays bounded. Default 64 MiB. */
  readonly maxLineBytes?: number;
  /** NDJSON only: parse only the lines this selects. */
  readonly select?: LineSelector;
  /** NDJSON: check the lines the selector passes over, project the ones it selects (every line without one). */
  readonly scan?: LineScan;
  /** NDJSON only: read every run on worker threads; the reader then yields only the lines they keep. */
  readonly remote?: RemoteParser;
}

export interface EventReaderStats {
  /** Input lines seen (NDJSON), including blank and malformed ones. */
  lines: number;
  events: number;
  malformed: number;
  /** Object-shaped lines the selector passed over without parsing (included in `events`). */
  skipped: number;
  /** Bytes consumed so far. */
  bytes: number;
  format: 'ndjson' | 'json-array' | 'empty';
}

const DEFAULT_MAX_LINE = 64 * 1024 * 1024;

/**
 * Reads ECS events from a byte stream: NDJSON (one object per line) or a JSON array (detected from the
 * first non-space character), both streamed in bounded memory. Blank lines are skipped; malformed lines
 * are counted with their line numbers and skipped. `stats` is live while iterating.
 */
export class EventReader {
  readonly stats: EventReaderStats = { lines: 0, events: 0, malformed: 0, skipped: 0, bytes: 0, format: 'empty' };
  readonly #maxLine: number;
  #selected = new Uint8Array(1024);
  #valid = new Uint8Array(1024);

  readonly #options: EventReaderOptions;

  constructor(options: EventReaderOptions = {}) {
    this.#options = options;
    this.#maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
  }

  /** While reading a run here between remote ones: its malformed lines, reported when its turn comes. */
  #deferred: MalformedInput[] | null = null;

  #malformed(line: number, reason: string): void {
    if (this.#deferred !== null) {
      this.#deferred.push({ line, reason });
      return;
    }
    this.stats.malformed++;
    this.#options.onMalformed?.({ line, reason });
  }

  /** Reads a run on this thread now; what to do when its turn comes (after the remote runs before it). */
  #localRun(run: LineRun, emit: (e: EcsEvent) => void): () => void {
    const events: EcsEvent[] = [];
    const malformed: MalformedInput[] = [];
    this.#deferred = malformed;
    try {
      this.#run(run, events);
    } finally {
      this.#deferred = null;
    }
    return () => {
      for (const m of malformed) this.#malformed(m.line, m.reason);
      for (const e of events) emit(e);
    };
  }

  /** Events one at a time (convenience over `batches`). */
  async *read(input: AsyncIterable<Buffer | string>): AsyncGenerator<EcsEvent> {
    for await (const batch of this.batches(input)) yield* batch;
  }

  /** Events in batches, one per input chunk (maybe empty): the fast path (one await per chunk, not per event). */
  async *batches(input: AsyncIterable<Buffer | string>): AsyncGenerator<EcsEvent[]> {
    let out: EcsEvent[] = [];
    const lines = new ByteLineSplitter(this.#maxLine);
    // With a remote parser, runs wait in `pending` (in order, oversize reports included) for their answers.
    const remote = this.#options.remote;
    const pending: Array<Promise<() => void>> = [];
    const maxInFlight = remote?.maxRunsInFlight ?? 8;
    const lineSink = {
      line: (run: LineRun) => {
        if (remote === undefined) this.#run(run, out);
        else if (remote.idle?.() === false) pending.push(Promise.resolve(this.#localRun(run, (e) => out.push(e))));
        else {
          const answer = this.#remoteRun(remote, run, (e) => out.push(e));
          answer.catch(() => undefined); // awaited in order below, where a failure is thrown
          pending.push(answer);
        }
      },
      oversize: (line: number) => {
        const report = (): void => this.#malformed(line, `line longer than ${this.#maxLine} bytes`);
        if (remote === undefined) report();
        else pending.push(Promise.resolve(report));
      },
    };
    let array: JsonArraySplitter | null = null;
    const arraySink = {
      element: (buf: Buffer, start: number, end: number, line: number, index: number) => this.#element(buf, start, end, line, index, out),
      error: (line: number, reason: string) => this.#malformed(line, reason),
      oversize: (line: number, index: number) => this.#malformed(line, `array element ${index} longer than ${this.#maxLine} bytes`),
    };
    let mode: 'unknown' | 'ndjson' | 'array' = 'unknown';
    for await (const chunk of input) {
      let bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      this.stats.bytes += bytes.length;
      if (mode === 'unknown') {
        const first = firstNonSpace(bytes, lines.lines === 0);
        if (first < 0) {
          // Only spaces so far: blank lines either way; the splitter counts them (and keeps a partial one).
          lines.push(bytes, lineSink);
          continue;
        }
        mode = bytes[first] === 0x5b ? 'array' : 'ndjson';
        this.stats.format = mode === 'array' ? 'json-array' : 'ndjson';
        if (mode === 'array') {
          const nl = bytes.lastIndexOf(10, first);
          if (nl >= 0) lines.push(bytes.subarray(0, nl + 1), lineSink);
          array = new JsonArraySplitter(this.#maxLine, lines.lines + 1);
          bytes = bytes.subarray(nl + 1);
        }
      }
      if (array !== null) array.push(bytes, arraySink);
      else lines.push(bytes, lineSink);
      while (pending.length > maxInFlight) (await pending.shift()!)();
      // One batch per chunk, empty when the prefilter skipped it all: the caller's progress still moves.
      yield out;
      out = [];
    }
    if (array !== null) {
      array.end(arraySink);
      this.stats.lines = array.line;
    } else lines.end(lineSink);
    while (pending.length > 0) (await pending.shift()!)();
    if (out.length > 0) yield out;
  }

  /** Sends a run to the remote parser; resolves with what to do when its turn comes. */
  async #remoteRun(remote: RemoteParser, run: LineRun, emit: (e: EcsEvent) => void): Promise<() => void> {
    const { buf, starts, ends, firstLine } = run;
    this.stats.lines += starts.length;
    const result = await remote.parse(run);
    return () => {
      this.stats.events += result.events;
      this.stats.skipped += result.skipped;
      for (const m of result.malformed) this.#malformed(m.line, m.reason);
      const kept: EcsEvent[] = [];
      const before = this.stats.events;
      const scan = this.#options.scan;
      for (const i of result.keep) {
        const line = firstLine + i;
        const event = scan === undefined ? null : scan.project(buf, afterBom(buf, starts[i]!, ends[i]!, line), ends[i]!);
        if (event !== null) kept.push(event);
        else this.#parse(buf.toString('utf8', starts[i], ends[i]), line, kept);
      }
      this.stats.events = before; // counted by the remote parse
      for (const e of kept) emit(e);
    };
  }

  /**
   * The events of one run of lines, read as `batches` reads them (selector, scan, malformed lines reported);
   * `indices` receives the index in the run of each. For `vigil hunt`'s parse workers.
   */
  readRun(run: LineRun, indices: number[]): EcsEvent[] {
    const out: EcsEvent[] = [];
    this.#run(run, out, indices);
    return out;
  }

  /** The lines of one run: selected (or all) parsed, the others counted. */
  #run(run: LineRun, out: EcsEvent[], indices?: number[]): void {
    const n = run.starts.length;
    this.stats.lines += n;
    const select = this.#options.select;
    if (select === undefined && this.#options.scan === undefined) {
      this.#parseRun(run, out, indices);
      return;
    }
    if (this.#selected.length < n) this.#selected = new Uint8Array(Math.max(n, 2 * this.#selected.length));
    const sel = this.#selected;
    sel.fill(0, 0, n);
    if (select !== undefined && select(run, sel)) this.#runSelected(run, sel, out, indices);
    else if (this.#options.scan !== undefined) {
      // No selector, or it declined: a scan projects every line.
      sel.fill(1, 0, n);
      this.#runSelected(run, sel, out, indices);
    } else this.#parseRun(run, out, indices);
  }

  #runSelected(run: LineRun, sel: Uint8Array, out: EcsEvent[], indices?: number[]): void {
    const { buf, starts, ends, firstLine } = run;
    const scan = this.#options.scan;
    // The lines passed over, checked in one call where the C scanner does it (valid implies object-shaped).
    let valid: Uint8Array | null = null;
    if (scan?.validRun !== undefined) {
      if (this.#valid.length < sel.length) this.#valid = new Uint8Array(sel.length);
      valid = this.#valid;
      scan.validRun(run, sel, valid);
    }
    for (let i = 0; i < starts.length; i++) {
      const line = firstLine + i;
      const s = starts[i]!;
      const e = ends[i]!;
      if (sel[i] === 0) {
        if (valid !== null && valid[i] === 1) {
          this.stats.events++;
          this.stats.skipped++;
          continue;
        }
        const shape = lineShape(buf, s, e, line === 1);
        if (shape === SHAPE_BLANK) continue;
        if (shape === SHAPE_OBJECT && (scan === undefined || scan.valid(buf, afterBom(buf, s, e, line), e))) {
          this.stats.events++;
          this.stats.skipped++;
          continue;
        }
      } else if (scan !== undefined) {
        const event = scan.project(buf, afterBom(buf, s, e, line), e);
        if (event !== null) {
          this.stats.events++;
          out.push(event);
          indices?.push(i);
          continue;
        }
      }
      if (this.#parse(buf.toString('utf8', s, e), line, out)) indices?.push(i);
    }
  }

  /** Every line of a run, decoded in one call and cut on the string (cheaper than one decode per line). */
  #parseRun(run: LineRun, out: EcsEvent[], indices?: number[]): void {
    const { buf, starts, ends, firstLine } = run;
    const n = starts.length;
    const base = starts[0]!;
    const text = buf.toString('utf8', base, ends[n - 1]);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      let nl = i + 1 < n ? text.indexOf('\n', pos) : text.length;
      const next = nl + 1;
      if (nl > pos && text.charCodeAt(nl - 1) === 13) nl--;
      if (this.#parse(text.slice(pos, nl), firstLine + i, out)) indices?.push(i);
      pos = next;
    }
  }

  /** Parses one line into `out`; true when it was an event. */
  #parse(text: string, lineNo: number, out: EcsEvent[]): boolean {
    if (text.length === 0) return false;
    const line = lineNo === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 byte order mark
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      if (line.trim().length === 0) return false;
      this.#malformed(lineNo, (err as Error).message);
      return false;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.#malformed(lineNo, `expected a JSON object, found ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
      return false;
    }
    this.stats.events++;
    out.push(v as EcsEvent);
    return true;
  }

  #element(buf: Buffer, start: number, end: number, line: number, index: number, out: EcsEvent[]): void {
    let v: unknown;
    try {
      v = JSON.parse(buf.toString('utf8', start, end));
    } catch (err) {
      this.#malformed(line, `array element ${index}: ${(err as Error).message}`);
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.#malformed(line, `array element ${index} is not a JSON object`);
      return;
    }
    this.stats.events++;
    out.push(v as EcsEvent);
  }
}

const SHAPE_BLANK = 0;
const SHAPE_OBJECT = 1;
const SHAPE_OTHER = 2;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/** Blank, `{ ... }` (an object unless its inside is broken), or anything else. Line 1 may start with a BOM. */
function lineShape(buf: Buffer, s: number, e: number, first: boolean): number {
  if (first && e - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) s += 3;
  while (s < e && isSpace(buf[s]!)) s++;
  if (s === e) return SHAPE_BLANK;
  while (e > s && isSpace(buf[e - 1]!)) e--;
  return buf[s] === 0x7b && buf[e - 1] === 0x7d && e - s >= 2 ? SHAPE_OBJECT : SHAPE_OTHER;
}

/** Where line 1's content starts after a UTF-8 byte order mark. */
function afterBom(buf: Buffer, s: number, e: number, line: number): number {
  return line === 1 && e - s >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf ? s + 3 : s;
}

function firstNonSpace(b: Buffer, atStart: boolean): number {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (isSpace(c)) continue;
    if (atStart && i < 3 && (c === 0xef || c === 0xbb || c === 0xbf)) continue;
    return i;
  }
  return -1;
}

/** Convenience: reads every event of a stream into an array. */
export async function readAllEvents(input: AsyncIterable<Buffer | string>, options: EventReaderOptions = {}): Promise<{ events: EcsEvent[]; stats: EventReaderStats }> {
  const reader = new EventReader(options);
  const events: EcsEvent[] = [];
  for await (const e of reader.read(input)) events.push(e);
  return { events, stats: reader.stats };
}
