import { createHash } from 'node:crypto';
import { chmodSync, existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import type { Alert } from './alert.js';
import type { AlertFilter } from './alert-filter.js';
import type { AlertMatch } from './alert-match.js';
import { alertFromRow, type AlertRow } from './alert-row.js';
import { matchRow, type NewAlertRow } from './match-row.js';
import type { AlertState } from './alert-state.js';
import type { AlertStore, AlertStoreStats, InsertResult } from './alert-store.js';
import { countQuery, listQuery } from './list-query.js';
import { checkReadableVersion, migrate } from './migrations.js';
import { openDatabase, type OpenDatabaseOptions } from './open-database.js';
import { FloodAggregator, type FloodPolicy, type FloodWindow } from './flood-policy.js';
import { applyRetention, type RetentionPolicy } from './retention.js';

export interface SqliteAlertStoreOptions extends OpenDatabaseOptions {
  /**
   * Retention, applied at open and every `pruneEvery` inserts. Absent: never pruned. Only the agent passes
   * it (with its config): `vigil alerts ack/close` must not delete what the agent's config keeps.
   */
  readonly retention?: RetentionPolicy;
  /** Folds a flooding rule's alerts (flood-policy.ts); absent: every match is its own row. */
  readonly flood?: FloodPolicy;
  /** Retention runs at open and then every this many inserted alerts (default 500; 0: only on `prune`). */
  readonly pruneEvery?: number;
  /** Clock for created/state times and retention (tests). */
  readonly now?: () => number;
}

const INSERT_SQL = `INSERT OR IGNORE INTO alerts (
  uuid, dedup_key, time_ms, created_ms, rule_id, rule_name, rule_severity, rule_risk_score, rule_tags, rule_threat,
  rule_description, rule_file, rule_version, host_name, host_id, host_os, collector, join_keys, state, events, lost_events
) VALUES (
  @uuid, @dedup_key, @time_ms, @created_ms, @rule_id, @rule_name, @rule_severity, @rule_risk_score, @rule_tags, @rule_threat,
  @rule_description, @rule_file, @rule_version, @host_name, @host_id, @host_os, @collector, @join_keys, 'open', @events, @lost_events
)`;

/** Only `SqliteAlertStore.open` constructs one (it migrates the database first): the constructor asks for this module's key. */
const OPEN: unique symbol = Symbol('SqliteAlertStore.open');

/**
 * The SQLite alert store (better-sqlite3): one file, WAL, schema migrated at open. Each `insert` is its own
 * transaction and is committed when it returns (synchronous=FULL by default: fsync'd too). Readers on other
 * connections never block it (WAL), and it waits up to `busyTimeoutMs` for the rare writer lock.
 */
export class SqliteAlertStore implements AlertStore {
  #db: BetterSqlite3.Database;
  readonly #path: string;
  readonly #options: SqliteAlertStoreOptions;
  /** `dev:ino` of the file opened, to notice it was deleted or replaced (checkFile). */
  #identity: string | null;
  /** `dev:ino` of our -wal and -shm files (seen after a commit), so a replaced file's stale ones can be removed. */
  #walIdentity: string | null = null;
  #shmIdentity: string | null = null;
  #recoveries = 0;
  readonly #now: () => number;
  readonly #retention: RetentionPolicy | null;
  readonly #pruneEvery: number;
  readonly #readonly: boolean;
  #flood: FloodAggregator | null;
  #sinceLastPrune = 0;
  #stats = { inserted: 0, duplicates: 0, aggregated: 0, pruned: 0, pruneFailures: 0, failed: 0 };
  #insert: BetterSqlite3.Statement | null = null;
  #fold: BetterSqlite3.Statement | null = null;
  #byDedup: BetterSqlite3.Statement | null = null;
  #byId: BetterSqlite3.Statement;
  #count: BetterSqlite3.Statement | null = null;

  constructor(key: typeof OPEN, db: BetterSqlite3.Database, path: string, options: SqliteAlertStoreOptions) {
    if (key !== OPEN) throw new TypeError('SqliteAlertStore: use SqliteAlertStore.open()');
    this.#db = db;
    this.#path = path;
    this.#options = options;
    this.#identity = fileIdentity(path);
    this.#now = options.now ?? Date.now;
    this.#retention = options.retention ?? null;
    this.#flood = options.flood !== undefined ? new FloodAggregator(options.flood) : null;
    this.#pruneEvery = options.pruneEvery ?? 500;
    this.#readonly = options.readonly === true;
    this.#byId = db.prepare('SELECT * FROM alerts WHERE id = ?');
  }

  /** Opens (creating and migrating when writable) the database at `path`. */
  static open(path: string, options: SqliteAlertStoreOptions = {}): SqliteAlertStore {
    const db = openDatabase(path, options);
    try {
      if (options.readonly !== true) migrate(db);
      else checkReadableVersion(db);
      const store = new SqliteAlertStore(OPEN, db, path, options);
      if (options.readonly !== true) store.#tryPrune();
      return store;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** The underlying connection, for the CLI's read-only query and tests. */
  get database(): BetterSqlite3.Database {
    return this.#db;
  }

  insert(match: AlertMatch): InsertResult {
    return this.insertMany([match])[0]!;
  }

  insertMany(matches: readonly AlertMatch[]): InsertResult[] {
    if (this.#readonly) throw new Error('alert store opened read-only');
    this.#insert ??= this.#db.prepare(INSERT_SQL);
    this.#byDedup ??= this.#db.prepare('SELECT * FROM alerts WHERE dedup_key = ?');
    const insert = this.#insert;
    const byDedup = this.#byDedup;
    const results: InsertResult[] = [];
    try {
      this.#db.transaction(() => {
        for (const match of matches) {
          const window = this.#flood?.admit(match, this.#now()) ?? null;
          if (window !== null) {
            results.push(this.#foldInto(window, match));
            continue;
          }
          const row = this.#row(match);
          const info = insert.run(row);
          if (info.changes === 1) {
            const id = Number(info.lastInsertRowid);
            results.push({ id, inserted: true, aggregated: false, alert: alertFromRow({ ...row, id, state: 'open', state_changed_ms: null }) });
          } else {
            const existing = alertFromRow(byDedup.get(row.dedup_key) as AlertRow);
            results.push({ id: existing.id, inserted: false, aggregated: false, alert: existing });
          }
        }
      }).immediate();
    } catch (err) {
      this.#stats.failed += matches.length;
      throw err;
    }
    this.#walIdentity = fileIdentity(this.#path + '-wal');
    this.#shmIdentity = fileIdentity(this.#path + '-shm');
    for (const r of results) {
      if (r.aggregated) this.#stats.aggregated++;
      else if (r.inserted) this.#stats.inserted++;
      else this.#stats.duplicates++;
    }
    this.#sinceLastPrune += results.filter((r) => r.inserted).length;
    // The batch is committed: a retention failure (locked, disk full) must not make it look failed.
    if (this.#pruneEvery > 0 && this.#sinceLastPrune >= this.#pruneEvery) this.#tryPrune();
    return results;
  }

  /**
   * Folds a match into its flood window's aggregate row: the first folded match creates the row (inserted,
   * so it is notified once), later ones add to its count (and to its samples while there are fewer than
   * the policy's). Runs inside insertMany's transaction.
   */
  #foldInto(w: FloodWindow, match: AlertMatch): InsertResult {
    const sampled = this.#flood!.sample(w, match.events);
    if (w.aggregateId !== null) {
      this.#fold ??= this.#db.prepare(
        'UPDATE alerts SET aggregate_count = aggregate_count + 1, time_ms = max(time_ms, @time), lost_events = max(lost_events, @lost), events = coalesce(@events, events) WHERE id = @id',
      );
      const changed = this.#fold.run({ id: w.aggregateId, time: Math.floor(match.timeMs), lost: Math.max(0, Math.floor(match.lostEvents)), events: sampled ? JSON.stringify(w.samples) : null });
      if (changed.changes === 1) return { id: w.aggregateId, inserted: false, aggregated: true, alert: this.get(w.aggregateId)! };
      // The aggregate row was pruned meanwhile: start a new one.
    }
    const row = { ...this.#row(match), events: JSON.stringify(w.samples), dedup_key: 'aggregate:' + createHash('sha256').update(`${w.key}\u0000${w.window}`).digest('hex') };
    const info = this.#insert!.run(row);
    if (info.changes === 1) {
      w.aggregateId = Number(info.lastInsertRowid);
      return { id: w.aggregateId, inserted: true, aggregated: false, alert: alertFromRow({ ...row, id: w.aggregateId, state: 'open', state_changed_ms: null }) };
    }
    // The window's aggregate exists from an earlier run of the agent: add to it.
    w.aggregateId = (this.#byDedup!.get(row.dedup_key) as AlertRow).id;
    return this.#foldInto(w, match);
  }

  #row(match: AlertMatch): NewAlertRow {
    return matchRow(match, this.#now());
  }

  get(id: number): Alert | null {
    const row = this.#byId.get(id) as AlertRow | undefined;
    return row === undefined ? null : alertFromRow(row);
  }

  list(filter: AlertFilter = {}): Alert[] {
    const { sql, params } = listQuery(filter);
    return (this.#db.prepare(sql).all(params) as AlertRow[]).map(alertFromRow);
  }

  /** Alerts one at a time, read as they are consumed (export: memory stays flat however many match). */
  *iterate(filter: AlertFilter = {}): Generator<Alert> {
    const { sql, params } = listQuery(filter);
    for (const row of this.#db.prepare(sql).iterate(params)) yield alertFromRow(row as AlertRow);
  }

  /** How many alerts there are (that `filter` matches, whatever its limit). */
  count(filter?: AlertFilter): number {
    if (filter !== undefined) {
      const { sql, params } = countQuery(filter);
      return (this.#db.prepare(sql).get(params) as { n: number }).n;
    }
    this.#count ??= this.#db.prepare('SELECT count(*) AS n FROM alerts');
    return (this.#count.get() as { n: number }).n;
  }

  /**
   * Checks that the path still names the file this store has open. When the file was deleted (`rm`) or
   * replaced (`mv other alerts.db`), the open connection still reads the old inode: everything it holds is
   * copied out (`VACUUM INTO`), the connection closed, and the database reopened at the path: the copy itself
   * when the path is gone, else the new file with the old alerts merged in (same dedup keys, so nothing twice).
   * Returns whether it recovered. Throws when it cannot (the caller retries later).
   */
  checkFile(): boolean {
    if (this.#readonly) return false;
    const now = fileIdentity(this.#path);
    if (now !== null && now === this.#identity) return false;
    const copy = `${this.#path}.recovered-${process.pid}-${Date.now()}`;
    this.#db.prepare('VACUUM INTO ?').run(copy);
    chmodSync(copy, this.#options.fileMode ?? 0o600);
    this.#db.close();
    // Our -wal and -shm still sit beside the path (a reader keeps them, or the file was replaced, not
    // deleted): opening the new file with them would overlay our old pages on it. They belong to the copy now.
    for (const [suffix, identity] of [['-wal', this.#walIdentity], ['-shm', this.#shmIdentity]] as const) {
      if (identity !== null && fileIdentity(this.#path + suffix) === identity) unlinkSync(this.#path + suffix);
    }
    const missing = !existsSync(this.#path);
    if (missing) renameSync(copy, this.#path);
    const db = openDatabase(this.#path, this.#options);
    try {
      migrate(db);
      if (!missing) {
        db.prepare('ATTACH DATABASE ? AS recovered').run(copy);
        const cols = (db.prepare('SELECT name FROM pragma_table_info(?)').all('alerts') as Array<{ name: string }>).map((c) => c.name).filter((c) => c !== 'id');
        const list = cols.join(', ');
        db.exec(`INSERT OR IGNORE INTO main.alerts (${list}) SELECT ${list} FROM recovered.alerts ORDER BY id`);
        db.exec('DETACH DATABASE recovered');
        unlinkSync(copy);
      }
    } catch (err) {
      db.close();
      throw err;
    }
    this.#db = db;
    this.#identity = fileIdentity(this.#path);
    this.#insert = this.#fold = this.#byDedup = this.#count = null;
    this.#byId = db.prepare('SELECT * FROM alerts WHERE id = ?');
    // Aggregate rows have new ids in the reopened file: folding starts over.
    if (this.#options.flood !== undefined) this.#flood = new FloodAggregator(this.#options.flood);
    this.#recoveries++;
    return true;
  }

  /** Times checkFile found the file deleted or replaced and recovered. */
  get recoveries(): number {
    return this.#recoveries;
  }

  setState(ids: readonly number[], state: AlertState): number[] {
    const update = this.#db.prepare('UPDATE alerts SET state = ?, state_changed_ms = ? WHERE id = ?');
    const done: number[] = [];
    const now = Math.floor(this.#now());
    this.#db.transaction(() => {
      for (const id of ids) if (update.run(state, now, id).changes === 1) done.push(id);
    }).immediate();
    return done;
  }

  prune(nowMs: number = this.#now()): number {
    if (this.#readonly || this.#retention === null) return 0;
    const n = applyRetention(this.#db, this.#retention, nowMs);
    this.#stats.pruned += n;
    this.#sinceLastPrune = 0;
    return n;
  }

  /** Retention that never throws: a failure (locked, disk full) is counted and retried next time. */
  #tryPrune(): void {
    try {
      this.prune();
    } catch {
      this.#stats.pruneFailures++;
    }
  }

  stats(): AlertStoreStats {
    return { ...this.#stats };
  }

  /**
   * Closes the database. A writable store first leaves WAL mode (`journal_mode = DELETE`, which
   * checkpoints): a read-only reader of another user (the service's 0640 file read by `vigil alerts` or
   * `vigil notify`) cannot create the -shm file itself, and without a writer running there is none. If a
   * reader is busy at that moment the file just stays in WAL mode (still correct). The next open returns
   * to WAL.
   */
  close(): void {
    if (!this.#db.open) return;
    if (!this.#readonly) {
      try {
        this.#db.pragma('journal_mode = DELETE');
      } catch {
        // SQLITE_BUSY: a reader holds the WAL; staying in WAL mode is fine.
      }
    }
    this.#db.close();
  }
}

/** `dev:ino` of the file at `path`, null when there is none. */
function fileIdentity(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}
