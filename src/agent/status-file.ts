/**
 * The agent's status file: the seam between the running agent (`vigil run`, foreground or service) and
 * `vigil status` / `vigil doctor`. The agent rewrites one JSON document every `intervalMs` (atomically: temp
 * file + rename, so a reader never sees half a document); readers decide from `updated` and the pid whether
 * the agent is alive.
 *
 * Where: `<state dir>/status.json`. The state dir is, in order: the `[status] dir` config key when set, then
 * `$VIGIL_STATE_DIR`, then `$STATE_DIRECTORY` (systemd sets it from `StateDirectory=vigil`, i.e. /var/lib/vigil),
 * then the per-user dir `$XDG_STATE_HOME/vigil` (default `~/.local/state/vigil`). The service units set the
 * state dir explicitly: /var/lib/vigil (Linux), /var/db/vigil (macOS), %ProgramData%\Vigil (Windows).
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../alerts/safe-files.js';
import type { Backend } from '../collectors/raw-event.js';

export const STATUS_SCHEMA = 1;
export const STATUS_FILE_NAME = 'status.json';

/** Pipeline stages that report counters, in pipeline order. */
export const STATUS_STAGES = ['collector', 'normalize', 'reorder', 'engine', 'alerts', 'notify'] as const;
export type StatusStage = (typeof STATUS_STAGES)[number];

/** Counters one stage keeps; every field is cumulative since the agent started. */
export interface StageCounters {
  /** Events received by the stage. */
  readonly in: number;
  /** Events handed on to the next stage. */
  readonly out: number;
  /** Lost before the stage could see them (kernel ring buffer full, queue overflow at the source). */
  readonly lost: number;
  /** Arrived after the reorder window had moved past them (processed out of order or dropped; see `dropped`). */
  readonly late: number;
  /** Dropped on purpose by a bound (cap reached, eviction). */
  readonly dropped: number;
  /** Records that could not be decoded or normalized. */
  readonly malformed: number;
}

export const AGENT_MODES = ['foreground', 'service'] as const;
export type AgentMode = (typeof AGENT_MODES)[number];

/** What the agent writes. Times are ISO 8601 strings (UTC). */
export interface AgentStatus {
  readonly schema: typeof STATUS_SCHEMA;
  readonly pid: number;
  /** Linux: the agent's start time in clock ticks since boot (/proc/<pid>/stat field 22), so a reused pid is detected. */
  readonly pidStartKey?: string;
  readonly started: string;
  readonly updated: string;
  /** How often the agent rewrites this file; readers call it stale after a few missed intervals. */
  readonly intervalMs: number;
  readonly version: string;
  readonly mode: AgentMode;
  readonly hostname: string;
  /** Collector in use, or null while starting. */
  readonly backend: Backend | null;
  /** Why the preferred collector is not in use (null when it is), e.g. "eBPF: not root (CAP_BPF missing)". */
  readonly fallbackReason: string | null;
  /** `disabled`: rules switched off at run time for exceeding their evaluation budget. */
  readonly rules: { readonly loaded: number; readonly errors: number; readonly skipped: number; readonly disabled?: number };
  readonly stages: Readonly<Record<StatusStage, StageCounters>>;
  readonly sequences: {
    readonly inFlight: number;
    /** Partial sequences evicted over a rule's cap (a flood), in total and per rule name. */
    readonly evicted?: number;
    readonly evictedByRule?: Readonly<Record<string, number>>;
  };
  readonly alerts: { readonly total: number; readonly last?: string };
  /**
   * Restarts of the collector's source (the eBPF helper): how many, how long the agent was blind in total and
   * the last time, processes born in the gaps reported as already running. Forks in the gaps are in
   * `stages.collector.lost`.
   */
  readonly collectorRestarts?: { readonly restarts: number; readonly blindMs: number; readonly lastBlindMs: number; readonly reconciled: number };
  /** The alert store's health: writes that failed (apart from duplicates), the spool, what was lost. */
  readonly alertStore?: AlertStoreHealth;
  readonly db: string;
  /**
   * What became of the raw events' documents: built (handed to the rules), only tracked (no loaded rule reads
   * their kind), left unbuilt because no stage could take them (DocumentDemand's probe); and how often the
   * stage gates' remembered verdicts were emptied for being full.
   */
  readonly documents?: { readonly built: number; readonly tracked: number; readonly probedOut: number; readonly gateMemoClears: number };
  /** The agent process's memory (resident set and V8 heap in use), bytes. */
  readonly memory?: { readonly rssBytes: number; readonly heapUsedBytes: number };
  /** Set in the last write of a clean shutdown. */
  readonly stopped?: string;
}

