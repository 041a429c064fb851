/**
 * A worker thread of `vigil hunt`'s parse pool: parses the lines it is given, runs the query's filters on
 * them, and answers with the indices of the lines that match one (the candidates) and the malformed lines.
 * The main thread parses only the candidates again: a query matches few events, so they are cheap to move.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EcsEvent } from '../ecs/ecs-event.js';
import { compileQuery } from '../eql/index.js';
import { enableLinearRegexEngine } from '../eql/linear-regex-engine.js';
import { queryFilters } from './hunt-filters.js';

export interface ParseJob {
  readonly id: number;
  readonly buf: Uint8Array;
  /** Line i of the job is buf[starts[i], ends[i]), numbered lines[i]. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly lines: Int32Array;
}

export interface ParseResult {
  readonly id: number;
  /** Indices (into the job's lines) of the lines that are events matching one of the query's filters. */
  readonly candidates: Int32Array;
  readonly events: number;
  readonly malformed: ReadonlyArray<{ line: number; reason: string }>;
}

export interface ParseWorkerData {
  readonly query: string;
  readonly categoryField: string;
  readonly timestampField: string;
}

const data = workerData as ParseWorkerData;
// A worker is an entry point of its own: it compiles the query's regexes as the main thread did.
enableLinearRegexEngine();
const candidate = queryFilters(compileQuery(data.query, { categoryField: data.categoryField, timestampField: data.timestampField }));

parentPort?.on('message', (job: ParseJob) => {
  const buf = Buffer.from(job.buf.buffer, job.buf.byteOffset, job.buf.byteLength);
  const candidates: number[] = [];
  const malformed: Array<{ line: number; reason: string }> = [];
  let events = 0;
  for (let i = 0; i < job.starts.length; i++) {
    const lineNo = job.lines[i]!;
    let text = buf.toString('utf8', job.starts[i], job.ends[i]);
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0) continue;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (err) {
      if (text.trim().length > 0) malformed.push({ line: lineNo, reason: (err as Error).message });
      continue;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      malformed.push({ line: lineNo, reason: `expected a JSON object, found ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}` });
      continue;
    }
    events++;
    if (candidate(v as EcsEvent)) candidates.push(i);
  }
  const result: ParseResult = { id: job.id, candidates: Int32Array.from(candidates), events, malformed };
  parentPort!.postMessage(result);
});
