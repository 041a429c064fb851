import { readFileSync, readlinkSync, readdirSync } from 'node:fs';
import type { HostIdentity } from '../host-identity.js';
import type { RawProcess } from '../raw-event.js';
import { parseCmdline } from './proc-cmdline.js';
import { parsePidStat, PF_KTHREAD, type PidStat } from './proc-pid-stat.js';
import { parsePidStatus } from './proc-pid-status.js';

/** What reading one /proc/<pid> gave: the process, or why not (it vanished, or /proc said something odd). */
export type ProcRead =
  | { readonly ok: true; readonly process: RawProcess; readonly stat: PidStat; readonly kernelThread: boolean }
  | { readonly ok: false; readonly reason: 'gone' | 'malformed'; readonly detail?: string };

function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/** Reads a file that may vanish or be forbidden: undefined then. */
function tryRead(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function tryLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined; // EACCES for other users' processes when unprivileged, ENOENT for zombies/kernel threads
  }
}

/** Numeric entries of /proc: the thread-group ids (processes). */
export function listPids(procRoot: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync(procRoot)) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) out.push(Number(name));
  }
  return out;
}

/** Reads only `/proc/<pid>/stat` (the cheap part): undefined when the pid is gone or the file is malformed. */
export function readPidStat(procRoot: string, pid: number): PidStat | undefined {
  const buf = tryRead(`${procRoot}/${pid}/stat`);
  if (buf === undefined) return undefined;
  try {
    return parsePidStat(buf.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Reads one process from procfs as a RawProcess (startKey = stat field 22). Tolerates zombies (no cmdline, no
 * exe: comm is all there is), vanished pids (`gone`) and files an unprivileged reader may not open (left out).
 */
export function readProcProcess(procRoot: string, pid: number, host: Pick<HostIdentity, 'bootTimeMs' | 'clockTicksPerSecond'>): ProcRead {
  let statText: string;
  try {
    statText = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
  } catch (err) {
    return { ok: false, reason: 'gone', detail: errnoOf(err) ?? String(err) };
  }
  let stat: PidStat;
  try {
    stat = parsePidStat(statText);
  } catch (err) {
    return { ok: false, reason: 'malformed', detail: (err as Error).message };
  }
  const kernelThread = (stat.flags & PF_KTHREAD) !== 0;
  const statusBuf = tryRead(`${procRoot}/${pid}/status`);
  let status: ReturnType<typeof parsePidStatus> = {};
  if (statusBuf !== undefined) {
    try {
      status = parsePidStatus(statusBuf.toString('utf8'));
    } catch {
      // keep going with stat alone
    }
  }
  const cmdline = tryRead(`${procRoot}/${pid}/cmdline`);
  const args = cmdline === undefined ? undefined : parseCmdline(cmdline);
  const exe = tryLink(`${procRoot}/${pid}/exe`);
  const cwd = tryLink(`${procRoot}/${pid}/cwd`);
  const p: { -readonly [K in keyof RawProcess]: RawProcess[K] } = {
    pid,
    startKey: stat.startTicks,
    startTimeMs: host.bootTimeMs + (Number(stat.startTicks) * 1000) / host.clockTicksPerSecond,
    ppid: stat.ppid,
    comm: stat.comm,
    groupLeaderPid: stat.pgrp,
    sessionLeaderPid: stat.session,
    tty: stat.ttyNr,
  };
  if (exe !== undefined) p.executable = exe.endsWith(' (deleted)') ? exe.slice(0, -' (deleted)'.length) : exe;
  if (args !== undefined && args.length > 0) p.args = args;
  if (cwd !== undefined) p.cwd = cwd;
  if (status.uids) {
    p.uid = status.uids[0];
    p.euid = status.uids[1];
  }
  if (status.gids) {
    p.gid = status.gids[0];
    p.egid = status.gids[1];
  }
  return { ok: true, process: p, stat, kernelThread };
}
