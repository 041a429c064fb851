import { readFileSync } from 'node:fs';
import type { Collector, CollectorStats, RawEventSink } from '../collector.js';
import { readHostIdentity, type HostIdentity } from '../host-identity.js';
import type { RawEvent, RawProcess, Transport } from '../raw-event.js';
import { parseKernelStat } from './proc-kernel-stat.js';
import { parseProcNet, type ProcNetRow } from './proc-net.js';
import { ConnectionTracker, type ConnectionTrackerStats } from './procfs-connection-tracker.js';
import { ProcfsProcessTable, type ProcessTableStats } from './procfs-process-table.js';
import { readProcOnce } from './procfs-read-once.js';
import { scanSocketOwners } from './procfs-socket-owners.js';

export interface ProcfsCollectorOptions {
  readonly procRoot?: string;
  /** Poll period (default 100 ms). Processes that live shorter than this are likely missed: see stats().missed. */
  readonly intervalMs?: number;
  /** Poll /proc/net and fds for connections (default true). */
  readonly network?: boolean;
  /**
   * Connection poll period (default 200 ms, rounded up to a multiple of intervalMs). Reading /proc/net/tcp*
   * walks the kernel's whole connection hash table (~0.6 ms per file here), so it is polled less often.
   */
  readonly networkIntervalMs?: number;
  readonly host?: HostIdentity;
  readonly maxProcesses?: number;
  readonly maxConnections?: number;
  readonly nowMs?: () => number;
  readonly log?: (level: 'info' | 'warn' | 'error', msg: string, data?: object) => void;
}

export interface ProcfsStats extends CollectorStats {
  readonly backend: 'procfs';
  readonly missed: number;
  readonly malformed: number;
  /** Forks (processes and threads) the kernel counted since start (`/proc/stat` processes). */
  readonly forks: number;
  /** Forks accounted for: new processes seen, plus the threads they already had when first read. */
  readonly seen: number;
  readonly polls: number;
  /** Time spent polling, ms (CPU-bound work: the poll is synchronous). */
  readonly pollMs: number;
  /** New connections whose owning process could not be found (gone already, or another user's when unprivileged). */
  readonly unattributed: number;
  readonly processes: ProcessTableStats;
  readonly connections: ConnectionTrackerStats;
}

const NET_FILES: ReadonlyArray<readonly [string, Transport]> = [['tcp', 'tcp'], ['tcp6', 'tcp'], ['udp', 'udp'], ['udp6', 'udp']];

/**
 * The Linux fallback: polls /proc for processes and /proc/net/{tcp,tcp6,udp,udp6} + /proc/<pid>/fd for
 * connections. Works unprivileged (it then sees every process, but other users' executables, cwds and
 * sockets stay hidden). What polling cannot see is counted, not hidden:
 * - `missed` = forks the kernel counted since start minus forks the collector saw (an upper bound: threads
 *   started later inside already known processes count as missed too);
 * - an exec() that replaces a known pid's image is not seen (the pid does not change);
 * - connections that open and close between two polls are not seen; sockets of processes in another network
 *   namespace are not seen (only this namespace's /proc/net is read).
 * New processes whose image and argv equal their parent's are reported as `fork`, the others as `exec`.
 */
export class ProcfsCollector implements Collector {
  readonly backend = 'procfs' as const;
  readonly #procRoot: string;
  readonly #intervalMs: number;
  readonly #network: boolean;
  readonly #networkEvery: number;
  readonly #now: () => number;
  readonly #log: NonNullable<ProcfsCollectorOptions['log']>;
  readonly #host: HostIdentity;
  readonly #table: ProcfsProcessTable;
  readonly #connections: ConnectionTracker;
  /** inode -> process, for connections reported open (to report their end); bounded with the tracker. */
  readonly #openOwners = new Map<number, { process: RawProcess; accepted: boolean }>();
  readonly #maxConnections: number;
  #sink: RawEventSink | null = null;
  #timer: NodeJS.Timeout | null = null;
  #forksAtStart = 0;
  #forksNow = 0;
  #seen = 0;
  #events = 0;
  #polls = 0;
  #pollMs = 0;
  #unattributed = 0;
  #malformed = 0;

  constructor(options: ProcfsCollectorOptions = {}) {
    this.#procRoot = options.procRoot ?? '/proc';
    this.#intervalMs = options.intervalMs ?? 100;
    this.#network = options.network ?? true;
    this.#networkEvery = Math.max(1, Math.ceil((options.networkIntervalMs ?? 200) / this.#intervalMs));
    this.#now = options.nowMs ?? Date.now;
    this.#log = options.log ?? (() => {});
    this.#host = options.host ?? readHostIdentity('linux');
    this.#maxConnections = options.maxConnections ?? 16384;
    this.#table = new ProcfsProcessTable(this.#procRoot, this.#host, options.maxProcesses);
    this.#connections = new ConnectionTracker(this.#maxConnections);
  }

  /** Fails (rejects) only when /proc itself cannot be read. */
  static probe(procRoot = '/proc'): Promise<string | null> {
    try {
      parseKernelStat(readFileSync(`${procRoot}/stat`, 'utf8'));
      readFileSync(`${procRoot}/self/stat`, 'utf8');
      return Promise.resolve(null);
    } catch (err) {
      return Promise.resolve(`cannot read ${procRoot}: ${(err as Error).message}`);
    }
  }

