import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { Command } from 'commander';
import type { EcsEvent } from '../ecs/ecs-event.js';
import { EventReader } from '../ecs/event-reader.js';
import { compileTimestampReader } from '../ecs/event-order.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import { MAX_EVENT_DEPTH, nestsDeeperThan } from '../ecs/event-depth.js';
import { compileQuery, EqlError, type CompiledQuery } from '../eql/index.js';
import { applyPipes } from '../eql/apply-pipes.js';
import { runSampleBatch, runSequenceBatch } from '../sequence/batch.js';
import { HUNT_OUTPUTS, hitToJson, renderTable, type HuntHit, type HuntOutput } from './hunt-output.js';
import { queryFilters } from './hunt-filters.js';
import { ParsePool } from './hunt-parse-pool.js';
import { HuntProgress, type ProgressSink } from './hunt-progress.js';
import { KeptLines } from './hunt-sparse-events.js';
import { fieldsLineScan, huntLineReading } from './hunt-line-reading.js';
import { LaterStageLines } from './hunt-later-stages.js';
import { choiceOption, integerArg } from './cli-options.js';
import { terminalText } from './terminal-text.js';
import { huntWindow, TimedEventWindow } from './hunt-window.js';

export interface HuntOptions {
  readonly query: string;
  /** A file path, or `-` / undefined for stdin. */
  readonly events?: string;
  readonly categoryField?: string;
  readonly timestampField?: string;
  readonly tiebreakerField?: string;
  /** Caps the number of hits (0: none, as Elasticsearch's `size: 0`); no cap when undefined. */
  readonly size?: number;
  readonly maxSamplesPerKey?: number;
  readonly output?: HuntOutput;
  /**
   * Skip lines that cannot match, check them without a parse, project the others to the fields the query
   * reads (default on). Off (`--no-prefilter`): every line parsed in full, the differential tests' reference.
   */
  readonly prefilter?: boolean;
  /**
   * Worker threads that read runs of lines beside this thread (0: none). Default, for a file of 64 MB or
   * more: one per core idle beyond this thread (the cores minus the 1-minute load average), at most 3.
   */
  readonly parseWorkers?: number;
  /** Bytes of kept lines held in memory before the rest go to a temporary file (default 16 MiB; tests set it low). */
  readonly keptLineBytes?: number;
  /** False: the JavaScript line checks and search even where the C line scanner is built (tests). Default true. */
  readonly nativeScan?: boolean;
}

/** Where a hunt reads and writes: the process's streams, or captured ones in tests. */
export interface HuntIO {
  readonly stdin: AsyncIterable<Buffer | string>;
  readonly stdout: { write(s: string): unknown };
  readonly stderr: ProgressSink;
}

export interface HuntSummary {
  readonly exitCode: number;
  readonly hits: number;
  readonly events: number;
  readonly malformed: number;
  readonly withoutTimestamp: number;
  /** Lines the prefilter passed over without parsing. */
  readonly skipped: number;
  /** Later-stage lines of a sequence held on their key (LaterStageLines), and those of them dropped. */
  readonly laterStages?: { readonly held: number; readonly dropped: number };
}


/**
 * Runs one hunt: compile, read and order the events, match, print. The CLI and the conformance tests both
 * come through here. Exit codes: 0 success (zero hits included), 2 bad query or bad option, 1 unreadable input.
 */
