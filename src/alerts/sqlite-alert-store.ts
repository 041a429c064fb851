import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Alert } from './alert.js';
import type { AlertFilter } from './alert-filter.js';
import type { AlertMatch } from './alert-match.js';
import { alertFromRow, type AlertRow } from './alert-row.js';
import type { AlertState } from './alert-state.js';
import type { AlertStore, AlertStoreStats, InsertResult } from './alert-store.js';
import { dedupKey } from './dedup-key.js';
import { countQuery, listQuery } from './list-query.js';
import { checkReadableVersion, migrate } from './migrations.js';
import { openDatabase, type OpenDatabaseOptions } from './open-database.js';
import { applyRetention, DEFAULT_RETENTION, type RetentionPolicy } from './retention.js';

export interface SqliteAlertStoreOptions extends OpenDatabaseOptions {
  readonly retention?: RetentionPolicy;
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

/**
 * The SQLite alert store (better-sqlite3): one file, WAL, schema migrated at open. Each `insert` is its own
 * transaction and is committed when it returns (synchronous=FULL by default: fsync'd too). Readers on other
 * connections never block it (WAL), and it waits up to `busyTimeoutMs` for the rare writer lock.
 */
export class SqliteAlertStore implements AlertStore {
  readonly #db: BetterSqlite3.Database;
  readonly #now: () => number;
  readonly #retention: RetentionPolicy;
  readonly #pruneEvery: number;
  readonly #readonly: boolean;
  #sinceLastPrune = 0;
  #stats = { inserted: 0, duplicates: 0, pruned: 0, failed: 0 };
  #insert: BetterSqlite3.Statement | null = null;
  #byDedup: BetterSqlite3.Statement | null = null;
  #byId: BetterSqlite3.Statement;
  #count: BetterSqlite3.Statement | null = null;

  private constructor(db: BetterSqlite3.Database, options: SqliteAlertStoreOptions) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
    this.#retention = options.retention ?? DEFAULT_RETENTION;
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
      const store = new SqliteAlertStore(db, options);
      if (options.readonly !== true) store.prune();
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
          const row = this.#row(match);
          const info = insert.run(row);
          if (info.changes === 1) {
            const id = Number(info.lastInsertRowid);
            results.push({ id, inserted: true, alert: alertFromRow({ ...row, id, state: 'open', state_changed_ms: null }) });
          } else {
            const existing = alertFromRow(byDedup.get(row.dedup_key) as AlertRow);
            results.push({ id: existing.id, inserted: false, alert: existing });
          }
        }
      }).immediate();
    } catch (err) {
      this.#stats.failed += matches.length;
      throw err;
    }
    for (const r of results) {
      if (r.inserted) this.#stats.inserted++;
      else this.#stats.duplicates++;
    }
    this.#sinceLastPrune += results.filter((r) => r.inserted).length;
    if (this.#pruneEvery > 0 && this.#sinceLastPrune >= this.#pruneEvery) this.prune();
    return results;
  }

  #row(match: AlertMatch): Omit<AlertRow, 'id' | 'state' | 'state_changed_ms'> {
    const r = match.rule;
    return {
      uuid: randomUUID(),
      dedup_key: dedupKey(match),
      time_ms: Math.floor(match.timeMs),
      created_ms: Math.floor(this.#now()),
      rule_id: r.id,
      rule_name: r.name,
      rule_severity: r.severity,
      rule_risk_score: r.riskScore,
      rule_tags: JSON.stringify(r.tags),
      rule_threat: JSON.stringify(r.threat),
      rule_description: r.description ?? null,
      rule_file: r.file,
      rule_version: r.version ?? null,
      host_name: match.host.name,
      host_id: match.host.id,
      host_os: match.host.os,
      collector: match.collector,
      join_keys: JSON.stringify(match.joinKeys),
      events: JSON.stringify(match.events),
      lost_events: Math.max(0, Math.floor(match.lostEvents)),
    };
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
    if (this.#readonly) return 0;
    const n = applyRetention(this.#db, this.#retention, nowMs);
    this.#stats.pruned += n;
    this.#sinceLastPrune = 0;
    return n;
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
