import { ProcParseError } from './proc-parse-error.js';

/** The fields of `/proc/<pid>/stat` Vigil uses (proc(5) numbering in comments). */
export interface PidStat {
  /** (1) */
  readonly pid: number;
  /** (2) the command name without its parentheses; may itself contain ')' and spaces. */
  readonly comm: string;
  /** (3) R S D Z T t X ... */
  readonly state: string;
  /** (4) */
  readonly ppid: number;
  /** (5) process group id (the group leader's pid). */
  readonly pgrp: number;
  /** (6) session id (the session leader's pid). */
  readonly session: number;
  /** (7) controlling terminal device number; 0 when the process has none. */
  readonly ttyNr: number;
  /** (9) kernel flags word (PF_*); PF_KTHREAD marks kernel threads. */
  readonly flags: number;
  /** (20) */
  readonly numThreads: number;
  /** (22) start time in clock ticks (USER_HZ) since boot, as a decimal string: Vigil's Linux `startKey`. */
  readonly startTicks: string;
}

const DIGITS = /^\d+$/;

/** PF_KTHREAD (include/linux/sched.h). */
export const PF_KTHREAD = 0x00200000;

/**
 * Parses `/proc/<pid>/stat`. The comm field is parenthesised and may contain anything, including ')', so the
 * numeric fields are read after the LAST ')'.
 */
export function parsePidStat(text: string): PidStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new ProcParseError('PROC_STAT_NO_COMM', 'no parenthesised comm', Math.max(open, 0));
  const pidText = text.slice(0, open).trim();
  if (!DIGITS.test(pidText)) throw new ProcParseError('PROC_STAT_BAD_NUMBER', `pid ${JSON.stringify(pidText)}`, 0);
  const rest = text.slice(close + 1).trim().split(/\s+/);
  // rest[0] is field 3 (state); field n is rest[n - 3].
  if (rest.length < 20) throw new ProcParseError('PROC_STAT_SHORT', `${rest.length + 2} fields, need at least 22`, close + 1);
  const num = (field: number): number => {
    const s = rest[field - 3]!;
    if (!/^-?\d+$/.test(s)) throw new ProcParseError('PROC_STAT_BAD_NUMBER', `field ${field} ${JSON.stringify(s)}`, close + 1);
    return Number(s);
  };
  const startTicks = rest[22 - 3]!;
  if (!DIGITS.test(startTicks)) throw new ProcParseError('PROC_STAT_BAD_NUMBER', `field 22 ${JSON.stringify(startTicks)}`, close + 1);
  return {
    pid: Number(pidText),
    comm: text.slice(open + 1, close),
    state: rest[0]!,
    ppid: num(4),
    pgrp: num(5),
    session: num(6),
    ttyNr: num(7),
    flags: num(9),
    numThreads: num(20),
    startTicks,
  };
}
