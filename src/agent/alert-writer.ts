import type { AlertMatch } from '../alerts/alert-match.js';
import type { AlertSpool, SpoolRecord } from '../alerts/alert-spool.js';
import type { AlertStore, InsertResult } from '../alerts/alert-store.js';
import { previewAlert } from '../alerts/preview-alert.js';
import type { LogFn } from './logger.js';

/** While idle, the database file is checked (deleted, replaced) this often. */
const FILE_CHECK_IDLE_MS = 1000;

/** Where a stored alert goes next (desktop notifier, NDJSON alert log); failures are counted by the sink. */
export type AlertSink = (result: InsertResult) => void;

/** The store's optional self-check (SqliteAlertStore: the database file was deleted or replaced). */
interface CheckableStore extends AlertStore {
  checkFile?(): boolean;
}

export interface AlertWriterOptions {
  readonly store: CheckableStore;
  /** Where matches wait while the store cannot take them; null: memory only (hunt, tests). */
  readonly spool: AlertSpool | null;
  readonly sinks: readonly AlertSink[];
  readonly log: LogFn;
  /** Matches kept in memory (waiting for the next flush, or for a retry the spool could not take). Default 10,000. */
  readonly maxQueued?: number;
  /** Matches per transaction (default 5,000): one commit per tick holds up to this many. */
  readonly maxBatch?: number;
  /** Backoff after a failed write: doubles from min to max (default 100 ms .. 5 s). */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** The store has failed for this long: `onDown` is called (the health alert), then again each time it fires. */
  readonly downAfterMs?: number;
  readonly onDown?: (down: StoreDown) => void;
  /** Is this match notified at once while the store is down (health alerts)? Default: none. */
  readonly urgent?: (match: AlertMatch) => boolean;
}

export interface StoreDown {
  readonly sinceMs: number;
  readonly failures: number;
  readonly waiting: number;
  readonly error: string;
}

export interface AlertWriterStats {
  inserted: number;
  duplicates: number;
  aggregated: number;
  /** Transactions committed (each holds a tick's worth of alerts). */
  commits: number;
  /** Failed attempts to write a batch (disk full, locked, I/O error): counted apart from duplicates. */
  storeFailures: number;
  /** Matches written to the spool file. */
  spooled: number;
  /** Matches read back from the spool and committed (inserted or found already stored). */
  replayed: number;
  /** Matches lost for good: the memory queue and the spool were both full or failing. */
  lost: number;
  /** Times the database file was found deleted or replaced and reopened. */
  recoveries: number;
  /** Time of the newest alert stored (ISO 8601), null before the first. */
  lastAlert: string | null;
  /** Since when the store fails (epoch ms), null while it works. */
  downSinceMs: number | null;
  lastError: string | null;
}

/**
 * The agent's one path into the alert store. Matches are queued and written per tick in one transaction
 * (`flush`): durable (committed, fsync'd) before any sink runs, so a notification never names an alert that
 * a crash could lose, and one commit serves a whole burst.
 *
 * When the store fails (disk full, a writer holding the lock beyond the short busy timeout, the file deleted):
 * the batch goes to the spool (fsync'd) or, if that fails too, stays in a bounded memory queue; the writer
 * backs off and retries, replaying the spool first, with the same dedup keys (nothing is stored twice).
 * Only what neither the queue nor the spool can hold is lost, and it is counted.
 */
