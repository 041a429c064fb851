import type { Collector, CollectorStats, RawEventSink } from '../collector.js';
import { currentPlatform, readHostIdentity, type HostIdentity } from '../host-identity.js';
import type { Platform, RawEvent, RawProcess } from '../raw-event.js';
import { DarwinUserNames } from './darwin-user-names.js';
import { readCwds } from './lsof-cwd.js';
import { LsofNetworkPoller, type LsofPollerStats } from './lsof-network-poller.js';
import { PidGapCounter } from './pid-gap-counter.js';
import { PsProcessReader, type PsProcess, type PsReaderStats } from './ps-process-reader.js';
import { ToolRunner } from './run-tool.js';

/** Default poll periods: processes (ps) and sockets (lsof). */
export const PS_INTERVAL_MS = 250;
export const LSOF_INTERVAL_MS = 500;

export interface PsLsofCollectorOptions {
  /** Platform of the RawEvents and of the start-key recipe (default: this host's). */
  readonly platform?: Platform;
  readonly host?: HostIdentity;
  /** Process poll period (default 250 ms): processes that live shorter are likely missed (stats().missed). */
  readonly intervalMs?: number;
  /** Look up the working directory of new processes with lsof (default true). */
  readonly cwd?: boolean;
  /** Socket poll period (default 500 ms, rounded up to a multiple of intervalMs). */
  readonly networkIntervalMs?: number;
  readonly network?: boolean;
  readonly psPath?: string;
  readonly lsofPath?: string;
  readonly procRoot?: string;
  readonly maxConnections?: number;
  readonly nowMs?: () => number;
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, data?: object) => void;
}

export interface PsLsofStats extends CollectorStats {
  readonly backend: 'ps-lsof';
  readonly missed: number;
  readonly malformed: number;
  readonly polls: number;
  /** Time spent in polls, ms (wall time, mostly waiting for ps/lsof). */
  readonly pollMs: number;
  /** Processes in the table now. */
  readonly processes: number;
  /** Polls where pids wrapped around (no missed estimate for them). */
  readonly pidWraps: number;
  /** Polls that failed (ps or lsof could not run); the collector keeps polling. */
  readonly failedPolls: number;
  readonly ps: PsReaderStats;
  readonly network: LsofPollerStats;
}

function sameArgs(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}

/**
 * The portable fallback (macOS without eslogger; runs on Linux too): polls `ps` for processes and `lsof` for
 * internet sockets. First poll: every process is a `snapshot` (already_running). Afterwards: a new pid is an
 * `exec` (or a `fork` when its image and argv equal its parent's), a known pid whose executable changed is an
 * `exec`, a vanished one an `exit` (no exit code: ps cannot know it). What polling misses is
 * counted, not hidden: `missed` estimates processes that lived between two polls from gaps in pid
 * allocation (pid-gap-counter.ts); connections opened and closed between two socket polls are not seen.
 */
export class PsLsofCollector implements Collector {
  readonly backend = 'ps-lsof' as const;
  readonly #platform: Platform;
  readonly #intervalMs: number;
  readonly #networkEvery: number;
  readonly #network: boolean;
  readonly #cwd: boolean;
  readonly #lsofPath: string;
  readonly #now: () => number;
  readonly #log: NonNullable<PsLsofCollectorOptions['log']>;
  readonly #runner = new ToolRunner();
  readonly #reader: PsProcessReader;
  readonly #poller: LsofNetworkPoller;
  readonly #gaps = new PidGapCounter();
  /** macOS only: names from Directory Services (Linux names come from /etc/passwd in the normalizer). */
  readonly #names: DarwinUserNames | null;
  #table = new Map<number, PsProcess>();
  #sink: RawEventSink | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #events = 0;
  #polls = 0;
  #pollMs = 0;
  #malformed = 0;
  #failedPolls = 0;

