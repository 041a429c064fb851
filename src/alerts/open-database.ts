import { accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';

export interface OpenDatabaseOptions {
  /** Open read-only (`readonly: true` + `PRAGMA query_only`); the file must exist. */
  readonly readonly?: boolean;
  /** Mode of a newly created database file (default 0o600: command lines are sensitive). */
  readonly fileMode?: number;
  /** How long a statement waits for a lock before SQLITE_BUSY (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /**
   * `full`: every commit is fsync'd (survives power loss); `normal`: the WAL is fsync'd at checkpoints
   * only (a commit survives a process crash, `kill -9`, but maybe not power loss). Default `full`.
   */
  readonly synchronous?: 'full' | 'normal';
}

/** Raised when a database cannot be opened; `code` is stable. */
export class AlertDatabaseError extends Error {
  constructor(
    readonly code: 'ALERTS_DB_MISSING' | 'ALERTS_DB_DENIED' | 'ALERTS_DB_OPEN',
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'AlertDatabaseError';
  }
}

/**
 * Opens the alert database. Writable: creates the directory (0700) and the file with `fileMode` set
 * explicitly (chmod after create, so the umask does not matter; SQLite gives the -wal and -shm files the
 * same mode), then WAL, busy timeout and synchronous level. Read-only: the file must exist.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): BetterSqlite3.Database {
  const busy = options.busyTimeoutMs ?? 5000;
  checkAccess(path, options.readonly === true);
  if (options.readonly === true) {
    let db: BetterSqlite3.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true, timeout: busy });
    } catch (err) {
      throw new AlertDatabaseError('ALERTS_DB_OPEN', `cannot open ${path} read-only: ${(err as Error).message}`, path);
    }
    db.pragma('query_only = ON');
    return db;
  }
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const mode = options.fileMode ?? 0o600;
    closeSync(openSync(path, 'a', mode));
    chmodSync(path, mode);
  }
  let db: BetterSqlite3.Database;
  try {
    db = new Database(path, { timeout: busy });
  } catch (err) {
    throw new AlertDatabaseError('ALERTS_DB_OPEN', `cannot open ${path}: ${(err as Error).message}`, path);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${(options.synchronous ?? 'full').toUpperCase()}`);
  } catch (err) {
    // SQLite opens a file it may not write read-only without saying so; the first write tells.
    db.close();
    throw new AlertDatabaseError('ALERTS_DB_OPEN', `cannot open ${path} for writing: ${(err as Error).message}`, path);
  }
  return db;
}

/**
 * Tells a database that does not exist from one we may not read or write (a file, or a directory on the way,
 * without permission: `existsSync` says false for both). Read-only: the file must exist.
 */
function checkAccess(path: string, readonly: boolean): void {
  try {
    accessSync(path, readonly ? constants.R_OK : constants.R_OK | constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      const who = process.getuid === undefined ? 'this user' : `uid ${process.getuid()}`;
      throw new AlertDatabaseError('ALERTS_DB_DENIED', `permission denied: ${who} may not ${readonly ? 'read' : 'write'} the alert database ${path} (or a directory above it)`, path);
    }
    if (code === 'ENOENT' && readonly) throw new AlertDatabaseError('ALERTS_DB_MISSING', `no alert database at ${path}`, path);
  }
}
