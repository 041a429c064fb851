import { openDatabase } from './open-database.js';

/** Raised for a statement `vigil alerts query` refuses or SQLite rejects; nothing was changed. */
export class ReadOnlyQueryError extends Error {
  constructor(
    readonly code: 'ALERTS_QUERY_WRITE' | 'ALERTS_QUERY_SQL',
    message: string,
  ) {
    super(message);
    this.name = 'ReadOnlyQueryError';
  }
}

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<Record<string, unknown>>;
}

/**
 * Runs one SQL statement on a read-only connection (`readonly: true` and `PRAGMA query_only`). A statement
 * that would write (SQLite's own `sqlite3_stmt_readonly` verdict), or returns no rows (ATTACH, BEGIN,
 * setting PRAGMAs), is refused before it runs; the read-only
 * connection would refuse it anyway. At most `maxRows` rows are returned (default 10000).
 */
export function runReadOnlyQuery(path: string, sql: string, maxRows = 10_000): QueryResult {
  const db = openDatabase(path, { readonly: true });
  try {
    let stmt;
    try {
      stmt = db.prepare(sql);
    } catch (err) {
      throw new ReadOnlyQueryError('ALERTS_QUERY_SQL', `SQL error: ${(err as Error).message}`);
    }
    if (!stmt.readonly) {
      throw new ReadOnlyQueryError('ALERTS_QUERY_WRITE', 'refused: this statement writes, and `vigil alerts query` is read-only (use `ack`/`close` to change alerts)');
    }
    if (!stmt.reader) {
      throw new ReadOnlyQueryError('ALERTS_QUERY_SQL', 'refused: only statements that return rows (SELECT, WITH, read-only PRAGMA) are run');
    }
    const columns = stmt.columns().map((c) => c.name);
    const rows: Record<string, unknown>[] = [];
    try {
      for (const row of stmt.iterate() as Iterable<Record<string, unknown>>) {
        rows.push(row);
        if (rows.length >= maxRows) break;
      }
    } catch (err) {
      throw new ReadOnlyQueryError('ALERTS_QUERY_SQL', `SQL error: ${(err as Error).message}`);
    }
    return { columns, rows };
  } finally {
    db.close();
  }
}
