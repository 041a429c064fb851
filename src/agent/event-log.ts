import { closeSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir, openAppendNoFollow } from '../alerts/safe-files.js';
import type { EcsEvent } from '../ecs/ecs-event.js';

/**
 * The optional NDJSON log of every event the agent sees (`[outputs] events_ndjson`), for shipping raw
 * telemetry or recording it for `vigil hunt`. Lines are batched in memory and written when the batch reaches
 * `flushBytes` or at `close`; the batch is bounded by `maxBufferedBytes`: when a write fails the batch is
 * dropped and counted, never grown without bound.
 */
export class EventLog {
  readonly path: string;
  readonly #fd: number;
  readonly #flushBytes: number;
  #batch: string[] = [];
  #batchBytes = 0;
  written = 0;
  dropped = 0;
  lastError: string | null = null;

  constructor(path: string, flushBytes = 256 * 1024) {
    this.path = path;
    ensurePrivateDir(dirname(path));
    this.#fd = openAppendNoFollow(path, 0o600);
    this.#flushBytes = flushBytes;
  }

  write(event: EcsEvent): void {
    let line: string;
    try {
      line = JSON.stringify(event) + '\n';
    } catch (err) {
      // Not representable (nested too deep for the stack): counted, never fatal.
      this.dropped++;
      this.lastError = (err as Error).message;
      return;
    }
    this.#batch.push(line);
    this.#batchBytes += line.length;
    if (this.#batchBytes >= this.#flushBytes) this.flush();
  }

  flush(): void {
    if (this.#batch.length === 0) return;
    const n = this.#batch.length;
    const text = this.#batch.join('');
    this.#batch = [];
    this.#batchBytes = 0;
    try {
      writeSync(this.#fd, text);
      this.written += n;
    } catch (err) {
      this.dropped += n;
      this.lastError = (err as Error).message;
    }
  }

  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}
