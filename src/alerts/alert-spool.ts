import { closeSync, fsyncSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { AlertMatch } from './alert-match.js';
import { openAppendNoFollow } from './safe-files.js';

/** One spooled match; `notified` when its sinks already ran (a health alert raised while the store was down). */
export interface SpoolRecord {
  readonly match: AlertMatch;
  readonly notified: boolean;
}

export interface AlertSpoolStats {
  /** Matches written to the spool. */
  readonly written: number;
  /** Lines that did not parse when read back (a torn last line after a crash), skipped. */
  readonly malformed: number;
}

/** Default bound of the spool file: beyond it, matches cannot be spooled (the caller counts them lost). */
export const DEFAULT_SPOOL_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Where alerts wait when the database cannot take them (disk full, locked, deleted): an NDJSON file in the
 * state directory, 0600, opened without following links, each append fsync'd before it returns, so a spooled
 * match survives a crash. The writer replays it (same dedup keys: a match already stored is a duplicate) and
 * clears it once the database has committed every record. Bounded by `maxBytes`.
 */
export class AlertSpool {
  readonly path: string;
  readonly #maxBytes: number;
  #written = 0;
  #malformed = 0;

  constructor(path: string, maxBytes = DEFAULT_SPOOL_MAX_BYTES) {
    this.path = path;
    this.#maxBytes = maxBytes;
  }

  /** Bytes in the spool file (0 when there is none). */
  size(): number {
    try {
      return statSync(this.path).size;
    } catch {
      return 0;
    }
  }

  /** Appends the records durably (write + fsync). Throws when the file cannot take them or would exceed the bound. */
  append(records: readonly SpoolRecord[]): void {
    if (records.length === 0) return;
    const text = Buffer.from(records.map((r) => JSON.stringify(r) + '\n').join(''), 'utf8');
    if (this.size() + text.length > this.#maxBytes) throw new Error(`alert spool ${this.path} would exceed ${this.#maxBytes} bytes`);
    const fd = openAppendNoFollow(this.path, 0o600);
    try {
      let off = 0;
      while (off < text.length) off += writeSync(fd, text, off, text.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.#written += records.length;
  }

  /** Every record in the spool, in order (malformed lines counted and skipped). */
  read(): SpoolRecord[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: SpoolRecord[] = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      try {
        const r = JSON.parse(line) as SpoolRecord;
        if (r === null || typeof r !== 'object' || typeof r.match !== 'object' || r.match === null) throw new Error('not a record');
        out.push(r);
      } catch {
        this.#malformed++;
      }
    }
    return out;
  }

  /** Removes the spool (every record is committed in the database). */
  clear(): void {
    try {
      unlinkSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  stats(): AlertSpoolStats {
    return { written: this.#written, malformed: this.#malformed };
  }
}
