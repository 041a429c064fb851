import type { HostIdentity } from '../host-identity.js';
import type { Platform, RawProcess } from '../raw-event.js';
import { PS_ENV, PS_INVOCATIONS, psDialectFor, type PsDialect } from './ps-dialect.js';
import { parsePsExecutables, parsePsProcesses, type PsRow } from './ps-parser.js';
import { psStartKeyFor, type PsStartKeyOf } from './ps-start-key.js';
import type { ToolRunner } from './run-tool.js';

export interface PsReaderOptions {
  readonly platform: Platform;
  readonly runner: ToolRunner;
  readonly dialect?: PsDialect;
  readonly psPath?: string;
  readonly host?: HostIdentity;
  readonly procRoot?: string;
}

export interface PsProcess {
  readonly process: RawProcess;
  readonly row: PsRow;
}

export interface PsReadResult {
  /** The pid of the ps run that listed the processes (the newest pid allocation at that moment). */
  readonly markerPid: number | undefined;
  /** By pid, in ps order (ascending pid). The collector's own ps/lsof runs are left out. */
  readonly processes: Map<number, PsProcess>;
  readonly malformed: number;
}

export interface PsReaderStats {
  readonly reads: number;
  /** Linux only: start keys estimated from lstart because /proc/<pid>/stat was gone. */
  readonly estimatedKeys: number;
}

/**
 * Reads every process with two ps runs (ps-dialect.ts) and builds RawProcesses. Start keys are computed
 * once per (pid, lstart) and cached; the cache holds only the pids of the last read.
 */
export class PsProcessReader {
  readonly #runner: ToolRunner;
  readonly #dialect: PsDialect;
  readonly #ps: string;
  readonly #keyOf: PsStartKeyOf;
  #keys = new Map<number, { seconds: number; key: string }>();
  #reads = 0;
  #estimated = 0;

  constructor(options: PsReaderOptions) {
    this.#runner = options.runner;
    this.#dialect = options.dialect ?? psDialectFor(process.platform);
    this.#ps = options.psPath ?? 'ps';
    this.#keyOf = psStartKeyFor(options.platform, options.host, options.procRoot, () => this.#estimated++);
  }

  async read(): Promise<PsReadResult> {
    const inv = PS_INVOCATIONS[this.#dialect];
    const text = await this.#runner.run(this.#ps, inv.processes, { env: PS_ENV });
    const markerPid = this.#runner.lastPid;
    const exeText = await this.#runner.run(this.#ps, inv.executables, { env: PS_ENV });
    this.#reads++;
    const { rows, malformed } = parsePsProcesses(text);
    const exes = parsePsExecutables(exeText);
    const keys = new Map<number, { seconds: number; key: string }>();
    const out = new Map<number, PsProcess>();
    const self = process.pid;
    for (const row of rows) {
      // our own helper runs (and anything they fork) are not activity worth reporting
      // a zombie has exited: absent from the table, so its exit is reported (a new one was missed)
      if (row.zombie === true) continue;
      if (this.#runner.isOwn(row.pid) || this.#runner.isOwn(row.ppid) || (row.ppid === self && isOwnTool(row))) continue;
      const cached = this.#keys.get(row.pid);
      const key = cached !== undefined && cached.seconds === row.startSeconds ? cached.key : this.#keyOf(row.pid, row.startSeconds);
      keys.set(row.pid, { seconds: row.startSeconds, key });
      out.set(row.pid, { row, process: rawProcessFromPs(row, key, exes.get(row.pid)) });
    }
    this.#keys = keys;
    // parents are known once every key is
    for (const [pid, p] of out) {
      const parentKey = keys.get(p.row.ppid)?.key;
      if (parentKey !== undefined) out.set(pid, { row: p.row, process: { ...p.process, parentStartKey: parentKey } });
    }
    return { processes: out, malformed, markerPid };
  }

  stats(): PsReaderStats {
    return { reads: this.#reads, estimatedKeys: this.#estimated };
  }
}

/** One ps row as a RawProcess (`parentStartKey` is added once every row's key is known). */
export function rawProcessFromPs(row: PsRow, startKey: string, image: { readonly executable?: string; readonly name?: string } | undefined): RawProcess {
  const executable = image?.executable;
  const comm = row.name ?? image?.name;
  return {
    pid: row.pid,
    startKey,
    startTimeMs: row.startSeconds * 1000,
    ppid: row.ppid,
    uid: row.ruid,
    euid: row.euid,
    gid: row.rgid,
    groupLeaderPid: row.pgid,
    ...(executable !== undefined ? { executable } : {}),
    ...(row.args !== undefined ? { args: row.args } : {}),
    ...(comm !== undefined ? { comm } : {}),
  };
}

/** A ps or lsof child of this process that already exited before the list was taken (its pid left `live`). */
function isOwnTool(row: PsRow): boolean {
  const argv0 = row.args?.[0] ?? row.name ?? '';
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  return base === 'ps' || base === 'lsof';
}
