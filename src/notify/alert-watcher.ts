import { existsSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import type { Alert } from '../alerts/alert.js';
import { alertFromRow, type AlertRow } from '../alerts/alert-row.js';
import { checkReadableVersion } from '../alerts/migrations.js';
import { openDatabase } from '../alerts/open-database.js';
import type { NotifyLog } from './notifier.js';

export interface AlertWatcherOptions {
  /** Poll interval (default 1000 ms). */
  readonly intervalMs?: number;
  /** Alerts handed over per poll at most; the rest follow on the next polls (default 200). */
  readonly batchLimit?: number;
  readonly log?: NotifyLog;
}

export interface AlertWatcherStats {
  readonly polls: number;
  readonly alerts: number;
  /** The last alert id handed over (the cursor). */
  readonly cursor: number;
  /** Polls that failed (logged when the reason changes). */
  readonly errors: number;
  readonly opened: boolean;
}

/**
 * Watches an alert database read-only and hands over alerts committed after it started (history is not
 * replayed). Polls: `PRAGMA data_version` tells whether another connection committed since the last poll,
 * then `id > cursor` (ids are AUTOINCREMENT, never reused). No inotify. A database that does not exist
 * yet is waited for.
 */
export class AlertWatcher {
  readonly #path: string;
  readonly #intervalMs: number;
  readonly #batchLimit: number;
  readonly #log: NotifyLog;
  readonly #onAlerts: (alerts: Alert[]) => void;
  #db: BetterSqlite3.Database | null = null;
  #next: BetterSqlite3.Statement | null = null;
  #dataVersion = -1;
  #timer: NodeJS.Timeout | null = null;
  #stats = { polls: 0, alerts: 0, cursor: 0, errors: 0 };
  #waitingLogged = false;
  #behind = false;
  #lastError = '';

  constructor(path: string, onAlerts: (alerts: Alert[]) => void, options: AlertWatcherOptions = {}) {
    this.#path = path;
    this.#onAlerts = onAlerts;
    this.#intervalMs = options.intervalMs ?? 1000;
    this.#batchLimit = options.batchLimit ?? 200;
    this.#log = options.log ?? (() => {});
  }

  /** Opens the database if it exists (the cursor starts at its newest alert) and starts polling. */
  start(): void {
    this.#tryOpen();
    this.#timer = setInterval(() => this.poll(), this.#intervalMs);
  }

  #tryOpen(): boolean {
    if (this.#db !== null) return true;
    if (!existsSync(this.#path)) {
      if (!this.#waitingLogged) this.#log('info', 'waiting for the alert database to appear', { db: this.#path });
      this.#waitingLogged = true;
      return false;
    }
    const db = openDatabase(this.#path, { readonly: true });
    try {
      checkReadableVersion(db);
      const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alerts'").get() !== undefined;
      if (!hasTable) {
        db.close();
        return false;
      }
      this.#stats.cursor = (db.prepare('SELECT coalesce(max(id), 0) AS id FROM alerts').get() as { id: number }).id;
      this.#next = db.prepare('SELECT * FROM alerts WHERE id > ? ORDER BY id LIMIT ?');
      this.#dataVersion = db.pragma('data_version', { simple: true }) as number;
    } catch (err) {
      db.close();
      throw err;
    }
    this.#db = db;
    this.#log('info', 'watching the alert database', { db: this.#path, from_id: this.#stats.cursor });
    return true;
  }

  /** One poll (the timer calls it); returns how many alerts were handed over. */
  poll(): number {
    this.#stats.polls++;
    try {
      if (this.#db === null) {
        // Opened late: everything already in it was written after we started, so hand it all over.
        if (!this.#tryOpen()) return 0;
        this.#stats.cursor = 0;
      } else {
        const version = this.#db.pragma('data_version', { simple: true }) as number;
        if (version === this.#dataVersion && !this.#behind) return 0;
        this.#dataVersion = version;
      }
      const rows = this.#next!.all(this.#stats.cursor, this.#batchLimit) as AlertRow[];
      this.#behind = rows.length === this.#batchLimit;
      if (rows.length === 0) return 0;
      this.#stats.cursor = rows[rows.length - 1]!.id;
      this.#stats.alerts += rows.length;
      this.#onAlerts(rows.map(alertFromRow));
      return rows.length;
    } catch (err) {
      // Logged when the reason changes, not every poll.
      const message = (err as Error).message;
      if (message !== this.#lastError) this.#log('warn', 'alert database poll failed; retrying', { db: this.#path, error: message });
      this.#lastError = message;
      this.#stats.errors++;
      return 0;
    }
  }

  stats(): AlertWatcherStats {
    return { ...this.#stats, opened: this.#db !== null };
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#db?.close();
    this.#db = null;
  }
}