export async function runHunt(options: HuntOptions, io: HuntIO): Promise<HuntSummary> {
  const fail = (code: number, message: string): HuntSummary => {
    io.stderr.write(terminalText(`vigil hunt: ${message}`) + '\n');
    return { exitCode: code, hits: 0, events: 0, malformed: 0, withoutTimestamp: 0, skipped: 0 };
  };
  const output = options.output ?? 'ndjson';
  if (!(HUNT_OUTPUTS as readonly string[]).includes(output)) return fail(2, `--output must be one of ${HUNT_OUTPUTS.join(', ')}`);
  if (options.size !== undefined && (!Number.isSafeInteger(options.size) || options.size < 0)) return fail(2, '--size must be a non-negative integer');
  const perKey = options.maxSamplesPerKey;
  if (perKey !== undefined && (!Number.isSafeInteger(perKey) || perKey < 1)) return fail(2, '--max-samples-per-key must be a positive integer');
  const pw = options.parseWorkers;
  if (pw !== undefined && (!Number.isSafeInteger(pw) || pw < 0 || pw > 64)) return fail(2, 'parseWorkers must be an integer from 0 to 64');
  const categoryField = options.categoryField ?? 'event.category';
  const timestampField = options.timestampField ?? '@timestamp';
  let query: CompiledQuery;
  try {
    query = compileQuery(options.query, { categoryField, timestampField });
  } catch (err) {
    if (err instanceof EqlError) return fail(2, err.message);
    throw err;
  }

  // Events that no stage can match never affect a result: keep only the candidates (bounded by the matches).
  const candidate = queryFilters(query);
  const readTime = compileTimestampReader(timestampField);
  const readTiebreaker = options.tiebreakerField === undefined ? () => undefined : compileFieldGetter(options.tiebreakerField);

  // Lines the prefilter selects are projected (only the fields the query reads), the others checked without
  // a parse; events are parsed in full only when printed. Worker threads do the same on big files.
  const reading = { query: options.query, categoryField, timestampField, tiebreakerField: options.tiebreakerField, prefilter: options.prefilter !== false, nativeScan: options.nativeScan !== false };
  const lineReading = huntLineReading(query, reading);
  // A sequence's later-stage lines are read on their key first; those no first-stage event joins are dropped.
  const fields = { categoryField, timestampField };
  const later = LaterStageLines.create(query, fields, fieldsLineScan(LaterStageLines.keyFields(query, fields), reading), lineReading.scan, options.keptLineBytes);
  const workers = parseWorkers(options);
  // Started now, so that the workers load while this thread opens the input.
  const pool = workers === 0 ? null : new ParsePool(workers, reading);
  const reader = new EventReader({
    onMalformed: (m) => io.stderr.write(terminalText(`vigil hunt: line ${m.line}: skipped malformed input: ${m.reason}`) + '\n'),
    ...lineReading,
    ...(later === null ? {} : { scan: later.scan() }),
    ...(pool === null ? {} : { remote: { parse: (run) => pool.parse(run), idle: () => pool.idle(), maxRunsInFlight: 2 * workers + 4 } }),
  });
  const progress = new HuntProgress(io.stderr);
  // Event queries keep only what their pipes / --size can print; sequences need every candidate.
  const kept = new TimedEventWindow(query.kind === 'event' ? huntWindow(query.pipes, options.size) : null);
  // The lines of kept sparse events, in memory up to a budget, then in a temporary file.
  const keptLines = new KeptLines(options.keptLineBytes);
  let withoutTimestamp = 0;
  let tooDeep = 0;
  let index = 0;
  let input: AsyncIterable<Buffer | string>;
  if (options.events === undefined || options.events === '-') input = io.stdin;
  else {
    // Where each chunk lies in the file: a held later-stage line is read again from there if it joins.
    const chunkAt = new WeakMap<ArrayBufferLike, number>();
    input = fileChunks(options.events, pool === null ? 'reused' : 'shared', chunkAt);
    if (later !== null) {
      const path = options.events;
      later.fileOffset = (buf, s) => {
        const at = chunkAt.get(buf.buffer);
        return at === undefined ? -1 : at + buf.byteOffset + s;
      };
      later.readFile = (at, length) => readAt(path, at, length);
    }
  }
  try {
    for await (const batch of reader.batches(input)) {
      for (const event of batch) {
        index++;
        if (later !== null && later.isDeferred(event)) {
          const full = later.hold(event, index, readTime);
          if (full !== null) take(full, index);
        } else take(event, index);
      }
      progress.tick(reader.stats.events); // skipped lines included
    }
    if (later !== null) for (const h of later.joining()) take(h.event, h.index);
  } catch (err) {
    progress.done();
    keptLines.close();
    later?.close();
    return fail(1, `cannot read ${options.events ?? 'stdin'}: ${(err as Error).message}`);
  } finally {
    await pool?.close();
  }
  progress.done();
  try {
    return await matchAndPrint();
  } finally {
    keptLines.close();
    later?.close();
  }

  /** One event read at `index`: kept when a filter of the query matches it and its time is readable. */
  function take(event: EcsEvent, index: number): void {
    if (!candidate(event)) return;
    // A hostile nesting depth would overflow whatever prints or hashes the event: counted, skipped. A
    // projected event's line was checked to nest at most MAX_EVENT_DEPTH levels by its projection.
    if (!keptLines.projected(event) && nestsDeeperThan(event)) {
      tooDeep++;
      return;
    }
    let timestamp = readTime(event);
    if (timestamp === null) {
      // Samples are not ordered by time (as in Elasticsearch): an event without one is sampled, after
      // the timed ones. Event queries and sequences need the time.
      if (query.kind !== 'sample') {
        withoutTimestamp++;
        return;
      }
      timestamp = Number.POSITIVE_INFINITY;
    }
    // An event query's hit is only printed from here on: its line is all it keeps.
    const retained = keptLines.retain(event, query.kind !== 'event');
    kept.push({ tiebreaker: readTiebreaker(event), event: retained, timestamp, index });
    later?.noteKept(retained);
  }

  async function matchAndPrint(): Promise<HuntSummary> {
    const ordered = kept.sorted();

    let hits: HuntHit[];
    if (query.kind === 'event') {
      hits = ordered.map((t) => ({ kind: 'event', event: t.event }));
    } else {
      const times = new Map<EcsEvent, number>();
      for (const t of ordered) times.set(t.event, t.timestamp);
      const batch = { timestamp: (e: EcsEvent) => times.get(e) ?? Number.NaN, maxSamplesPerKey: options.maxSamplesPerKey };
      const events = ordered.map((t) => t.event);
      const found = query.kind === 'sequence' ? runSequenceBatch(query, events, batch) : runSampleBatch(query, events, batch);
      hits = found.map((hit) => ({ kind: 'sequence', hit }));
    }
    hits = applyPipes(hits, query.pipes);
    if (options.size !== undefined) hits = hits.slice(0, options.size);
    // Sparse events become whole ones (an event hit printed as NDJSON may be printed from its line as is).
    const full = (e: EcsEvent): EcsEvent => keptLines.fullEvent(e);
    hits = hits.map((h) => (h.kind === 'event' ? (output === 'ndjson' ? h : { kind: 'event', event: full(h.event) }) : { kind: 'sequence', hit: { ...h.hit, events: h.hit.events.map((e) => (e === null ? null : full(e))) } }));

    if (output === 'ndjson') await writeNdjson(io.stdout, hits, keptLines);
    else io.stdout.write(renderTable(hits, { timestampField, categoryField, fields: query.fields, kind: query.kind }));
    const stats = reader.stats;
    if (stats.malformed > 0) io.stderr.write(`vigil hunt: skipped ${stats.malformed} malformed line(s)\n`);
    if (withoutTimestamp > 0) io.stderr.write(terminalText(`vigil hunt: skipped ${withoutTimestamp} event(s) without a readable ${timestampField}`) + '\n');
    if (tooDeep > 0) io.stderr.write(`vigil hunt: skipped ${tooDeep} event(s) nested deeper than ${MAX_EVENT_DEPTH} levels\n`);
    const laterStages = later === null ? {} : { laterStages: { held: later.deferred, dropped: later.dropped } };
    return { exitCode: 0, hits: hits.length, events: stats.events, malformed: stats.malformed, withoutTimestamp, skipped: stats.skipped, ...laterStages };
  }
}

