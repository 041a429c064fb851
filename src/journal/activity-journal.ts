import type BetterSqlite3 from 'better-sqlite3';
import type { EcsEvent } from '../ecs/ecs-event.js';
import { compileFieldGetter } from '../ecs/field-getter.js';
import { openDatabase } from '../alerts/open-database.js';
import { migrateJournal } from './journal-schema.js';

export interface JournalLimits {
  /** Per session: process rows kept (the root included); beyond it processes are counted only. */
  readonly maxProcessesPerSession: number;
  /** Per session: file rows (changes and sensitive opens) kept. */
  readonly maxFilesPerSession: number;
  /** Per session: connection rows kept. */
  readonly maxConnectionsPerSession: number;
  /** Ended sessions older than this are deleted (0 keeps them). */
  readonly retentionDays: number;
  /** Past this file size the oldest ended sessions are deleted (0: no cap). */
  readonly maxBytes: number;
}

export interface JournalOptions extends JournalLimits {
  readonly fileMode?: number;
  /** Processes whose session is remembered (entity id -> session), oldest forgotten first (default 100000). */
  readonly maxMembers?: number;
  /** Rows waiting for the next flush; beyond it rows are dropped and counted (default 50000). */
  readonly maxPendingRows?: number;
  /** Rows that trigger a flush before the timer does (default 2000). */
  readonly flushRows?: number;
}

export interface JournalStats {
  sessions: number;
  processes: number;
  processesDropped: number;
  files: number;
  filesDropped: number;
  connections: number;
  connectionsDropped: number;
  alertsLinked: number;
  /** AI-agent events whose session was not known (its root started before the journal, or was forgotten). */
  unattributed: number;
  /** Processes forgotten because `maxMembers` was reached. */
  membersEvicted: number;
  /** Rows dropped because `maxPendingRows` was reached (the database did not keep up or failed). */
  pendingDropped: number;
  writeErrors: number;
  flushes: number;
  /** Sessions deleted by retention (age or size). */
  pruned: number;
}

/** Where a process's events go: its session, and whether its own row is kept (within the cap). */
interface Session {
  readonly id: number;
  readonly rootEntityId: string;
  readonly agent: string;
  processes: number;
  processesDropped: number;
  filesWritten: number;
  sensitiveReads: number;
  filesDropped: number;
  connections: number;
  connectionsDropped: number;
  alerts: number;
  endMs: number | null;
  lastMs: number;
  deleted: boolean;
}

interface Member {
  readonly session: Session;
  readonly journaled: boolean;
}

interface ProcessRow {
  session_id: number;
  entity_id: string;
  parent_entity_id: string | null;
  pid: number | null;
  name: string | null;
  executable: string | null;
  command_line: string | null;
  working_directory: string | null;
  start_ms: number | null;
  end_ms: number | null;
  exit_code: number | null;
}

/** The session an alert was linked to (for notifications). */
export interface LinkedSession {
  readonly sessionId: number;
  readonly agent: string;
}