export class AlertWriter {
  readonly #o: AlertWriterOptions;
  readonly #maxQueued: number;
  readonly #maxBatch: number;
  #queue: SpoolRecord[] = [];
  #retryAtMs = 0;
  #backoffMs = 0;
  #spoolChecked = false;
  #fileCheckedMs = 0;
  readonly #stats: AlertWriterStats = {
    inserted: 0,
    commits: 0,
    duplicates: 0,
    aggregated: 0,
    storeFailures: 0,
    spooled: 0,
    replayed: 0,
    lost: 0,
    recoveries: 0,
    lastAlert: null,
    downSinceMs: null,
    lastError: null,
  };

  constructor(options: AlertWriterOptions) {
    this.#o = options;
    this.#maxQueued = options.maxQueued ?? 10_000;
    this.#maxBatch = options.maxBatch ?? 5_000;
  }

  /** Queues a match for the next flush. Beyond the memory bound it goes straight to the spool (or is counted lost). */
  submit(match: AlertMatch): void {
    const record: SpoolRecord = { match, notified: false };
    if (this.#queue.length < this.#maxQueued) {
      this.#queue.push(record);
      // A full batch is written at once (a replay or a burst between ticks never waits for the clock).
      if (this.#queue.length >= this.#maxBatch && this.#stats.downSinceMs === null) this.flush();
      return;
    }
    this.#spill([record]);
  }

  /** Matches waiting in memory. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Writes what is queued (and, first, what the spool holds) unless a retry is not due yet. */
  flush(nowMs: number = Date.now()): void {
    if (nowMs < this.#retryAtMs) {
      this.#notifyUrgent();
      return;
    }
    if (this.#queue.length === 0 && this.#spoolChecked && this.#stats.downSinceMs === null) {
      // Idle: still notice a deleted or replaced database file, once a second.
      if (nowMs - this.#fileCheckedMs < FILE_CHECK_IDLE_MS) return;
    }
    this.#fileCheckedMs = nowMs;
    try {
      if (this.#o.store.checkFile?.() === true) {
        this.#stats.recoveries++;
        this.#o.log('warn', 'alert database was deleted or replaced: reopened it and kept every alert the agent had stored', {});
      }
      this.#replaySpool();
      while (this.#queue.length > 0) {
        const batch = this.#queue.slice(0, this.#maxBatch);
        this.#write(batch);
        this.#queue = this.#queue.slice(batch.length);
      }
    } catch (err) {
      this.#failed(err, nowMs);
      return;
    }
    if (this.#stats.downSinceMs !== null) {
      this.#o.log('info', 'alert store recovered', { down_ms: nowMs - this.#stats.downSinceMs, replayed: this.#stats.replayed });
    }
    this.#stats.downSinceMs = null;
    this.#backoffMs = 0;
    this.#retryAtMs = 0;
  }

  /** At shutdown: one last write; what still cannot be stored goes to the spool (or is counted lost). */
  drain(): void {
    this.#retryAtMs = 0;
    this.flush();
    if (this.#queue.length > 0) {
      const rest = this.#queue;
      this.#queue = [];
      this.#spill(rest);
    }
  }

  stats(): Readonly<AlertWriterStats> {
    return this.#stats;
  }

  /** Commits one batch, then runs the sinks for what it inserted. Throws on a store failure (nothing committed). */
  #write(batch: readonly SpoolRecord[]): void {
    const results = this.#o.store.insertMany(batch.map((r) => r.match));
    this.#stats.commits++;
    results.forEach((result, i) => this.#deliver(result, batch[i]!.notified));
  }

  #deliver(result: InsertResult, notified: boolean): void {
    if (result.aggregated) {
      this.#stats.aggregated++;
      return;
    }
    if (!result.inserted) {
      this.#stats.duplicates++;
      return;
    }
    this.#stats.inserted++;
    this.#stats.lastAlert = result.alert.time;
    this.#o.log('warn', `alert: ${result.alert.rule.name}`, { alert_id: result.id, rule_id: result.alert.rule.id, severity: result.alert.rule.severity });
    if (!notified) for (const sink of this.#o.sinks) sink(result);
  }

  /** Replays the spool (a previous failure, or a previous run that stopped while the store was down). */
  #replaySpool(): void {
    this.#spoolChecked = true;
    const spool = this.#o.spool;
    if (spool === null || spool.size() === 0) return;
    const records = spool.read();
    for (let i = 0; i < records.length; i += this.#maxBatch) this.#write(records.slice(i, i + this.#maxBatch));
    spool.clear();
    this.#stats.replayed += records.length;
    this.#o.log('info', `alert spool replayed: ${records.length} alerts`, { spool: spool.path });
  }

  #failed(err: unknown, nowMs: number): void {
    this.#stats.storeFailures++;
    this.#stats.lastError = err instanceof Error ? err.message : String(err);
    const first = this.#stats.downSinceMs === null;
    this.#stats.downSinceMs ??= nowMs;
    // Keep them durable while the store is down: into the spool, fsync'd (memory only if the spool fails too).
    if (this.#queue.length > 0 && this.#o.spool !== null) {
      const batch = this.#queue;
      this.#queue = [];
      this.#spill(batch);
    }
    this.#backoffMs = Math.min(this.#o.retryMaxMs ?? 5_000, Math.max(this.#o.retryMinMs ?? 100, this.#backoffMs * 2));
    this.#retryAtMs = nowMs + this.#backoffMs;
    if (first || this.#stats.storeFailures % 100 === 0) {
      this.#o.log('error', 'alert store write failed: alerts kept in the spool and retried', {
        error: this.#stats.lastError,
        failures: this.#stats.storeFailures,
        retry_ms: this.#backoffMs,
      });
    }
    const downFor = nowMs - this.#stats.downSinceMs;
    if (downFor >= (this.#o.downAfterMs ?? 30_000) && this.#o.onDown !== undefined) {
      this.#o.onDown({ sinceMs: this.#stats.downSinceMs, failures: this.#stats.storeFailures, waiting: this.waiting(), error: this.#stats.lastError });
      this.#notifyUrgent();
    }
  }

  /** Matches waiting anywhere (memory queue + spool lines written and not replayed yet). */
  waiting(): number {
    return this.#queue.length + Math.max(0, this.#stats.spooled - this.#stats.replayed);
  }

  /** While the store is down, urgent matches (health alerts) go to the sinks now, unstored (stored later). */
  #notifyUrgent(): void {
    const urgent = this.#o.urgent;
    if (urgent === undefined) return;
    for (const r of this.#queue) {
      if (r.notified || !urgent(r.match)) continue;
      const result: InsertResult = { id: 0, inserted: true, aggregated: false, alert: previewAlert(r.match, Date.now()) };
      for (const sink of this.#o.sinks) sink(result);
      (r as { notified: boolean }).notified = true;
    }
  }

  /** Writes records to the spool; what it cannot take stays in memory up to the bound, the rest is lost. */
  #spill(records: SpoolRecord[]): void {
    const spool = this.#o.spool;
    if (spool !== null) {
      try {
        spool.append(records);
        this.#stats.spooled += records.length;
        return;
      } catch (err) {
        this.#stats.lastError = `spool: ${(err as Error).message}`;
      }
    }
    const room = Math.max(0, this.#maxQueued - this.#queue.length);
    this.#queue.push(...records.slice(0, room));
    const lost = records.length - Math.min(room, records.length);
    if (lost > 0) {
      this.#stats.lost += lost;
      this.#o.log('error', `alert store down and spool full: ${lost} alerts lost`, { lost_total: this.#stats.lost });
    }
  }
}
