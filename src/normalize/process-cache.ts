import type { ProcessEntry } from './process-entry.js';

export interface ProcessCacheOptions {
  /** Entries kept, live and exited together (default 32768). */
  readonly capacity?: number;
  /** How long an exited process stays, so late network events still enrich (default 5000 ms). */
  readonly exitRetentionMs?: number;
  /** Approximate bytes of strings held (argv, command lines, paths), all entries together (default 64 MiB). */
  readonly maxBytes?: number;
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

/** Rough UTF-16 footprint of an entry: fixed overhead plus its strings (argv counted with its command line). */
export function entryBytes(e: ProcessEntry): number {
  let n = 256 + e.entityId.length * 2;
  if (e.commandLine !== undefined) n += e.commandLine.length * 4 + (e.args?.length ?? 0) * 16;
  if (e.executable !== undefined) n += e.executable.length * 2;
  if (e.workingDirectory !== undefined) n += e.workingDirectory.length * 2;
  return n;
}

/**
 * Process instances: the current instance of each pid, plus older instances of reused pids (exited, kept for
 * late events), found by (pid, startKey). Bounded:
 * - `capacity` caps all entries and `maxBytes` their approximate size (entryBytes, measured at `put`); on
 *   overflow the oldest exited entry goes first, else the least recently inserted one (Map insertion order;
 *   `put` re-inserts), counted in `evictions`;
 * - exited entries are dropped `exitRetentionMs` after their exit by `expire(now)`, counted in `expired`.
 */
export class ProcessCache {
  readonly #capacity: number;
  readonly #retentionMs: number;
  readonly #maxBytes: number;
  /** The current instance of each pid, least recently put first. */
  readonly #byPid = new Map<number, ProcessEntry>();
  /** Earlier instances of pids that were reused, by `pid/startKey` (always exited). */
  readonly #older = new Map<string, ProcessEntry>();
  /** Exited entries in exit order (may hold entries already gone; checked on use). */
  #exited: ProcessEntry[] = [];
  #exitedHead = 0;
  #bytes = 0;
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
    let e = this.#byPid.get(pid);
    if (e !== undefined && startKey !== '' && e.startKey !== startKey) e = this.#older.size > 0 ? this.#older.get(`${pid}/${startKey}`) : undefined;
    if (e === undefined) this.#misses++;
    else this.#hits++;
    return e;
  }

  /** The current instance of pid, without counting (leader lookups). */
  peekPid(pid: number): ProcessEntry | undefined {
    return this.#byPid.get(pid);
  }

  /**
   * Inserts or refreshes an entry; it becomes the current instance of its pid. A previous instance moves to
   * the older instances if it has exited (the caller marks it), else it is dropped.
   */
  put(entry: ProcessEntry): void {
    const cur = this.#byPid.get(entry.pid);
    if (cur !== undefined && cur !== entry) {
      this.#byPid.delete(entry.pid);
      if (cur.exitedAtMs !== undefined) {
        this.#older.set(`${cur.pid}/${cur.startKey}`, cur);
      } else {
        this.#bytes -= cur.cacheBytes ?? 0;
        cur.inCache = false;
      }
    } else if (cur === entry) {
      this.#byPid.delete(entry.pid);
    } else if (entry.inCache === true) {
      // an older instance put again (late events after the pid was reused): it stays where it is
      this.#resize(entry);
      return;
    }
    this.#byPid.set(entry.pid, entry);
    entry.inCache = true;
    this.#resize(entry);
    while (this.size > this.#capacity || (this.#bytes > this.#maxBytes && this.size > 1)) this.#evictOne();
  }

  #resize(entry: ProcessEntry): void {
    const size = entryBytes(entry);
    this.#bytes += size - (entry.cacheBytes ?? 0);
    entry.cacheBytes = size;
  }

  /** Marks an entry exited at `atMs`; it stays findable until `expire` passes `atMs + exitRetentionMs`. */
  markExited(entry: ProcessEntry, atMs: number): void {
    if (entry.exitedAtMs !== undefined) return;
    entry.exitedAtMs = atMs;
    if (entry.inCache === true) this.#exited.push(entry);
  }

  /** Drops exited entries whose retention has passed. Call it on a clock or per event. */
  expire(nowMs: number): void {
    while (this.#exitedHead < this.#exited.length) {
      const e = this.#exited[this.#exitedHead]!;
      if (e.inCache === true && nowMs - e.exitedAtMs! < this.#retentionMs) break;
      this.#exitedHead++;
      if (e.inCache === true) {
        this.#remove(e);
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

  #remove(e: ProcessEntry): void {
    if (this.#byPid.get(e.pid) === e) this.#byPid.delete(e.pid);
    else this.#older.delete(`${e.pid}/${e.startKey}`);
    this.#bytes -= e.cacheBytes ?? 0;
    e.inCache = false;
  }

  #evictOne(): void {
    while (this.#exitedHead < this.#exited.length) {
      const e = this.#exited[this.#exitedHead++]!;
      if (e.inCache === true) {
        this.#remove(e);
        this.#evictions++;
        this.#compact();
        return;
      }
    }
    const first = this.#byPid.values().next();
    const victim = first.done ? this.#older.values().next().value : first.value;
    if (victim === undefined) return;
    this.#remove(victim);
    this.#evictions++;
  }

  get size(): number {
    return this.#byPid.size + this.#older.size;
  }

  stats(): ProcessCacheStats {
    return {
      size: this.size,
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
