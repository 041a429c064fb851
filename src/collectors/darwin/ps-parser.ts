import { LSTART_PATTERN, parseLstart } from './lstart.js';

/** One process as `ps -o pid=,ppid=,pgid=,ruid=,uid=,rgid=,lstart=,args=` prints it (see ps-dialect.ts). */
export interface PsRow {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly ruid: number;
  readonly euid: number;
  readonly rgid: number;
  /** lstart, epoch seconds (whole). */
  readonly startSeconds: number;
  /** The args column verbatim (argv joined with spaces). */
  readonly commandLine: string;
  /** argv split at spaces; undefined for a process without readable args (`[kthread]`, `(name)`). */
  readonly args?: readonly string[];
  /** The name from `[name]` / `(name)` when args are unreadable. */
  readonly name?: string;
  /** Exited, not yet reaped: procps prints `[name] <defunct>`, macOS `<defunct>`. */
  readonly zombie?: boolean;
}

const ROW = new RegExp(`^\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(${LSTART_PATTERN.source})(?: (.*))?$`);
const UNREADABLE = /^[[(](.*)[\])]$/;
const DEFUNCT = /^(?:\[(.*)\] )?<defunct>$/;

export interface PsParseResult {
  readonly rows: PsRow[];
  /** Lines that did not parse (counted by the collector as malformed). */
  readonly malformed: number;
}

/** Parses the whole output of the processes call; blank lines are ignored. */
export function parsePsProcesses(text: string): PsParseResult {
  const rows: PsRow[] = [];
  let malformed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = ROW.exec(line);
    const startSeconds = m === null ? undefined : parseLstart(m[7]!);
    if (m === null || startSeconds === undefined) {
      malformed++;
      continue;
    }
    const commandLine = (m[15] ?? '').trimEnd();
    const unreadable = UNREADABLE.exec(commandLine);
    const defunct = DEFUNCT.exec(commandLine);
    const base = {
      pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), ruid: Number(m[4]), euid: Number(m[5]), rgid: Number(m[6]),
      startSeconds, commandLine,
    };
    if (defunct !== null) rows.push({ ...base, zombie: true, ...(defunct[1] !== undefined ? { name: defunct[1] } : {}) });
    else if (unreadable !== null && !commandLine.includes(' ')) rows.push({ ...base, name: unreadable[1]! });
    else if (commandLine === '') rows.push(base);
    else rows.push({ ...base, args: commandLine.split(' ') });
  }
  return { rows, malformed };
}

/**
 * Parses the executables call (`pid=,exe=` on procps, `pid=,comm=` on macOS): pid -> absolute path, or the
 * bare name when that is all ps knows (`comm` without a path); `-` (unreadable) is left out.
 */
export function parsePsExecutables(text: string): Map<number, { readonly executable?: string; readonly name?: string }> {
  const out = new Map<number, { readonly executable?: string; readonly name?: string }>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+) (.*)$/.exec(line);
    if (m === null) continue;
    const value = m[2]!.trim();
    if (value === '' || value === '-') continue;
    out.set(Number(m[1]), value.startsWith('/') ? { executable: value } : { name: value });
  }
  return out;
}
