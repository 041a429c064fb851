import type { HostIdentity } from '../host-identity.js';
import type { RawProcess } from '../raw-event.js';
import type { PidStat } from './proc-pid-stat.js';
import { listPids, readPidStat, readProcProcess } from './procfs-process-reader.js';

export interface ProcessTableDiff {
  /** Processes that appeared since the last scan, parents before children (ascending start time). */
  readonly added: ReadonlyArray<{ readonly process: RawProcess; readonly stat: PidStat }>;
  /** Processes that disappeared since the last scan. */
  readonly removed: readonly RawProcess[];
}

export interface ProcessTableStats {
  readonly tracked: number;
  /** New pids not tracked because the table was full. */
  readonly overflow: number;
  /** pids that vanished between listing and reading. */
  readonly vanished: number;
  readonly malformed: number;
  readonly kernelThreads: number;
}

function byStart(a: { stat: PidStat }, b: { stat: PidStat }): number {
  const x = a.stat.startTicks;
  const y = b.stat.startTicks;
  return x.length !== y.length ? x.length - y.length : x < y ? -1 : x > y ? 1 : a.stat.pid - b.stat.pid;
}

/**
 * The processes /proc shows, diffed scan to scan. Kernel threads are left out (they are not processes a rule
 * can be about). Bounded by `maxProcesses`: pids past it are counted in `overflow`, not tracked.
 */
export class ProcfsProcessTable {
  readonly #procRoot: string;
  readonly #host: Pick<HostIdentity, 'bootTimeMs' | 'clockTicksPerSecond'>;
  readonly #max: number;
  readonly #known = new Map<number, RawProcess>();
  /** pids seen as kernel threads, so they are not re-read every scan. */
  readonly #kthreads = new Set<number>();
  #overflow = 0;
  #vanished = 0;
  #malformed = 0;

  constructor(procRoot: string, host: Pick<HostIdentity, 'bootTimeMs' | 'clockTicksPerSecond'>, maxProcesses = 65536) {
    this.#procRoot = procRoot;
    this.#host = host;
    this.#max = maxProcesses;
  }

  get(pid: number): RawProcess | undefined {
    return this.#known.get(pid);
  }

  /** Tracked pids, oldest first. */
  pids(): IterableIterator<number> {
    return this.#known.keys();
  }

  scan(): ProcessTableDiff {
    const pids = listPids(this.#procRoot);
    const current = new Set(pids);
    const added: Array<{ process: RawProcess; stat: PidStat }> = [];
    for (const pid of pids) {
      if (this.#known.has(pid) || this.#kthreads.has(pid)) continue;
      const r = readProcProcess(this.#procRoot, pid, this.#host);
      if (!r.ok) {
        if (r.reason === 'gone') this.#vanished++;
        else this.#malformed++;
        continue;
      }
      if (r.kernelThread) {
        this.#kthreads.add(pid);
        continue;
      }
      added.push({ process: r.process, stat: r.stat });
    }
    const removed: RawProcess[] = [];
    for (const [pid, p] of this.#known) {
      if (!current.has(pid)) {
        this.#known.delete(pid);
        removed.push(p);
      }
    }
    for (const pid of this.#kthreads) if (!current.has(pid)) this.#kthreads.delete(pid);
    added.sort(byStart);
    const out: Array<{ process: RawProcess; stat: PidStat }> = [];
    for (const a of added) {
      if (this.#known.size >= this.#max) {
        this.#overflow++;
        continue;
      }
      const ppid = a.process.ppid ?? 0;
      const parentStartKey = ppid > 0 ? this.#known.get(ppid)?.startKey ?? readPidStat(this.#procRoot, ppid)?.startTicks : undefined;
      const process: RawProcess = parentStartKey === undefined ? a.process : { ...a.process, parentStartKey };
      this.#known.set(a.process.pid, process);
      out.push({ process, stat: a.stat });
    }
    return { added: out, removed };
  }

  stats(): ProcessTableStats {
    return {
      tracked: this.#known.size,
      overflow: this.#overflow,
      vanished: this.#vanished,
      malformed: this.#malformed,
      kernelThreads: this.#kthreads.size,
    };
  }
}
