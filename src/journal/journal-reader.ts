import type BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../alerts/open-database.js';
import { JOURNAL_SCHEMA_VERSION } from './journal-schema.js';

/** One AI-agent session as `vigil ai sessions` lists it. */
export interface SessionSummary {
  readonly id: number;
  readonly agent: string;
  readonly entityId: string;
  readonly pid: number | null;
  readonly user: string | null;
  readonly workingDirectory: string | null;
  readonly commandLine: string | null;
  readonly host: string | null;
  readonly start: string;
  readonly end: string | null;
  readonly last: string;
  readonly processes: number;
  readonly processesDropped: number;
  readonly filesWritten: number;
  readonly sensitiveReads: number;
  readonly filesDropped: number;
  readonly connections: number;
  readonly connectionsDropped: number;
  readonly alerts: number;
}

export interface JournalProcess {
  readonly entityId: string;
  readonly parentEntityId: string | null;
  readonly pid: number | null;
  readonly name: string | null;
  readonly executable: string | null;
  readonly commandLine: string | null;
  readonly workingDirectory: string | null;
  readonly start: string | null;
  readonly end: string | null;
  readonly exitCode: number | null;
}

export interface JournalFile {
  readonly entityId: string;
  readonly time: string;
  readonly action: string;
  readonly path: string;
  readonly sensitive: boolean;
}

export interface JournalConnection {
  readonly entityId: string;
  readonly time: string;
  readonly direction: string | null;
  readonly transport: string | null;
  readonly ip: string | null;
  readonly port: number | null;
  readonly domain: string | null;
  readonly outcome: string | null;
}

export interface JournalAlert {
  readonly alertId: number;
  readonly entityId: string;
  readonly time: string;
  readonly rule: string;
  readonly severity: string;
}

/** Everything the journal holds about one session. */
export interface SessionDetail {
  readonly session: SessionSummary;
  readonly processes: readonly JournalProcess[];
  readonly files: readonly JournalFile[];
  readonly connections: readonly JournalConnection[];
  readonly alerts: readonly JournalAlert[];
}

export interface SessionQuery {
  readonly sinceMs?: number;
  readonly agent?: string;
  readonly limit?: number;
}

type Row = Record<string, unknown>;
const iso = (ms: unknown): string | null => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null);
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const n = (v: unknown): number | null => (typeof v === 'number' ? v : null);

function summary(r: Row): SessionSummary {
  return {
    id: r['id'] as number, agent: r['agent'] as string, entityId: r['entity_id'] as string, pid: n(r['pid']), user: s(r['user_name']),
    workingDirectory: s(r['working_directory']), commandLine: s(r['command_line']), host: s(r['host_name']),
    start: iso(r['start_ms'])!, end: iso(r['end_ms']), last: iso(r['last_ms'])!,
    processes: r['processes'] as number, processesDropped: r['processes_dropped'] as number, filesWritten: r['files_written'] as number,
    sensitiveReads: r['sensitive_reads'] as number, filesDropped: r['files_dropped'] as number, connections: r['connections'] as number,
    connectionsDropped: r['connections_dropped'] as number, alerts: r['alerts'] as number,
  };
}

/** Only `JournalReader.open` constructs one (it checks the schema first): the constructor asks for this module's key. */
const OPEN: unique symbol = Symbol('JournalReader.open');

/** Read-only access to an activity journal (`vigil ai`, `vigil alerts show`, `vigil notify`). */
export class JournalReader {
  readonly #db: BetterSqlite3.Database;

  constructor(key: typeof OPEN, db: BetterSqlite3.Database) {
    if (key !== OPEN) throw new TypeError('JournalReader: use JournalReader.open()');
    this.#db = db;
  }

  /** Opens read-only; throws AlertDatabaseError (ALERTS_DB_MISSING) when there is no journal there. */
  static open(path: string): JournalReader {
    const db = openDatabase(path, { readonly: true });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > JOURNAL_SCHEMA_VERSION) {
      db.close();
      throw new Error(`${path}: activity journal schema version ${version} is newer than this vigil (${JOURNAL_SCHEMA_VERSION}); upgrade vigil`);
    }
    if (version === 0) {
      db.close();
      throw new Error(`${path}: not an activity journal (no schema)`);
    }
    return new JournalReader(OPEN, db);
  }

  sessions(q: SessionQuery = {}): SessionSummary[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.sinceMs !== undefined) {
      where.push('last_ms >= ?');
      args.push(q.sinceMs);
    }
    if (q.agent !== undefined) {
      where.push('agent = ?');
      args.push(q.agent);
    }
    const sql = `SELECT * FROM sessions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY start_ms DESC, id DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...args, q.limit ?? 1000) as Row[]).map(summary);
  }

  session(id: number): SessionDetail | null {
    const row = this.#db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as Row | undefined;
    if (row === undefined) return null;
    const processes = (this.#db.prepare('SELECT * FROM processes WHERE session_id = ? ORDER BY start_ms, rowid').all(id) as Row[]).map((r): JournalProcess => ({
      entityId: r['entity_id'] as string, parentEntityId: s(r['parent_entity_id']), pid: n(r['pid']), name: s(r['name']), executable: s(r['executable']),
      commandLine: s(r['command_line']), workingDirectory: s(r['working_directory']), start: iso(r['start_ms']), end: iso(r['end_ms']), exitCode: n(r['exit_code']),
    }));
    const files = (this.#db.prepare('SELECT * FROM files WHERE session_id = ? ORDER BY time_ms, id').all(id) as Row[]).map((r): JournalFile => ({
      entityId: r['entity_id'] as string, time: iso(r['time_ms'])!, action: r['action'] as string, path: r['path'] as string, sensitive: r['sensitive'] === 1,
    }));
    const connections = (this.#db.prepare('SELECT * FROM connections WHERE session_id = ? ORDER BY time_ms, id').all(id) as Row[]).map((r): JournalConnection => ({
      entityId: r['entity_id'] as string, time: iso(r['time_ms'])!, direction: s(r['direction']), transport: s(r['transport']), ip: s(r['destination_ip']),
      port: n(r['destination_port']), domain: s(r['domain']), outcome: s(r['outcome']),
    }));
    const alerts = (this.#db.prepare('SELECT * FROM alerts WHERE session_id = ? ORDER BY time_ms, alert_id').all(id) as Row[]).map((r): JournalAlert => ({
      alertId: r['alert_id'] as number, entityId: r['entity_id'] as string, time: iso(r['time_ms'])!, rule: r['rule_name'] as string, severity: r['severity'] as string,
    }));
    return { session: summary(row), processes, files, connections, alerts };
  }

  /** The session an alert was linked to (the first, when its events span several). */
  sessionOfAlert(alertId: number): { id: number; agent: string } | null {
    const r = this.#db
      .prepare('SELECT s.id AS id, s.agent AS agent FROM alerts AS a JOIN sessions AS s ON s.id = a.session_id WHERE a.alert_id = ? ORDER BY s.id LIMIT 1')
      .get(alertId) as { id: number; agent: string } | undefined;
    return r ?? null;
  }

  /** The session whose process tree holds this process, if any. */
  sessionOfProcess(entityId: string): number | null {
    const r = this.#db.prepare('SELECT session_id FROM processes WHERE entity_id = ? ORDER BY session_id DESC LIMIT 1').get(entityId) as { session_id: number } | undefined;
    return r?.session_id ?? null;
  }

  close(): void {
    this.#db.close();
  }
}
