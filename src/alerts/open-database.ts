import { accessSync, constants, existsSync, lstatSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { createFileNoFollow, ensurePrivateDir, refuseSymlink } from './safe-files.js';

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
  /** Writable: accept a database path that is a symbolic link (`[storage] allow_db_symlink`); refused otherwise. */
  readonly allowSymlink?: boolean;
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
 * Opens the alert database. Writable: refuses a path that is a symbolic link (unless `allowSymlink`),
 * makes sure the directory is private (safe-files.ts: created 0700, or an existing one owned by the running
 * user and not group/world-writable), creates the file exclusively without following links, with `fileMode`
 * set exactly (SQLite gives the -wal and -shm files the same mode), then WAL, busy timeout and synchronous
 * level. Read-only: the file must exist.
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
  if (options.allowSymlink !== true) {
    refuseSymlink(path, 'the alert database path is a symbolic link (set [storage] allow_db_symlink = true to accept it)');
  }
  if (!existsSync(path) && !isSymlink(path)) {
    // A new database goes only into a private directory (an existing one may be reopened by its owner's
    // tools, e.g. `vigil alerts ack` as root on the service's file: the agent checks its own directory).
    ensurePrivateDir(dirname(path));
    createFileNoFollow(path, options.fileMode ?? 0o600);
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

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
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
