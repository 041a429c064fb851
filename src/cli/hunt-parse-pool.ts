import { Worker } from 'node:worker_threads';
import type { LineRun } from '../line-splitter.js';
import type { RemoteParseResult } from '../ecs/event-reader.js';
import type { ParseJob, ParseResult, ParseWorkerData } from './hunt-parse-worker.js';

/**
 * Worker threads that read runs of lines and run the query's filters on them (`hunt-parse-worker.ts`), so
 * that checking, projecting and parsing use every core. Jobs go to the least busy worker; each answer resolves
 * its own promise, and the reader consumes them in input order, so order and tiebreakers are unchanged.
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
        for (const done of slot.waiting.values()) done({ id: -1, candidates: new Int32Array(0), events: 0, skipped: 0, malformed: [] });
        slot.waiting.clear();
      });
      this.#workers.push(slot);
    }
  }

  /** Whether some worker has fewer than two runs queued (a run sent now starts at once or right after). */
  idle(): boolean {
    return this.#workers.some((w) => w.busy < 2);
  }

  /** Reads every line of `run` on a worker; resolves with the candidates among them. */
  parse(run: LineRun): Promise<RemoteParseResult> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    const n = run.starts.length;
    // A run in shared memory goes as is; any other, as a copy of just its bytes, handed over (cloning a view
    // would copy its whole underlying buffer).
    const shared = run.buf.buffer instanceof SharedArrayBuffer;
    const first = shared ? 0 : run.starts[0]!;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      starts[i] = run.starts[i]! - first;
      ends[i] = run.ends[i]! - first;
    }
    let bytes: Uint8Array;
    if (shared) bytes = new Uint8Array(run.buf.buffer, run.buf.byteOffset, run.buf.byteLength);
    else {
      bytes = new Uint8Array(run.ends[n - 1]! - first);
      bytes.set(run.buf.subarray(first, run.ends[n - 1]!));
    }
    const job: ParseJob = { id: this.#nextId++, buf: bytes, starts, ends, firstLine: run.firstLine };
    const slot = this.#workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    return new Promise((resolve, reject) => {
      slot.waiting.set(job.id, (r) => {
        if (r.id < 0) reject(this.#failure ?? new Error('a parse worker failed'));
        else resolve({ keep: Array.from(r.candidates), events: r.events, skipped: r.skipped, malformed: r.malformed });
      });
      slot.worker.postMessage(job, shared ? [] : [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }
}
