import { Worker } from 'node:worker_threads';
import type { LineRun } from '../line-splitter.js';
import type { RemoteParseResult } from '../ecs/event-reader.js';
import type { ParseJob, ParseResult, ParseWorkerData } from './hunt-parse-worker.js';

/**
 * Worker threads that parse lines and run the query's filters on them (`hunt-parse-worker.ts`), for hunts
 * whose prefilter cannot narrow the input. Jobs go to the least busy worker; each answer resolves its own
 * promise, and the reader consumes them in input order, so order and tiebreakers are unchanged.
 */
export class ParsePool {
  readonly #workers: Array<{ worker: Worker; busy: number; waiting: Map<number, (r: ParseResult) => void> }> = [];
  #nextId = 0;
  #failure: Error | null = null;

  constructor(size: number, data: ParseWorkerData) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./hunt-parse-worker.js', import.meta.url), { workerData: data });
      const slot = { worker, busy: 0, waiting: new Map<number, (r: ParseResult) => void>() };
      worker.on('message', (r: ParseResult) => {
        slot.busy--;
        const done = slot.waiting.get(r.id);
        slot.waiting.delete(r.id);
        done?.(r);
      });
      worker.on('error', (err) => {
        this.#failure = err;
        for (const done of slot.waiting.values()) done({ id: -1, candidates: new Int32Array(0), events: 0, malformed: [] });
        slot.waiting.clear();
      });
      this.#workers.push(slot);
    }
  }

  /** Parses lines `indices` of `run` on a worker; resolves with the candidates among them. */
  parse(run: LineRun, indices: readonly number[]): Promise<RemoteParseResult> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const n = indices.length;
    const first = run.starts[indices[0]!]!;
    const last = run.ends[indices[n - 1]!]!;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const lines = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const i = indices[k]!;
      starts[k] = run.starts[i]! - first;
      ends[k] = run.ends[i]! - first;
      lines[k] = run.firstLine + i;
    }
    // A copy of just these bytes, handed over (cloning a view would copy its whole underlying buffer).
    const bytes = new Uint8Array(last - first);
    bytes.set(run.buf.subarray(first, last));
    const job: ParseJob = { id: this.#nextId++, buf: bytes, starts, ends, lines };
    const slot = this.#workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    return new Promise((resolve, reject) => {
      slot.waiting.set(job.id, (r) => {
        if (r.id < 0) reject(this.#failure ?? new Error('a parse worker failed'));
        else resolve({ keep: Array.from(r.candidates, (k) => indices[k]!), events: r.events, malformed: r.malformed });
      });
      slot.worker.postMessage(job, [bytes.buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }
}
