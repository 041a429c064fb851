/**
 * A worker thread of `vigil hunt`'s parse pool: reads the lines it is given as the main thread would (the
 * prefilter, then lines checked or projected, or parsed in full with `--no-prefilter`), runs the query's
 * filters on the events, and answers with the indices of the lines that match one (the candidates), the
 * counts and the malformed lines. The main thread reads only the candidates again: a query matches few events.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EventReader, type MalformedInput } from '../ecs/event-reader.js';
import { compileQuery } from '../eql/index.js';
import { enableLinearRegexEngine } from '../eql/linear-regex-engine.js';
import type { LineRun } from '../line-splitter.js';
import { queryFilters } from './hunt-filters.js';
import { huntLineReading, type LineReadingOptions } from './hunt-line-reading.js';

export interface ParseJob {
  readonly id: number;
  readonly buf: Uint8Array;
  /** Line i of the job is buf[starts[i], ends[i]); the lines are consecutive, the first numbered `firstLine`. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly firstLine: number;
}

export interface ParseResult {
  readonly id: number;
  /** Indices (into the job's lines) of the lines that are events matching one of the query's filters. */
  readonly candidates: Int32Array;
  readonly events: number;
  /** Events among them that were only checked, not parsed (the prefilter passed over them). */
  readonly skipped: number;
  readonly malformed: readonly MalformedInput[];
}

export type ParseWorkerData = LineReadingOptions;

const data = workerData as ParseWorkerData;
// A worker is an entry point of its own: it compiles the query's regexes as the main thread did.
enableLinearRegexEngine();
const query = compileQuery(data.query, { categoryField: data.categoryField, timestampField: data.timestampField });
const candidate = queryFilters(query);
let malformed: MalformedInput[] = [];
const reader = new EventReader({ onMalformed: (m) => malformed.push(m), ...huntLineReading(query, data) });

parentPort?.on('message', (job: ParseJob) => {
  const run: LineRun = {
    buf: Buffer.from(job.buf.buffer, job.buf.byteOffset, job.buf.byteLength),
    starts: Array.from(job.starts),
    ends: Array.from(job.ends),
    firstLine: job.firstLine,
  };
  malformed = [];
  const { events, skipped } = reader.stats;
  const indices: number[] = [];
  const read = reader.readRun(run, indices);
  const candidates: number[] = [];
  for (let k = 0; k < read.length; k++) if (candidate(read[k]!)) candidates.push(indices[k]!);
  const result: ParseResult = {
    id: job.id,
    candidates: Int32Array.from(candidates),
    events: reader.stats.events - events,
    skipped: reader.stats.skipped - skipped,
    malformed,
  };
  parentPort!.postMessage(result);
});
