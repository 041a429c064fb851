import type { ProcessEntry } from './process-entry.js';

export interface ProcessCacheOptions {
  /** Entries kept, live and exited together (default 32768). */
  readonly capacity?: number;
  /** How long an exited process stays, so late network events still enrich (default 5000 ms). */
  readonly exitRetentionMs?: number;
  /** Approximate bytes of strings held (argv, command lines, paths), all entries together (default 64 MiB). */
  readonly maxBytes?: number;
}

/** Rough UTF-16 footprint of an entry: fixed overhead plus its strings (argv counted with its command line). */
export function entryBytes(e: ProcessEntry): number {
  let n = 256 + e.entityId.length * 2;
  if (e.commandLine !== undefined) n += e.commandLine.length * 4 + (e.args?.length ?? 0) * 16;
  if (e.executable !== undefined) n += e.executable.length * 2;
  if (e.workingDirectory !== undefined) n += e.workingDirectory.length * 2;
  return n;
}

export interface ProcessCacheStats {
  readonly size: number;
  readonly capacity: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly hits: number;
  readonly misses: number;
  /** Entries removed because the cache was full, by count or bytes (exited first, then least recently inserted). */
  readonly evictions: number;
  /** Exited entries removed after `exitRetentionMs`. */
  readonly expired: number;
}

function keyOf(pid: number, startKey: string): string {
  return `${pid}/${startKey}`;
}

/**
 * Process instances by (pid, startKey), plus an index of the current instance of each pid. Bounded:
 * - `capacity` caps all entries and `maxBytes` their approximate size (entryBytes, measured at `put`); on
 *   overflow the oldest exited entry goes first, else the least recently inserted one (Map insertion order;
 *   `put` re-inserts), counted in `evictions`;
 * - exited entries are dropped `exitRetentionMs` after their exit by `expire(now)`, counted in `expired`.
 */
export class ProcessCache {
  readonly #capacity: number;
  readonly #retentionMs: number;
  readonly #maxBytes: number;
  /** Bytes per key, as measured at the last put. */
  readonly #sizes = new Map<string, number>();
  #bytes = 0;
  readonly #byKey = new Map<string, ProcessEntry>();
  readonly #byPid = new Map<number, ProcessEntry>();
  /** Keys of exited entries in exit order (may hold stale keys; checked on use). */
  #exited: string[] = [];
  #exitedHead = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;
  #expired = 0;

  constructor(options: ProcessCacheOptions = {}) {
    this.#capacity = Math.max(1, options.capacity ?? 32768);
    this.#retentionMs = options.exitRetentionMs ?? 5000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  /** The instance (pid, startKey); with an empty startKey, the current instance of pid. Counts hit/miss. */
  get(pid: number, startKey: string): ProcessEntry | undefined {
    const e = startKey === '' ? this.#byPid.get(pid) : this.#byKey.get(keyOf(pid, startKey));
    if (e === undefined) this.#misses++;
    else this.#hits++;
    return e;
  }

  /** The current instance of pid, without counting (leader lookups). */
  peekPid(pid: number): ProcessEntry | undefined {
    return this.#byPid.get(pid);
  }

  /** Inserts or replaces an entry; it becomes the current instance of its pid. */
  put(entry: ProcessEntry): void {
    const key = keyOf(entry.pid, entry.startKey);
    this.#byKey.delete(key);
    this.#byKey.set(key, entry);
    this.#byPid.set(entry.pid, entry);
    const size = entryBytes(entry);
    this.#bytes += size - (this.#sizes.get(key) ?? 0);
    this.#sizes.set(key, size);
    while (this.#byKey.size > this.#capacity || (this.#bytes > this.#maxBytes && this.#byKey.size > 1)) this.#evictOne();
  }

  /** Marks an entry exited at `atMs`; it stays findable until `expire` passes `atMs + exitRetentionMs`. */
  markExited(entry: ProcessEntry, atMs: number): void {
    if (entry.exitedAtMs !== undefined) return;
    entry.exitedAtMs = atMs;
    this.#exited.push(keyOf(entry.pid, entry.startKey));
  }

  /** Drops exited entries whose retention has passed. Call it on a clock or per event. */
  expire(nowMs: number): void {
    while (this.#exitedHead < this.#exited.length) {
      const key = this.#exited[this.#exitedHead]!;
      const e = this.#byKey.get(key);
      if (e !== undefined && e.exitedAtMs !== undefined && nowMs - e.exitedAtMs < this.#retentionMs) break;
      this.#exitedHead++;
      if (e !== undefined && e.exitedAtMs !== undefined) {
        this.#remove(key, e);
        this.#expired++;
      }
    }
    this.#compact();
  }

  #compact(): void {
    if (this.#exitedHead > 1024 && this.#exitedHead * 2 > this.#exited.length) {
      this.#exited = this.#exited.slice(this.#exitedHead);
      this.#exitedHead = 0;
    }
  }

  #remove(key: string, e: ProcessEntry): void {
    this.#byKey.delete(key);
    this.#bytes -= this.#sizes.get(key) ?? 0;
    this.#sizes.delete(key);
    if (this.#byPid.get(e.pid) === e) this.#byPid.delete(e.pid);
  }

  #evictOne(): void {
    while (this.#exitedHead < this.#exited.length) {
      const key = this.#exited[this.#exitedHead++]!;
      const e = this.#byKey.get(key);
      if (e !== undefined && e.exitedAtMs !== undefined) {
        this.#remove(key, e);
        this.#evictions++;
        this.#compact();
        return;
      }
    }
    const first = this.#byKey.entries().next();
    if (first.done) return;
    this.#remove(first.value[0], first.value[1]);
    this.#evictions++;
  }

  get size(): number {
    return this.#byKey.size;
  }

  stats(): ProcessCacheStats {
    return {
      size: this.#byKey.size,
      capacity: this.#capacity,
      bytes: this.#bytes,
      maxBytes: this.#maxBytes,
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
      expired: this.#expired,
    };
  }
}
