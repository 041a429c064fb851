import type BetterSqlite3 from 'better-sqlite3';

/**
 * Schema migrations. `PRAGMA user_version` holds the number of migrations applied; opening a database runs
 * the missing ones in order, each in its own transaction with the version bump, so a crash leaves the file
 * at a whole version. A database newer than this code is refused (never downgraded).
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'alerts table',
    sql: `
      CREATE TABLE alerts (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        uuid            TEXT NOT NULL UNIQUE,
        dedup_key       TEXT NOT NULL UNIQUE,
        time_ms         INTEGER NOT NULL,
        created_ms      INTEGER NOT NULL,
        rule_id         TEXT NOT NULL,
        rule_name       TEXT NOT NULL,
        rule_severity   TEXT NOT NULL,
        rule_risk_score REAL NOT NULL,
        rule_tags       TEXT NOT NULL,
        rule_threat     TEXT NOT NULL,
        rule_description TEXT,
        rule_file       TEXT,
        rule_version    TEXT,
        host_name       TEXT NOT NULL,
        host_id         TEXT NOT NULL,
        host_os         TEXT NOT NULL,
        collector       TEXT NOT NULL,
        join_keys       TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'closed')),
        events          TEXT NOT NULL,
        lost_events     INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX alerts_time ON alerts (time_ms);
    `,
  },
  {
    version: 2,
    description: 'state change time, rule and state indexes, alert_events view for `vigil alerts query`',
    sql: `
      ALTER TABLE alerts ADD COLUMN state_changed_ms INTEGER;
      CREATE INDEX alerts_rule ON alerts (rule_id);
      CREATE INDEX alerts_state ON alerts (state, id);
      CREATE VIEW alert_events AS
        SELECT a.id AS alert_id, CAST(e.key AS INTEGER) AS position, e.value AS event
        FROM alerts AS a, json_each(a.events) AS e;
    `,
  },
  {
    version: 3,
    description: 'aggregate count (flood folding: one row stands for this many matches)',
    sql: `
      ALTER TABLE alerts ADD COLUMN aggregate_count INTEGER NOT NULL DEFAULT 1;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class SchemaVersionError extends Error {
  readonly code = 'ALERTS_SCHEMA_TOO_NEW';
  constructor(readonly found: number) {
    super(`alert database schema version ${found} is newer than this vigil (${SCHEMA_VERSION}); upgrade vigil`);
    this.name = 'SchemaVersionError';
  }
}

/** Applies migrations after the database's current version, up to `target` (default: all). Returns versions applied. */
export function migrate(db: BetterSqlite3.Database, target: number = SCHEMA_VERSION): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new SchemaVersionError(current);
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}

/** For read-only connections (which cannot migrate): refuses a database newer than this code. */
export function checkReadableVersion(db: BetterSqlite3.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new SchemaVersionError(current);
}