  async start(sink: RawEventSink): Promise<void> {
    if (this.#sink !== null) throw new Error('VIGIL_COLLECTOR_STARTED: procfs collector already started');
    const reason = await ProcfsCollector.probe(this.#procRoot);
    if (reason !== null) throw new Error(`VIGIL_PROCFS_UNAVAILABLE: ${reason}`);
    this.#sink = sink;
    this.#forksAtStart = this.#readForks();
    this.#forksNow = this.#forksAtStart;
    this.#poll(true);
    this.#schedule();
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#sink = null;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      if (this.#sink === null) return;
      try {
        this.#poll(false);
      } catch (err) {
        this.#log('error', 'procfs poll failed', { error: (err as Error).message });
      }
      if (this.#sink !== null) this.#schedule();
    }, this.#intervalMs);
  }

  #readForks(): number {
    try {
      return parseKernelStat(readProcOnce(`${this.#procRoot}/stat`)).processes;
    } catch {
      this.#malformed++;
      return this.#forksNow;
    }
  }

  #emit(e: RawEvent): void {
    this.#events++;
    this.#sink?.(e);
  }

  #poll(first: boolean): void {
    const t0 = performance.now();
    this.#polls++;
    const now = this.#now();
    const { added, removed } = this.#table.scan();
    for (const { process: p, stat } of added) {
      if (first) {
        this.#emit({ kind: 'snapshot', timeMs: now, backend: 'procfs', platform: 'linux', process: p });
        continue;
      }
      this.#seen += Math.max(1, stat.numThreads);
      const parent = p.ppid === undefined ? undefined : this.#table.get(p.ppid);
      const isFork =
        parent !== undefined && parent.startKey === p.parentStartKey && parent.executable !== undefined &&
        parent.executable === p.executable && sameArgs(parent.args, p.args);
      this.#emit({ kind: isFork ? 'fork' : 'exec', timeMs: Math.min(p.startTimeMs ?? now, now), backend: 'procfs', platform: 'linux', process: p });
    }
    for (const p of removed) this.#emit({ kind: 'exit', timeMs: now, backend: 'procfs', platform: 'linux', process: p });
    if (this.#network && (first || this.#polls % this.#networkEvery === 0)) this.#pollNetwork(now);
    this.#forksNow = this.#readForks();
    this.#pollMs += performance.now() - t0;
  }

  #pollNetwork(now: number): void {
    const rows: ProcNetRow[] = [];
    for (const [file, transport] of NET_FILES) {
      let text: string;
      try {
        text = readProcOnce(`${this.#procRoot}/net/${file}`);
      } catch {
        continue; // e.g. no IPv6 in this kernel
      }
      try {
        rows.push(...parseProcNet(text, transport));
      } catch (err) {
        this.#malformed++;
        this.#log('warn', `malformed /proc/net/${file}`, { error: (err as Error).message });
      }
    }
    const { opened, closed } = this.#connections.update(rows);
    for (const row of closed) {
      const owner = this.#openOwners.get(row.inode);
      if (owner === undefined) continue;
      this.#openOwners.delete(row.inode);
      this.#emit({ kind: 'disconnect', timeMs: now, backend: 'procfs', platform: 'linux', process: owner.process, transport: row.transport, family: row.family, ...endpoints(row, owner.accepted) });
    }
    if (opened.length === 0) return;
    // newest processes first: a new connection most likely belongs to a recent process
    const pids = [...this.#table.pids()].reverse();
    const { owners } = scanSocketOwners(this.#procRoot, pids, new Set(opened.map((v) => v.row.inode)));
    for (const v of opened) {
      const pid = owners.get(v.row.inode);
      const owner = pid === undefined ? undefined : this.#table.get(pid);
      if (owner === undefined) {
        this.#unattributed++;
        this.#connections.unreport(v.row.inode);
        continue;
      }
      if (this.#openOwners.size < this.#maxConnections) this.#openOwners.set(v.row.inode, { process: owner, accepted: v.kind === 'accept' });
      const base = { timeMs: now, backend: 'procfs', platform: 'linux', process: owner, transport: v.row.transport, family: v.row.family } as const;
      if (v.kind === 'accept') this.#emit({ kind: 'accept', ...base, ...endpoints(v.row, true) });
      else this.#emit({ kind: 'connect', ...base, ...endpoints(v.row, false), result: v.result });
    }
  }

  stats(): ProcfsStats {
    const forks = Math.max(0, this.#forksNow - this.#forksAtStart);
    return {
      backend: 'procfs',
      events: this.#events,
      lost: 0,
      missed: Math.max(0, forks - this.#seen),
      malformed: this.#malformed + this.#table.stats().malformed,
      forks,
      seen: this.#seen,
      polls: this.#polls,
      pollMs: Math.round(this.#pollMs * 10) / 10,
      unattributed: this.#unattributed,
      processes: this.#table.stats(),
      connections: this.#connections.stats(),
    };
  }
}

function sameArgs(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Local/remote -> source/destination: the initiator is the source (remote for an accept, local otherwise). */
function endpoints(row: ProcNetRow, accepted: boolean) {
  const local = { ip: row.localIp, port: row.localPort };
  const remote = { ip: row.remoteIp, port: row.remotePort };
  return accepted ? { source: remote, destination: local } : { source: local, destination: remote };
}
