import { basename, dirname, join } from 'node:path';

/** The activity journal beside an alert database: `alerts.db` -> `alerts-ai.db` in the same directory. */
export function journalPathFor(alertDbPath: string): string {
  const base = basename(alertDbPath).replace(/\.(db|sqlite3?)$/, '');
  return join(dirname(alertDbPath), `${base}-ai.db`);
}