const AUTO_WORKERS_MIN_BYTES = 64 * 1024 * 1024;

function parseWorkers(options: HuntOptions): number {
  if (options.parseWorkers !== undefined) return options.parseWorkers;
  if (options.events === undefined || options.events === '-') return 0;
  let size = 0;
  try {
    size = statSync(options.events).size;
  } catch {
    return 0; // the read reports the problem
  }
  if (size < AUTO_WORKERS_MIN_BYTES) return 0;
  // This thread reads runs too whenever the workers are busy: one worker per core left idle by it and by the
  // load already there (1-minute average). On a busy machine workers only add their own cost (start-up,
  // hand-over) to a CPU that is not free: the hunt then reads on this thread alone.
  const spare = Math.floor(availableParallelism() - loadavg()[0]!) - 1;
  return Math.max(0, Math.min(3, spare));
}

/**
 * A file in 1 MiB chunks. `shared`: each in its own shared memory, which the parse workers read in place (no
 * copy per run). `reused`: two buffers in turn (no fresh memory, no page faults per chunk): a chunk is read
 * again only after the next one was handed out, by which time the reader and the hunt are done with it (the
 * line splitter copies the partial line it carries; kept lines are copied by `KeptLines`).
 */
async function* fileChunks(path: string, mode: 'shared' | 'reused', chunkAt: WeakMap<ArrayBufferLike, number>, size = 1 << 20): AsyncGenerator<Buffer> {
  // Plain blocking reads: a recording comes from a disk or the page cache, and the hunt has nothing else to do.
  const fd = openSync(path, 'r');
  const buffers = mode === 'reused' ? [Buffer.allocUnsafeSlow(size), Buffer.allocUnsafeSlow(size)] : [];
  try {
    for (let n = 0, at = 0; ; n++) {
      const chunk = mode === 'shared' ? Buffer.from(new SharedArrayBuffer(size)) : buffers[n % 2]!;
      const bytesRead = readSync(fd, chunk, 0, size, null);
      if (bytesRead === 0) return;
      // The chunk starts its memory (byteOffset 0): a view of it at b holds the file's byte at + b.
      chunkAt.set(chunk.buffer, at);
      at += bytesRead;
      yield bytesRead < size ? chunk.subarray(0, bytesRead) : chunk;
    }
  } finally {
    closeSync(fd);
  }
}

