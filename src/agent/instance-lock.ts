/**
 * One agent per state directory and per alert database. Two agents on one state dir overwrite each other's
 * status.json; two on one database double every alert. The lock is a kernel lock (SQLite's POSIX advisory lock
 * on a small lock file, held in exclusive locking mode for the connection's life), so it is released when the
 * process dies, even by kill -9: no stale lock to clean up, no pid-reuse guess. Beside it, `<lock>.pid` names
 * the holder for the message a second agent prints.
 */
import { closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';

/** Another process holds the lock; `pid` is null when it has not written its pid yet. */
export class InstanceLockedError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number | null,
    readonly holder: string | null,
  ) {
    super(`another Vigil agent (${pid === null ? 'pid unknown' : `pid ${pid}`}${holder !== null ? `: ${holder}` : ''}) holds ${path}; stop it or give this one another --state-dir / --db`);
    this.name = 'InstanceLockedError';
  }
}

export interface InstanceLock {
  readonly path: string;
  release(): void;
}

const pidPath = (path: string): string => `${path}.pid`;

function readPid(path: string): number | null {
  try {
    const fd = openSync(pidPath(path), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const n = Number(readFileSync(fd, 'utf8').trim());
      return Number.isSafeInteger(n) && n > 0 ? n : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

function writePid(path: string): void {
  const tmp = `${pidPath(path)}.${process.pid}.tmp`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, pidPath(path));
}

/** Takes the lock at `path` (creating its directory 0700), or throws InstanceLockedError naming the holder. */
export function acquireInstanceLock(path: string): InstanceLock {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    if (lstatSync(path).isSymbolicLink()) throw new Error(`${path} is a symbolic link; refusing to use it as a lock`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const db: BetterSqlite3.Database = new Database(path, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the EXCLUSIVE lock, and exclusive locking mode keeps it until close.
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder;');
    db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new InstanceLockedError(path, readPid(path), null);
    throw err;
  }
  writePid(path);
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      if (readPid(path) === process.pid) {
        try {
          unlinkSync(pidPath(path));
        } catch {
          // already gone
        }
      }
      db.close();
    },
  };
}

/**
 * The holder's command line from the process list (ps-list), to tell the user what to stop. ps-list is
 * imported here, on the rare conflict, not with this module (which every agent imports).
 */
export async function describeHolder(pid: number): Promise<string | null> {
  try {
    const { default: psList } = await import('ps-list');
    const p = (await psList()).find((x) => x.pid === pid);
    return p === undefined ? null : (p.cmd ?? p.name);
  } catch {
    return null;
  }
}