  constructor(options: PsLsofCollectorOptions = {}) {
    const platform = options.platform ?? currentPlatform();
    if (platform === null) throw new Error(`VIGIL_PS_LSOF_UNAVAILABLE: no platform recipe for ${process.platform}`);
    this.#platform = platform;
    this.#intervalMs = options.intervalMs ?? PS_INTERVAL_MS;
    this.#networkEvery = Math.max(1, Math.ceil((options.networkIntervalMs ?? LSOF_INTERVAL_MS) / this.#intervalMs));
    this.#network = options.network ?? true;
    this.#cwd = options.cwd ?? true;
    this.#lsofPath = options.lsofPath ?? 'lsof';
    this.#now = options.nowMs ?? Date.now;
    this.#log = options.log ?? (() => {});
    this.#names = platform === 'macos' ? new DarwinUserNames(this.#runner, { nowMs: this.#now }) : null;
    this.#reader = new PsProcessReader({
      platform, runner: this.#runner,
      ...(options.psPath !== undefined ? { psPath: options.psPath } : {}),
      // Linux start keys need the boot time when /proc/<pid>/stat is gone (ps-start-key.ts)
      ...(options.host !== undefined ? { host: options.host } : platform === 'linux' ? { host: readHostIdentity('linux') } : {}),
      ...(options.procRoot !== undefined ? { procRoot: options.procRoot } : {}),
    });
    this.#poller = new LsofNetworkPoller({
      runner: this.#runner, backend: 'ps-lsof', platform,
      resolve: (pid) => this.#table.get(pid)?.process,
      emit: (e) => this.#emit(e),
      ...(options.lsofPath !== undefined ? { lsofPath: options.lsofPath } : {}),
      ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
    });
  }

  /** null when ps and lsof both run here, else why not. */
  static async probe(options: { psPath?: string; lsofPath?: string } = {}): Promise<string | null> {
    const runner = new ToolRunner();
    try {
      await runner.run(options.psPath ?? 'ps', ['-o', 'pid=', '-p', String(process.pid)], { timeoutMs: 5000 });
    } catch (err) {
      return `ps cannot run: ${(err as Error).message}`;
    }
    try {
      await runner.run(options.lsofPath ?? 'lsof', ['-nP', '-w', '-a', '-i', '-p', String(process.pid), '-F', 'p'], { okExitCodes: [0, 1], timeoutMs: 5000 });
    } catch (err) {
      return `lsof cannot run: ${(err as Error).message}`;
    }
    return null;
  }

  async start(sink: RawEventSink): Promise<void> {
    if (this.#sink !== null) throw new Error('VIGIL_COLLECTOR_STARTED: ps-lsof collector already started');
    const why = await PsLsofCollector.probe();
    if (why !== null) throw new Error(`VIGIL_PS_LSOF_UNAVAILABLE: ${why}`);
    this.#sink = sink;
    await this.#names?.load();
    await this.#poll(true);
    this.#schedule();
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#sink = null;
    await this.#running;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#sink === null) return;
      this.#running = this.#poll(false).finally(() => {
        this.#running = null;
        if (this.#sink !== null) this.#schedule();
      });
    }, this.#intervalMs);
  }

  #emit(e: RawEvent): void {
    if (this.#sink === null) return;
    this.#events++;
    this.#sink(e);
  }

  async #poll(first: boolean): Promise<void> {
    const t0 = performance.now();
    this.#polls++;
    try {
      await this.#pollProcesses(first);
      if (this.#network && (first || this.#polls % this.#networkEvery === 0)) await this.#poller.poll(this.#now);
    } catch (err) {
      this.#failedPolls++;
      this.#log('warn', 'ps-lsof poll failed', { error: (err as Error).message });
      if (first) throw err;
    } finally {
      this.#pollMs += performance.now() - t0;
    }
  }

  async #pollProcesses(first: boolean): Promise<void> {
    const ownBefore = this.#runner.takeSpawned();
    const { processes, malformed, markerPid } = await this.#reader.read();
    this.#malformed += malformed;
    if (this.#cwd) await this.#addCwds(processes, first);
    if (this.#names !== null) for (const [pid, cur] of processes) processes.set(pid, { row: cur.row, process: this.#names.name(cur.process) });
    const now = this.#now();
    const platform = this.#platform;
    const base = { backend: 'ps-lsof' as const, platform };
    const newPids: number[] = [];
    for (const [pid, cur] of processes) {
      const old = this.#table.get(pid);
      const p = cur.process;
      if (old !== undefined && old.process.startKey === p.startKey) {
        // a new image in the same pid (exec without fork); argv alone is not trusted: daemons rewrite their own
        if (p.executable !== undefined && old.process.executable !== undefined && old.process.executable !== p.executable) this.#emit({ kind: 'exec', timeMs: now, ...base, process: p });
        continue;
      }
      if (old !== undefined) this.#emit({ kind: 'exit', timeMs: now, ...base, process: old.process });
      newPids.push(pid);
      if (first) {
        this.#emit({ kind: 'snapshot', timeMs: now, ...base, process: p });
        continue;
      }
      this.#emit({ kind: this.#isFork(p, processes) ? 'fork' : 'exec', timeMs: Math.min(p.startTimeMs ?? now, now), ...base, process: p });
    }
    for (const [pid, old] of this.#table) {
      if (!processes.has(pid)) this.#emit({ kind: 'exit', timeMs: now, ...base, process: old.process });
    }
    this.#table = processes;
    // own helpers since the last poll: the lsof runs before this ps, and this poll's ps runs
    if (markerPid !== undefined) this.#gaps.update(markerPid, newPids, [...ownBefore, ...this.#runner.takeSpawned()]);
  }

  /** Fills `cwd` of the processes new since the last poll (all of them on the first), carrying known ones over. */
  async #addCwds(processes: Map<number, PsProcess>, first: boolean): Promise<void> {
    const fresh: number[] = [];
    for (const [pid, cur] of processes) {
      const old = this.#table.get(pid);
      if (old !== undefined && old.process.startKey === cur.process.startKey) {
        if (old.process.cwd !== undefined) processes.set(pid, { row: cur.row, process: { ...cur.process, cwd: old.process.cwd } });
      } else fresh.push(pid);
    }
    if (fresh.length === 0) return;
    let cwds: Map<number, string>;
    try {
      cwds = await readCwds(this.#runner, this.#lsofPath, first ? undefined : fresh);
    } catch (err) {
      this.#log('warn', 'lsof cwd lookup failed', { error: (err as Error).message });
      return;
    }
    for (const pid of fresh) {
      const cwd = cwds.get(pid);
      const cur = processes.get(pid)!;
      if (cwd !== undefined) processes.set(pid, { row: cur.row, process: { ...cur.process, cwd } });
    }
  }

  #isFork(p: RawProcess, processes: ReadonlyMap<number, PsProcess>): boolean {
    const parent = p.ppid === undefined ? undefined : processes.get(p.ppid)?.process;
    return parent !== undefined && parent.executable !== undefined && parent.executable === p.executable && sameArgs(parent.args, p.args);
  }

  stats(): PsLsofStats {
    return {
      backend: 'ps-lsof',
      events: this.#events,
      lost: 0,
      missed: this.#gaps.missed,
      malformed: this.#malformed + this.#poller.stats().malformed,
      polls: this.#polls,
      pollMs: Math.round(this.#pollMs),
      processes: this.#table.size,
      pidWraps: this.#gaps.wraps,
      failedPolls: this.#failedPolls,
      ps: this.#reader.stats(),
      network: this.#poller.stats(),
    };
  }
}
