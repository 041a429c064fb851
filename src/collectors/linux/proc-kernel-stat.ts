import { ProcParseError } from './proc-parse-error.js';

/** The fields of `/proc/stat` Vigil uses. */
export interface KernelStat {
  /** Boot time, seconds since the epoch. */
  readonly btime: number;
  /** Forks (processes and threads) since boot. */
  readonly processes: number;
}

/** Parses `/proc/stat` for `btime` and `processes`. */
export function parseKernelStat(text: string): KernelStat {
  const btime = /^btime (\d+)$/m.exec(text);
  const processes = /^processes (\d+)$/m.exec(text);
  if (!btime) throw new ProcParseError('PROC_KSTAT_MISSING', 'no btime line', 0);
  if (!processes) throw new ProcParseError('PROC_KSTAT_MISSING', 'no processes line', 0);
  return { btime: Number(btime[1]), processes: Number(processes[1]) };
}