const G = {
  aiName: compileFieldGetter('process.ai_agent.name'),
  aiDescendant: compileFieldGetter('process.ai_agent.is_descendant'),
  category: compileFieldGetter('event.category'),
  action: compileFieldGetter('event.action'),
  entityId: compileFieldGetter('process.entity_id'),
  parentEntityId: compileFieldGetter('process.parent.entity_id'),
  pid: compileFieldGetter('process.pid'),
  name: compileFieldGetter('process.name'),
  executable: compileFieldGetter('process.executable'),
  commandLine: compileFieldGetter('process.command_line'),
  workingDirectory: compileFieldGetter('process.working_directory'),
  start: compileFieldGetter('process.start'),
  exitCode: compileFieldGetter('process.exit_code'),
  userName: compileFieldGetter('user.name'),
  hostName: compileFieldGetter('host.name'),
  direction: compileFieldGetter('network.direction'),
  transport: compileFieldGetter('network.transport'),
  destinationIp: compileFieldGetter('destination.ip'),
  destinationPort: compileFieldGetter('destination.port'),
  destinationDomain: compileFieldGetter('destination.domain'),
  sourceIp: compileFieldGetter('source.ip'),
  sourcePort: compileFieldGetter('source.port'),
  outcome: compileFieldGetter('event.outcome'),
  filePath: compileFieldGetter('file.path'),
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const firstOf = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** File actions that change a file (the rest, `open`, are sensitive reads). */
const FILE_CHANGES = new Set(['creation', 'modification', 'overwrite', 'deletion', 'rename', 'attributes_modified']);
const CONNECTION_ACTIONS = new Set(['connection_attempted', 'connection_accepted']);

/** How often retention runs from flush(). */
const PRUNE_EVERY_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

/** Only `ActivityJournal.open` constructs one (it migrates the database first): the constructor asks for this module's key. */
const OPEN: unique symbol = Symbol('ActivityJournal.open');

/**
 * The AI-agent activity journal: one session per AI-agent root process (process.ai_agent, is_descendant
 * false), and per session what its descendants started, changed, opened and connected to, with the alerts
 * raised on them. Fed with normalized ECS documents (only those carrying process.ai_agent cost more than one
 * field read); rows are buffered and written in one transaction per flush. Bounded everywhere: per-session
 * row caps (overflow counted on the session), remembered processes, pending rows, file age and size.
 */
export class ActivityJournal {
  readonly path: string;
  readonly #db: BetterSqlite3.Database;
  readonly #o: Required<JournalOptions>;
  readonly #members = new Map<string, Member>();
  readonly #dirty = new Set<Session>();
  readonly #pendingProcesses = new Map<string, ProcessRow>();
  #pendingFiles: unknown[][] = [];
  #pendingConnections: unknown[][] = [];
  #lastPruneMs = -Infinity;
  readonly #stats: JournalStats = {
    sessions: 0, processes: 0, processesDropped: 0, files: 0, filesDropped: 0, connections: 0, connectionsDropped: 0,
    alertsLinked: 0, unattributed: 0, membersEvicted: 0, pendingDropped: 0, writeErrors: 0, flushes: 0, pruned: 0,
  };
  readonly #stmt: {
    openSession: BetterSqlite3.Statement;
    sessionByEntity: BetterSqlite3.Statement;
    updateSession: BetterSqlite3.Statement;
    upsertProcess: BetterSqlite3.Statement;
    insertFile: BetterSqlite3.Statement;
    insertConnection: BetterSqlite3.Statement;
    linkAlert: BetterSqlite3.Statement;
  };
  readonly #writeError: (err: unknown) => void;

  constructor(key: typeof OPEN, path: string, db: BetterSqlite3.Database, options: JournalOptions, onWriteError: (err: unknown) => void) {
    if (key !== OPEN) throw new TypeError('ActivityJournal: use ActivityJournal.open()');
    this.path = path;
    this.#db = db;
    this.#o = { fileMode: 0o600, maxMembers: 100_000, maxPendingRows: 50_000, flushRows: 2000, ...options };
    this.#writeError = onWriteError;
    this.#stmt = {
      openSession: db.prepare(`INSERT INTO sessions (agent, entity_id, pid, user_name, working_directory, command_line, host_name, start_ms, last_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entity_id) DO NOTHING`),
      sessionByEntity: db.prepare('SELECT * FROM sessions WHERE entity_id = ?'),
      updateSession: db.prepare(`UPDATE sessions SET end_ms = ?, last_ms = ?, processes = ?, processes_dropped = ?, files_written = ?,
        sensitive_reads = ?, files_dropped = ?, connections = ?, connections_dropped = ?, alerts = ? WHERE id = ?`),
      upsertProcess: db.prepare(`INSERT INTO processes (session_id, entity_id, parent_entity_id, pid, name, executable, command_line, working_directory, start_ms, end_ms, exit_code)
        VALUES (@session_id, @entity_id, @parent_entity_id, @pid, @name, @executable, @command_line, @working_directory, @start_ms, @end_ms, @exit_code)
        ON CONFLICT (session_id, entity_id) DO UPDATE SET
          parent_entity_id = coalesce(excluded.parent_entity_id, parent_entity_id), pid = coalesce(excluded.pid, pid),
          name = coalesce(excluded.name, name), executable = coalesce(excluded.executable, executable),
          command_line = coalesce(excluded.command_line, command_line), working_directory = coalesce(excluded.working_directory, working_directory),
          start_ms = coalesce(excluded.start_ms, start_ms), end_ms = coalesce(excluded.end_ms, end_ms), exit_code = coalesce(excluded.exit_code, exit_code)`),
      insertFile: db.prepare('INSERT INTO files (session_id, entity_id, time_ms, action, path, sensitive) VALUES (?, ?, ?, ?, ?, ?)'),
      insertConnection: db.prepare(`INSERT INTO connections (session_id, entity_id, time_ms, direction, transport, destination_ip, destination_port, domain, outcome)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      linkAlert: db.prepare('INSERT OR IGNORE INTO alerts (session_id, alert_id, entity_id, time_ms, rule_name, severity) VALUES (?, ?, ?, ?, ?, ?)'),
    };
  }

  /** Opens (creating 0600, WAL, migrated) the journal at `path`. */
  static open(path: string, options: JournalOptions, onWriteError: (err: unknown) => void = () => {}): ActivityJournal {
    const db = openDatabase(path, { fileMode: options.fileMode ?? 0o600, synchronous: 'normal' });
    try {
      migrateJournal(db);
    } catch (err) {
      db.close();
      throw err;
    }
    const j = new ActivityJournal(OPEN, path, db, options, onWriteError);
    j.prune(Date.now());
    return j;
  }

  /** One normalized event. `timeMs` is its time (epoch ms). */
  ingest(doc: EcsEvent, timeMs: number): void {
    const agent = G.aiName(doc);
    if (typeof agent !== 'string' || !Number.isFinite(timeMs)) return;
    const category = firstOf(G.category(doc));
    if (category === 'process') this.#process(doc, agent, timeMs);
    else if (category === 'network') this.#network(doc, timeMs);
    else if (category === 'file') this.#file(doc, timeMs);
    if (this.#pendingRows() >= this.#o.flushRows) this.flush(timeMs);
  }

  #pendingRows(): number {
    return this.#pendingProcesses.size + this.#pendingFiles.length + this.#pendingConnections.length;
  }

  #remember(entityId: string, m: Member): void {
    if (this.#members.size >= this.#o.maxMembers) {
      const oldest = this.#members.keys().next().value as string;
      this.#members.delete(oldest);
      this.#stats.membersEvicted++;
    }
    this.#members.set(entityId, m);
  }

  #openSession(doc: EcsEvent, agent: string, entityId: string, timeMs: number): Session | null {
    const start = str(G.start(doc));
    const startMs = start !== null ? Date.parse(start) : timeMs;
    try {
      this.#stmt.openSession.run(agent, entityId, num(G.pid(doc)), str(G.userName(doc)), str(G.workingDirectory(doc)), str(G.commandLine(doc)),
        str(G.hostName(doc)), Number.isFinite(startMs) ? startMs : timeMs, timeMs);
      const row = this.#stmt.sessionByEntity.get(entityId) as Record<string, number | string | null>;
      this.#stats.sessions++;
      return {
        id: row['id'] as number, rootEntityId: entityId, agent, processes: row['processes'] as number, processesDropped: row['processes_dropped'] as number,
        filesWritten: row['files_written'] as number, sensitiveReads: row['sensitive_reads'] as number, filesDropped: row['files_dropped'] as number,
        connections: row['connections'] as number, connectionsDropped: row['connections_dropped'] as number, alerts: row['alerts'] as number,
        endMs: null, lastMs: timeMs, deleted: false,
      };
    } catch (err) {
      this.#failed(err);
      return null;
    }
  }

  #touch(s: Session, timeMs: number): void {
    if (timeMs > s.lastMs) s.lastMs = timeMs;
    this.#dirty.add(s);
  }

  #process(doc: EcsEvent, agent: string, timeMs: number): void {
    const entityId = G.entityId(doc);
    if (typeof entityId !== 'string') return;
    let m = this.#members.get(entityId);
    if (m !== undefined && m.session.deleted) m = undefined;
    if (m === undefined) {
      let session: Session | null;
      if (G.aiDescendant(doc) !== true) {
        session = this.#openSession(doc, agent, entityId, timeMs);
      } else {
        const parent = G.parentEntityId(doc);
        const pm = typeof parent === 'string' ? this.#members.get(parent) : undefined;
        session = pm === undefined || pm.session.deleted ? null : pm.session;
      }
      if (session === null) {
        this.#stats.unattributed++;
        return;
      }
      session.processes++;
      const journaled = session.processes <= this.#o.maxProcessesPerSession;
      if (journaled) this.#stats.processes++;
      else {
        session.processesDropped++;
        this.#stats.processesDropped++;
      }
      m = { session, journaled };
      this.#remember(entityId, m);
    }
    const s = m.session;
    this.#touch(s, timeMs);
    const ended = G.action(doc) === 'end';
    if (ended && entityId === s.rootEntityId) s.endMs = timeMs;
    if (!m.journaled) return;
    let row = this.#pendingProcesses.get(entityId);
    if (row === undefined) {
      if (this.#pendingRows() >= this.#o.maxPendingRows) {
        this.#stats.pendingDropped++;
        return;
      }
      row = {
        session_id: s.id, entity_id: entityId, parent_entity_id: null, pid: null, name: null, executable: null, command_line: null,
        working_directory: null, start_ms: null, end_ms: null, exit_code: null,
      };
      this.#pendingProcesses.set(entityId, row);
    }
    row.parent_entity_id = str(G.parentEntityId(doc)) ?? row.parent_entity_id;
    row.pid = num(G.pid(doc)) ?? row.pid;
    row.name = str(G.name(doc)) ?? row.name;
    row.executable = str(G.executable(doc)) ?? row.executable;
    row.command_line = str(G.commandLine(doc)) ?? row.command_line;
    row.working_directory = str(G.workingDirectory(doc)) ?? row.working_directory;
    if (row.start_ms === null) {
      const start = str(G.start(doc));
      const ms = start !== null ? Date.parse(start) : Number.NaN;
      row.start_ms = Number.isFinite(ms) ? ms : timeMs;
    }
    if (ended) {
      row.end_ms = timeMs;
      row.exit_code = num(G.exitCode(doc));
    }
  }

  #member(doc: EcsEvent): Member | undefined {
    const entityId = G.entityId(doc);
    const m = typeof entityId === 'string' ? this.#members.get(entityId) : undefined;
    if (m === undefined || m.session.deleted) {
      this.#stats.unattributed++;
      return undefined;
    }
    return m;
  }

  #network(doc: EcsEvent, timeMs: number): void {
    const action = G.action(doc);
    if (typeof action !== 'string' || !CONNECTION_ACTIONS.has(action)) return;
    const m = this.#member(doc);
    if (m === undefined) return;
    const s = m.session;
    this.#touch(s, timeMs);
    s.connections++;
    if (s.connections > this.#o.maxConnectionsPerSession || this.#pendingRows() >= this.#o.maxPendingRows) {
      s.connectionsDropped++;
      this.#stats.connectionsDropped++;
      return;
    }
    this.#stats.connections++;
    const inbound = action === 'connection_accepted';
    // for an accepted connection the remote peer is the source
    const ip = inbound ? G.sourceIp(doc) : G.destinationIp(doc);
    const port = inbound ? G.sourcePort(doc) : G.destinationPort(doc);
    this.#pendingConnections.push([s.id, G.entityId(doc), timeMs, str(G.direction(doc)), str(G.transport(doc)), str(ip), num(port),
      str(G.destinationDomain(doc)), str(G.outcome(doc))]);
  }

  #file(doc: EcsEvent, timeMs: number): void {
    const action = G.action(doc);
    const path = str(G.filePath(doc));
    if (typeof action !== 'string' || path === null) return;
    const change = FILE_CHANGES.has(action);
    if (!change && action !== 'open') return;
    const m = this.#member(doc);
    if (m === undefined) return;
    const s = m.session;
    this.#touch(s, timeMs);
    if (change) s.filesWritten++;
    else s.sensitiveReads++;
    if (s.filesWritten + s.sensitiveReads > this.#o.maxFilesPerSession || this.#pendingRows() >= this.#o.maxPendingRows) {
      s.filesDropped++;
      this.#stats.filesDropped++;
      return;
    }
    this.#stats.files++;
    this.#pendingFiles.push([s.id, G.entityId(doc), timeMs, action, path, change ? 0 : 1]);
  }

  /**
   * Links a stored alert to the sessions of its AI-agent events (written at once: alerts are rare and the
   * notifier may look the link up). Returns the first session, for the notification.
   */
  linkAlert(alertId: number, ruleName: string, severity: string, events: ReadonlyArray<EcsEvent | null>, timeMs: number): LinkedSession | null {
    let first: LinkedSession | null = null;
    const counted = new Set<Session>();
    for (const e of events) {
      if (e === null || typeof G.aiName(e) !== 'string') continue;
      const entityId = G.entityId(e);
      const m = typeof entityId === 'string' ? this.#members.get(entityId) : undefined;
      if (m === undefined || m.session.deleted) continue;
      try {
        this.#stmt.linkAlert.run(m.session.id, alertId, entityId, timeMs, ruleName, severity);
      } catch (err) {
        this.#failed(err);
        continue;
      }
      if (!counted.has(m.session)) {
        counted.add(m.session);
        m.session.alerts++;
        this.#touch(m.session, timeMs);
        this.#stats.alertsLinked++;
      }
      first ??= { sessionId: m.session.id, agent: m.session.agent };
    }
    return first;
  }

  /** Writes buffered rows and session counters in one transaction; runs retention now and then. */
  flush(nowMs: number = Date.now()): void {
    if (this.#pendingRows() > 0 || this.#dirty.size > 0) {
      const processes = [...this.#pendingProcesses.values()];
      const files = this.#pendingFiles;
      const connections = this.#pendingConnections;
      const sessions = [...this.#dirty];
      this.#pendingProcesses.clear();
      this.#pendingFiles = [];
      this.#pendingConnections = [];
      this.#dirty.clear();
      try {
        this.#db.transaction(() => {
          for (const r of processes) this.#stmt.upsertProcess.run(r);
          for (const r of files) this.#stmt.insertFile.run(...r);
          for (const r of connections) this.#stmt.insertConnection.run(...r);
          for (const s of sessions) {
            if (s.deleted) continue;
            this.#stmt.updateSession.run(s.endMs, s.lastMs, s.processes, s.processesDropped, s.filesWritten, s.sensitiveReads, s.filesDropped,
              s.connections, s.connectionsDropped, s.alerts, s.id);
          }
        })();
        this.#stats.flushes++;
      } catch (err) {
        this.#stats.pendingDropped += processes.length + files.length + connections.length;
        this.#failed(err);
      }
    }
    if (nowMs - this.#lastPruneMs >= PRUNE_EVERY_MS) this.prune(nowMs);
  }

  #failed(err: unknown): void {
    if (this.#stats.writeErrors++ === 0) this.#writeError(err);
  }

  /** Retention: ended sessions older than retentionDays, then the oldest ended ones while the file is too big. */
  prune(nowMs: number): number {
    this.#lastPruneMs = nowMs;
    const deleted: number[] = [];
    try {
      if (this.#o.retentionDays > 0) {
        const cutoff = nowMs - this.#o.retentionDays * DAY_MS;
        for (const r of this.#db.prepare('SELECT id FROM sessions WHERE end_ms IS NOT NULL AND end_ms < ?').all(cutoff) as Array<{ id: number }>) deleted.push(r.id);
        this.#deleteSessions(deleted);
      }
      if (this.#o.maxBytes > 0) {
        for (let round = 0; round < 100 && this.#usedBytes() > this.#o.maxBytes; round++) {
          const batch = (this.#db.prepare('SELECT id FROM sessions WHERE end_ms IS NOT NULL ORDER BY start_ms LIMIT 20').all() as Array<{ id: number }>).map((r) => r.id);
          if (batch.length === 0) break;
          this.#deleteSessions(batch);
          deleted.push(...batch);
        }
      }
    } catch (err) {
      this.#failed(err);
    }
    if (deleted.length > 0) {
      const gone = new Set(deleted);
      for (const m of this.#members.values()) if (gone.has(m.session.id)) m.session.deleted = true;
      this.#stats.pruned += deleted.length;
    }
    return deleted.length;
  }

  #usedBytes(): number {
    const pages = this.#db.pragma('page_count', { simple: true }) as number;
    const free = this.#db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * (this.#db.pragma('page_size', { simple: true }) as number);
  }

  #deleteSessions(ids: readonly number[]): void {
    if (ids.length === 0) return;
    this.#db.transaction(() => {
      for (const table of ['processes', 'files', 'connections', 'alerts']) {
        const del = this.#db.prepare(`DELETE FROM ${table} WHERE session_id = ?`);
        for (const id of ids) del.run(id);
      }
      const del = this.#db.prepare('DELETE FROM sessions WHERE id = ?');
      for (const id of ids) del.run(id);
    })();
  }

  stats(): Readonly<JournalStats> {
    return { ...this.#stats };
  }

  close(): void {
    this.flush();
    this.#db.close();
  }
}