export interface AlertStoreHealth {
  /** Transactions committed: alerts are written per tick, many to one commit under a flood. */
  readonly commits: number;
  /** Failed batch writes (disk full, locked beyond the busy timeout, I/O error); each was retried. */
  readonly failures: number;
  /** Alerts written to the spool file while the store could not take them. */
  readonly spooled: number;
  /** Spooled alerts committed since (same dedup keys). */
  readonly replayed: number;
  /** Alerts waiting now (memory + spool). */
  readonly waiting: number;
  /** Alerts lost for good (store down, memory queue and spool full). */
  readonly lost: number;
  /** Matches folded into flood aggregate alerts. */
  readonly aggregated: number;
  /** Times the database file was found deleted or replaced and reopened, its alerts kept. */
  readonly recoveries: number;
  /** Since when writes fail (ISO 8601), absent while the store works. */
  readonly downSince?: string;
  readonly lastError?: string;
}

export const ZERO_COUNTERS: StageCounters = Object.freeze({ in: 0, out: 0, lost: 0, late: 0, dropped: 0, malformed: 0 });

export function zeroStages(): Record<StatusStage, StageCounters> {
  return Object.fromEntries(STATUS_STAGES.map((s) => [s, ZERO_COUNTERS])) as Record<StatusStage, StageCounters>;
}

// ---------------------------------------------------------------------------------------------- locations

export interface StateDirEnv {
  readonly VIGIL_STATE_DIR?: string | undefined;
  readonly STATE_DIRECTORY?: string | undefined;
  readonly XDG_STATE_HOME?: string | undefined;
  readonly HOME?: string | undefined;
  readonly LOCALAPPDATA?: string | undefined;
}

/** The per-user state directory of a foreground agent. */
export function userStateDir(env: StateDirEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'Vigil');
  const xdg = env.XDG_STATE_HOME;
  if (xdg !== undefined && xdg.startsWith('/')) return join(xdg, 'vigil');
  return join(env.HOME || homedir(), '.local', 'state', 'vigil');
}

/** The state directory of the installed service on each platform. */
export function serviceStateDir(platform: NodeJS.Platform = process.platform, env: { ProgramData?: string | undefined } = process.env): string {
  if (platform === 'darwin') return '/var/db/vigil';
  if (platform === 'win32') return `${env.ProgramData ?? 'C:\\ProgramData'}\\Vigil`;
  return '/var/lib/vigil';
}

/** Where this agent process writes its state: config `[status] dir`, then the environment, then the per-user dir. */
export function agentStateDir(configured = '', env: StateDirEnv = process.env): string {
  if (configured !== '') return configured;
  if (env.VIGIL_STATE_DIR) return env.VIGIL_STATE_DIR;
  // systemd may pass several dirs separated by ':'; the unit declares only one.
  if (env.STATE_DIRECTORY) return env.STATE_DIRECTORY.split(':')[0]!;
  return userStateDir(env);
}

export function statusFilePath(stateDir: string): string {
  return join(stateDir, STATUS_FILE_NAME);
}

// ---------------------------------------------------------------------------------------------- writer

/** Linux: a process's start time in clock ticks since boot, or undefined when /proc does not say. */
export function pidStartKey(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may hold spaces and parentheses: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19]; // field 22 overall: rest[0] is field 3
  } catch {
    return undefined;
  }
}

/**
 * Writes the status file atomically: the document goes to a temp file with a random name created
 * exclusively without following links (safe-files.ts), is fsynced, then renamed over `path`. Mode 0640 (the service's group `vigil` may read it; umask can only narrow it). Counters: `writes`,
 * `failures`, and the last error, so the agent can report a status file it cannot write without crashing.
 */
export class StatusFileWriter {
  writes = 0;
  failures = 0;
  lastError: string | null = null;

  constructor(readonly path: string) {}

  /** Returns true when written; a failure is counted and remembered, never thrown. */
  write(status: AgentStatus): boolean {
    const text = JSON.stringify(status, null, 2) + '\n';
    try {
      writeFileAtomic(this.path, text, 0o640);
      this.writes++;
      return true;
    } catch (err) {
      this.failures++;
      this.lastError = (err as Error).message;
      return false;
    }
  }

