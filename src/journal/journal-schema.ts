import type BetterSqlite3 from 'better-sqlite3';

/**
 * The activity journal's schema. As for the alert store: `PRAGMA user_version` counts the migrations applied,
 * each runs in one transaction with its version bump, and a newer file is refused.
 */
const MIGRATIONS: ReadonlyArray<{ readonly version: number; readonly sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE sessions (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        agent              TEXT NOT NULL,
        entity_id          TEXT NOT NULL UNIQUE,
        pid                INTEGER,
        user_name          TEXT,
        working_directory  TEXT,
        command_line       TEXT,
        host_name          TEXT,
        start_ms           INTEGER NOT NULL,
        end_ms             INTEGER,
        last_ms            INTEGER NOT NULL,
        processes          INTEGER NOT NULL DEFAULT 0,
        processes_dropped  INTEGER NOT NULL DEFAULT 0,
        files_written      INTEGER NOT NULL DEFAULT 0,
        sensitive_reads    INTEGER NOT NULL DEFAULT 0,
        files_dropped      INTEGER NOT NULL DEFAULT 0,
        connections        INTEGER NOT NULL DEFAULT 0,
        connections_dropped INTEGER NOT NULL DEFAULT 0,
        alerts             INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX sessions_start ON sessions (start_ms);
      CREATE TABLE processes (
        session_id         INTEGER NOT NULL,
        entity_id          TEXT NOT NULL,
        parent_entity_id   TEXT,
        pid                INTEGER,
        name               TEXT,
        executable         TEXT,
        command_line       TEXT,
        working_directory  TEXT,
        start_ms           INTEGER,
        end_ms             INTEGER,
        exit_code          INTEGER,
        PRIMARY KEY (session_id, entity_id)
      );
      CREATE TABLE files (
        id                 INTEGER PRIMARY KEY,
        session_id         INTEGER NOT NULL,
        entity_id          TEXT NOT NULL,
        time_ms            INTEGER NOT NULL,
        action             TEXT NOT NULL,
        path               TEXT NOT NULL,
        sensitive          INTEGER NOT NULL
      );
      CREATE INDEX processes_entity ON processes (entity_id);
      CREATE INDEX files_session ON files (session_id);
      CREATE TABLE connections (
        id                 INTEGER PRIMARY KEY,
        session_id         INTEGER NOT NULL,
        entity_id          TEXT NOT NULL,
        time_ms            INTEGER NOT NULL,
        direction          TEXT,
        transport          TEXT,
        destination_ip     TEXT,
        destination_port   INTEGER,
        domain             TEXT,
        outcome            TEXT
      );
      CREATE INDEX connections_session ON connections (session_id);
      CREATE TABLE alerts (
        session_id         INTEGER NOT NULL,
        alert_id           INTEGER NOT NULL,
        entity_id          TEXT NOT NULL,
        time_ms            INTEGER NOT NULL,
        rule_name          TEXT NOT NULL,
        severity           TEXT NOT NULL,
        PRIMARY KEY (session_id, alert_id, entity_id)
      ) WITHOUT ROWID;
      CREATE INDEX alerts_alert ON alerts (alert_id);
    `,
  },
];

export const JOURNAL_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Brings a journal file up to this code's schema; refuses a newer one. */
export function migrateJournal(db: BetterSqlite3.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > JOURNAL_SCHEMA_VERSION) {
    throw new Error(`activity journal schema version ${current} is newer than this vigil (${JOURNAL_SCHEMA_VERSION}); upgrade vigil`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
