import type { Collector, CollectorStats, RawEventSink } from '../collector.js';
import type { RawEvent, RawProcess } from '../raw-event.js';
import type { SensitiveFilePolicy } from '../../sensitive-file-policy.js';
import { DarwinUserNames } from './darwin-user-names.js';
import { ES_FILE_EVENT_KINDS } from './eslogger-file.js';
import { EsloggerFileFilter, type EsloggerFileFilterStats } from './eslogger-file-filter.js';
import { parseEsloggerLine } from './eslogger-parser.js';
import { probeEslogger, type EsloggerProbeOptions } from './eslogger-probe.js';
import { EsloggerProcess } from './eslogger-process.js';
import { LsofNetworkPoller, type LsofPollerStats } from './lsof-network-poller.js';
import { PsProcessReader } from './ps-process-reader.js';
import { ToolRunner } from './run-tool.js';
import { LSOF_INTERVAL_MS } from './ps-lsof-collector.js';

export interface EsloggerCollectorOptions {
  readonly esloggerPath?: string;
  /** eslogger's arguments (default `exec fork exit`, plus the file events when `files` is given). */
  readonly esloggerArgs?: readonly string[];
  /**
   * File telemetry: eslogger also subscribes to create, rename, unlink, write, close, truncate, open, setmode
   * and setowner; opens are kept when `policy` names the path (eslogger-file-filter.ts). Absent: no file events.
   */
  readonly files?: { readonly policy: SensitiveFilePolicy };
  /** eslogger counts as attached once it has run this long without exiting (default 1000 ms). */
  readonly attachMs?: number;
  /** After attaching, one ps read reports the processes already running as `snapshot` (default true). */
  readonly snapshot?: boolean;
  /** Poll lsof for connections (default true): Endpoint Security's `exec fork exit` carry no network events. */
  readonly network?: boolean;
  readonly networkIntervalMs?: number;
  readonly psPath?: string;
  readonly lsofPath?: string;
  /** Processes remembered for attributing sockets (default 32768; the oldest are forgotten first). */
  readonly maxProcesses?: number;
  readonly maxArgsBytes?: number;
  readonly maxLineBytes?: number;
  /** Restarts after eslogger dies (default 5), with doubling backoff from `restartBackoffMs` (default 1000). */
  readonly maxRestarts?: number;
  /** dscl, for user and group names (default /usr/bin/dscl; names are left out when it cannot run). */
  readonly dsclPath?: string;
  readonly restartBackoffMs?: number;
  readonly nowMs?: () => number;
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, data?: object) => void;
}

export interface EsloggerStats extends CollectorStats {
  readonly backend: 'eslogger';
  /** Messages Endpoint Security dropped: gaps in `global_seq_num`. */
  readonly lost: number;
  readonly restarts: number;
  /** Lines that were not valid eslogger messages (bad JSON, missing pid/start time), plus oversize lines. */
  readonly malformed: number;
  /** Well-formed messages of event types Vigil does not use. */
  readonly ignored: number;
  /** Events about the collector's own helpers (its ps and lsof runs, eslogger itself), left out. */
  readonly own: number;
  readonly lines: number;
  readonly processes: number;
  /** Processes forgotten because the table was full. */
  readonly evicted: number;
  readonly snapshotEvents: number;
  readonly network: LsofPollerStats | null;
  /** File events: what the sensitive-path filter kept and dropped (null without file telemetry). */
  readonly files: EsloggerFileFilterStats | null;
}

/** eslogger's event names for the process events, and for the file events when file telemetry is on. */
export function esloggerEventArgs(files: boolean): string[] {
  return files ? ['exec', 'fork', 'exit', ...ES_FILE_EVENT_KINDS] : ['exec', 'fork', 'exit'];
}