  #timer: NodeJS.Timeout | null = null;

  /** Writes `snapshot()` now and then every `intervalMs` (the timer does not keep the process alive). */
  every(intervalMs: number, snapshot: () => AgentStatus): void {
    this.cancel();
    this.write(snapshot());
    this.#timer = setInterval(() => this.write(snapshot()), intervalMs);
    this.#timer.unref();
  }

  /** Stops the periodic writes; with `final`, writes it once more with `stopped` set (a clean shutdown). */
  cancel(final?: AgentStatus): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    if (final !== undefined) this.write({ ...final, stopped: final.stopped ?? new Date().toISOString() });
  }

  /** Removes the status file (e.g. a foreground agent that prefers leaving nothing behind). */
  remove(): void {
    try {
      unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}

// ---------------------------------------------------------------------------------------------- reader

export const STATUS_STATES = ['running', 'stale', 'stopped', 'missing', 'unreadable', 'invalid'] as const;
export type StatusState = (typeof STATUS_STATES)[number];

export interface StatusReading {
  readonly path: string;
  readonly state: StatusState;
  /** Why the state is not `running` (missing file, pid gone, not updated for N s, parse error). */
  readonly reason: string | null;
  readonly status: AgentStatus | null;
  /** Milliseconds since `updated`. */
  readonly ageMs: number | null;
}

export interface ReadStatusOptions {
  /** Defaults to Date.now(). */
  readonly now?: number;
  /** Older than this is stale; default max(3 × intervalMs, 15 s). */
  readonly staleAfterMs?: number;
  /** Defaults to a real check (signal 0, and /proc start time on Linux). */
  readonly pidAlive?: (pid: number, startKey: string | undefined) => boolean;
}

/** True when `pid` exists (EPERM means it exists but is not ours) and, when known, started at `startKey`. */
export function isPidAlive(pid: number, startKey: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (startKey !== undefined && process.platform === 'linux') {
    const now = pidStartKey(pid);
    if (now !== undefined && now !== startKey) return false; // the pid was reused by another process
  }
  return true;
}

function validate(doc: unknown): string | null {
  if (doc === null || typeof doc !== 'object') return 'not a JSON object';
  const d = doc as Record<string, unknown>;
  if (d.schema !== STATUS_SCHEMA) return `unknown schema ${JSON.stringify(d.schema)} (this vigil reads ${STATUS_SCHEMA})`;
  for (const key of ['pid', 'intervalMs'] as const) if (typeof d[key] !== 'number') return `${key} is not a number`;
  for (const key of ['started', 'updated', 'version'] as const) if (typeof d[key] !== 'string') return `${key} is not a string`;
  if (Number.isNaN(Date.parse(d.updated as string))) return 'updated is not a date';
  if (d.stages === null || typeof d.stages !== 'object') return 'stages is not an object';
  return null;
}

export function readStatusFile(path: string, options: ReadStatusOptions = {}): StatusReading {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { path, state: 'missing', reason: 'no status file (the agent has not run here)', status: null, ageMs: null };
    const reason = code === 'EACCES' ? 'permission denied (the service\'s status is readable by root and the vigil group)' : `cannot read: ${(err as Error).message}`;
    return { path, state: 'unreadable', reason, status: null, ageMs: null };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { path, state: 'invalid', reason: `not JSON: ${(err as Error).message}`, status: null, ageMs: null };
  }
  const problem = validate(doc);
  if (problem !== null) return { path, state: 'invalid', reason: problem, status: null, ageMs: null };
  const status = doc as AgentStatus;
  const now = options.now ?? Date.now();
  const ageMs = now - Date.parse(status.updated);
  if (status.stopped !== undefined) return { path, state: 'stopped', reason: `stopped at ${status.stopped}`, status, ageMs };
  const alive = (options.pidAlive ?? isPidAlive)(status.pid, status.pidStartKey);
  if (!alive) return { path, state: 'stale', reason: `pid ${status.pid} is gone (the agent died without a clean stop)`, status, ageMs };
  const staleAfter = options.staleAfterMs ?? Math.max(3 * status.intervalMs, 15_000);
  if (ageMs > staleAfter) {
    return { path, state: 'stale', reason: `not updated for ${Math.round(ageMs / 1000)} s (expected every ${Math.round(status.intervalMs / 1000)} s)`, status, ageMs };
  }
  return { path, state: 'running', reason: null, status, ageMs };
}