/** `length` bytes of the file at `at`. */
function readAt(path: string, at: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buf, read, length - read, at + read);
      if (n === 0) throw new Error('the input changed while it was read');
      read += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

const OUTPUT_CHUNK = 256 * 1024;

/** Writes hits in chunks and waits for 'drain' when the stream asks to, so output never piles up in memory. */
async function writeNdjson(out: HuntIO['stdout'], hits: readonly HuntHit[], lines: KeptLines): Promise<void> {
  let buf = '';
  const flush = async (): Promise<void> => {
    const more = out.write(buf);
    buf = '';
    const stream = out as Partial<NodeJS.WritableStream>;
    if (more === false && typeof stream.once === 'function') await new Promise<void>((resolve) => stream.once!('drain', () => resolve()));
  };
  for (const h of hits) {
    // An event whose line is already what JSON.stringify writes is printed from it, unparsed.
    const text = h.kind === 'event' ? lines.canonicalText(h.event) : null;
    if (text !== null) buf += `{"_source":${text}}\n`;
    else buf += `${JSON.stringify(hitToJson(h.kind === 'event' ? { kind: 'event', event: lines.fullEvent(h.event) } : h))}\n`;
    if (buf.length >= OUTPUT_CHUNK) await flush();
  }
  if (buf.length > 0) await flush();
}

export function register(program: Command): void {
  program
    .command('hunt')
    .description('run an EQL query (event, sequence or sample) over recorded ECS events (NDJSON or a JSON array)')
    .argument('<query>', 'the EQL query')
    .option('--events <path>', 'events file, or - for stdin (default: stdin)')
    .option('--event-category-field <field>', 'field holding the event category', 'event.category')
    .option('--timestamp-field <field>', 'event time field (ISO strings, epoch millis, numeric strings)', '@timestamp')
    .option('--tiebreaker-field <field>', 'orders events with equal timestamps')
    .option('--size <n>', 'at most this many hits; 0 prints none (default: no cap)', integerArg(0))
    .option('--max-samples-per-key <n>', 'sample queries: at most this many samples per join key (default 1)', integerArg(1))
    .addOption(choiceOption('--output <format>', 'output format', HUNT_OUTPUTS, 'ndjson'))
    .option('--no-prefilter', 'parse every line (by default lines that cannot match are skipped unparsed)')
    .action(async (query: string, opts: Record<string, unknown>) => {
      if ((opts.events === undefined || opts.events === '-') && process.stdin.isTTY === true) {
        process.stderr.write('vigil hunt: reading events from the terminal (end with Ctrl-D); give a file with --events PATH\n');
      }
      const summary = await runHunt(
        {
          query,
          events: opts.events as string | undefined,
          categoryField: opts.eventCategoryField as string,
          timestampField: opts.timestampField as string,
          tiebreakerField: opts.tiebreakerField as string | undefined,
          size: opts.size as number | undefined,
          maxSamplesPerKey: opts.maxSamplesPerKey as number | undefined,
          output: opts.output as HuntOutput,
          prefilter: opts.prefilter !== false,
        },
        { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
      );
      process.exitCode = summary.exitCode;
    });
}