/**
 * macOS's preferred backend: streams `eslogger exec fork exit` (Endpoint Security, macOS 13+, root + Full
 * Disk Access), plus its file events when file telemetry is on, and parses each JSON line (eslogger-parser.ts). Endpoint Security reports every exec, fork
 * and exit, however short-lived; connections come from lsof polling (lsof-network-poller.ts), attributed
 * through the pid table this collector keeps from the event stream. start() rejects with the reason when
 * eslogger exits before attaching (Full Disk Access, not root, ...), so `auto` falls back to ps-lsof.
 */
export class EsloggerCollector implements Collector {
  readonly backend = 'eslogger' as const;
  readonly #o: EsloggerCollectorOptions;
  readonly #now: () => number;
  readonly #log: NonNullable<EsloggerCollectorOptions['log']>;
  readonly #runner = new ToolRunner();
  readonly #table = new Map<number, RawProcess>();
  readonly #maxProcesses: number;
  readonly #poller: LsofNetworkPoller | null;
  readonly #names: DarwinUserNames;
  readonly #process: EsloggerProcess;
  readonly #files: EsloggerFileFilter | null;
  #sink: RawEventSink | null = null;
  #stopping = false;
  #netTimer: NodeJS.Timeout | null = null;
  #netRunning: Promise<void> | null = null;
  #lastSeq: number | undefined;
  #events = 0;
  #lost = 0;
  #malformed = 0;
  #ignored = 0;
  #own = 0;
  #lines = 0;
  #evicted = 0;
  #snapshotEvents = 0;

