import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { userStateDir } from '../agent/status-file.js';

/** The alert database of the system service (`vigil install`). */
export const SYSTEM_DATABASE_PATH = '/var/lib/vigil/alerts.db';

/** The per-user alert database `vigil run` writes by default. */
export function userDatabasePath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(userStateDir({ ...env, HOME: home }), 'alerts.db');
}

/**
 * The database a reading command (`vigil alerts`, `vigil notify`) uses when `--db` is not given: the
 * per-user database if it exists, else the service's if that exists, else the per-user path (which the
 * command then reports as missing, or, for `vigil notify`, waits for).
 */
export function readerDatabasePath(env: NodeJS.ProcessEnv = process.env, home: string = homedir(), exists: (p: string) => boolean = existsSync): string {
  const user = userDatabasePath(env, home);
  if (exists(user)) return user;
  if (exists(SYSTEM_DATABASE_PATH)) return SYSTEM_DATABASE_PATH;
  return user;
}
