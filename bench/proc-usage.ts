/** What a benchmark reads about other processes from /proc: CPU ticks, memory, children. */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';

/** USER_HZ: /proc/<pid>/stat counts CPU time in these. */
export const TICKS_PER_S = 100;

/** utime + stime of the whole process (every thread), in ticks; 0 once it is gone. */
export function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** VmRSS (now) or VmHWM (peak) of a process, in kB. */
export function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/**
 * Resets a process's peak RSS (VmHWM) to its current RSS (`5` to /proc/<pid>/clear_refs, Linux >= 4.0; the
 * caller must own the process or be root), so a later VmHWM reading is the peak of one phase.
 */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** kB -> MB with one decimal. */
export const mb = (kb: number): number => Math.round(kb / 102.4) / 10;

/** The direct children of a process (all its threads' children). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
    if (text) out.push(...text.split(' ').map(Number));
  }
  return out;
}

/** CPU used by `pids` between two readings, as % of one core over `seconds`. */
export function cpuPct(before: readonly number[], after: readonly number[], seconds: number): number {
  const used = after.reduce((a, t, i) => a + t - before[i]!, 0) / TICKS_PER_S;
  return Math.round((used / seconds) * 1000) / 10;
}
