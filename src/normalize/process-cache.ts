import type { ProcessEntry } from './process-entry.js';

export interface ProcessCacheOptions {
  /** Entries kept, live and exited together (default 32768). */
  readonly capacity?: number;
  /** How long an exited process stays, so late network events still enrich (default 5000 ms). */
  readonly exitRetentionMs?: number;
}

export interface ProcessCacheStats {
  readonly size: number;
  readonly capacity: number;
  readonly hits: number;
  readonly misses: number;
  /** Entries removed because the cache was full (exited ones first, then the least recently inserted). */
  readonly evictions: number;
  /** Exited entries removed after `exitRetentionMs`. */
  readonly expired: number;
}

function keyOf(pid: number, startKey: string): string {
  return `${pid}/${startKey}`;
}

/**
 * Process instances by (pid, startKey), plus an index of the current instance of each pid. Bounded:
 * - `capacity` caps all entries; on overflow the oldest exited entry goes first, else the least recently
 *   inserted one (Map insertion order; `put` re-inserts), counted in `evictions`;
 * - exited entries are dropped `exitRetentionMs` after their exit by `expire(now)`, counted in `expired`.
 */
export class ProcessCache {
  readonly #capacity: number;
  readonly #retentionMs: number;
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
    while (this.#byKey.size > this.#capacity) this.#evictOne();
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
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
      expired: this.#expired,
    };
  }
}