  constructor(options: EsloggerCollectorOptions = {}) {
    this.#o = options;
    this.#now = options.nowMs ?? Date.now;
    this.#log = options.log ?? (() => {});
    this.#maxProcesses = options.maxProcesses ?? 32768;
    this.#files = options.files === undefined ? null : new EsloggerFileFilter(options.files.policy);
    this.#process = new EsloggerProcess({
      ...options,
      esloggerArgs: options.esloggerArgs ?? esloggerEventArgs(options.files !== undefined),
      onLine: (line) => this.#line(line),
      onRun: () => (this.#lastSeq = undefined),
      log: this.#log,
    });
    this.#names = new DarwinUserNames(this.#runner, { ...(options.dsclPath !== undefined ? { dsclPath: options.dsclPath } : {}), nowMs: this.#now });
    this.#poller =
      options.network === false
        ? null
        : new LsofNetworkPoller({
            runner: this.#runner, backend: 'eslogger', platform: 'macos',
            resolve: (pid) => this.#table.get(pid),
            emit: (e) => this.#emit(e),
            ...(options.lsofPath !== undefined ? { lsofPath: options.lsofPath } : {}),
          });
  }

  /** See probeEslogger(): null when eslogger can run, else why not. */
  static probe(options: EsloggerProbeOptions = {}): Promise<string | null> {
    return probeEslogger(options);
  }

  async start(sink: RawEventSink): Promise<void> {
    if (this.#sink !== null) throw new Error('VIGIL_COLLECTOR_STARTED: eslogger collector already started');
    this.#sink = sink;
    this.#stopping = false;
    await this.#names.load();
    try {
      await this.#process.start();
    } catch (err) {
      this.#sink = null;
      throw err;
    }
    if (this.#o.snapshot !== false) await this.#snapshot();
    if (this.#poller !== null) {
      try {
        await this.#poller.poll(this.#now); // baseline
      } catch (err) {
        this.#log('warn', 'lsof cannot run: no network events', { error: (err as Error).message });
      }
      this.#scheduleNetwork();
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#netTimer !== null) clearTimeout(this.#netTimer);
    this.#netTimer = null;
    await this.#netRunning;
    await this.#process.stop();
    this.#sink = null;
  }

  #line(line: string): void {
    if (line.trim() === '') return;
    this.#lines++;
    const r = parseEsloggerLine(line, {
      startKeyOf: (pid) => this.#table.get(pid)?.startKey,
      nowMs: this.#now,
      ...(this.#o.maxArgsBytes !== undefined ? { maxArgsBytes: this.#o.maxArgsBytes } : {}),
    });
    if (!r.ok) {
      this.#malformed++;
      if (this.#malformed <= 10) this.#log('warn', 'malformed eslogger line', { code: r.code, message: r.message });
      return;
    }
    if (r.globalSeqNum !== undefined) {
      if (this.#lastSeq !== undefined && r.globalSeqNum > this.#lastSeq + 1) this.#lost += r.globalSeqNum - this.#lastSeq - 1;
      this.#lastSeq = r.globalSeqNum;
    }
    if (r.event === null) {
      this.#ignored++;
      return;
    }
    if (this.#isOwn(r.event.process)) {
      this.#own++;
      return;
    }
    if (r.event.kind === 'file') {
      // Filtered before normalization: eslogger has no kernel-side path filter.
      if (this.#files === null) {
        this.#ignored++;
        return;
      }
      if (!this.#files.keep(r.event, r.access)) return;
    }
    const e = { ...r.event, process: this.#names.name(r.event.process) } as RawEvent;
    this.#track(e);
    this.#emit(e);
  }

  /** eslogger sees the ps/lsof runs this collector starts (and itself): not activity worth reporting. */
  #isOwn(p: RawProcess): boolean {
    if (this.#runner.isOwn(p.pid) || p.pid === this.#process.pid) return true;
    if (p.ppid !== process.pid) return false;
    const exe = p.executable ?? p.args?.[0] ?? '';
    const base = exe.slice(exe.lastIndexOf('/') + 1);
    return base === 'ps' || base === 'lsof';
  }

  #track(e: RawEvent): void {
    if (e.kind === 'exit') {
      this.#table.delete(e.process.pid);
      return;
    }
    if (e.kind !== 'exec' && e.kind !== 'fork' && e.kind !== 'snapshot') return;
    this.#table.delete(e.process.pid); // re-insert: newest last
    this.#table.set(e.process.pid, e.process);
    while (this.#table.size > this.#maxProcesses) {
      this.#table.delete(this.#table.keys().next().value as number);
      this.#evicted++;
    }
  }

  async #snapshot(): Promise<void> {
    const reader = new PsProcessReader({ platform: 'macos', runner: this.#runner, ...(this.#o.psPath !== undefined ? { psPath: this.#o.psPath } : {}) });
    let processes;
    try {
      processes = (await reader.read()).processes;
    } catch (err) {
      this.#log('warn', 'ps cannot run: no already_running snapshot', { error: (err as Error).message });
      return;
    }
    const now = this.#now();
    for (const { process: p } of processes.values()) {
      if (this.#table.has(p.pid)) continue; // eslogger reported it since attaching: it knows better
      const e: RawEvent = { kind: 'snapshot', timeMs: now, backend: 'eslogger', platform: 'macos', process: this.#names.name(p) };
      this.#track(e);
      this.#emit(e);
      this.#snapshotEvents++;
    }
  }

  #scheduleNetwork(): void {
    if (this.#poller === null || this.#stopping) return;
    this.#netTimer = setTimeout(() => {
      this.#netTimer = null;
      if (this.#stopping) return;
      this.#netRunning = this.#poller!
        .poll(this.#now)
        .catch((err: Error) => this.#log('warn', 'lsof poll failed', { error: err.message }))
        .finally(() => {
          this.#netRunning = null;
          this.#scheduleNetwork();
        });
    }, this.#o.networkIntervalMs ?? LSOF_INTERVAL_MS);
  }

  #emit(e: RawEvent): void {
    if (this.#sink === null) return;
    this.#events++;
    this.#sink(e);
  }

  stats(): EsloggerStats {
    const oversize = this.#process.oversize;
    return {
      backend: 'eslogger',
      events: this.#events,
      lost: this.#lost,
      restarts: this.#process.restarts,
      malformed: this.#malformed + oversize,
      ignored: this.#ignored,
      own: this.#own,
      lines: this.#lines,
      processes: this.#table.size,
      evicted: this.#evicted,
      snapshotEvents: this.#snapshotEvents,
      network: this.#poller?.stats() ?? null,
      files: this.#files?.stats() ?? null,
    };
  }
}
