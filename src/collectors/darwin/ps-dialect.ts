/**
 * The two ps implementations Vigil reads, and the exact invocations. Both are run with `TZ=UTC0 LC_ALL=C`
 * (lstart in UTC, English names). Documented differences the parsers handle:
 * - procps-ng (Linux): `-A` all processes; `ww` unlimited width; kernel threads print args as `[name]`;
 *   `exe` is the executable path (`-` when unreadable); `comm` is the 15-byte task name.
 * - BSD ps (macOS): `-A` all processes; `-ww` unlimited width; `comm` is the executable's full path (there is
 *   no `exe`); a process whose arguments cannot be read prints `(name)` as args.
 * Both: `pid ppid pgid ruid uid(effective) rgid` numbers, `lstart` as `Sat Nov 28 08:15:38 2026`, `args` last
 * (argv joined with single spaces, so argument boundaries inside an argument's own spaces are lost).
 * The executable comes from a second call with a single field after the pid, because comm/exe may contain
 * spaces and only the last column can hold spaces unambiguously.
 */
export const PS_DIALECTS = ['procps', 'bsd'] as const;
export type PsDialect = (typeof PS_DIALECTS)[number];

export interface PsInvocation {
  /** pid ppid pgid ruid uid rgid lstart args */
  readonly processes: readonly string[];
  /** pid executable-or-name */
  readonly executables: readonly string[];
}

const MAIN_FIELDS = 'pid=,ppid=,pgid=,ruid=,uid=,rgid=,lstart=,args=';

export const PS_INVOCATIONS: Readonly<Record<PsDialect, PsInvocation>> = {
  procps: { processes: ['-A', 'ww', '-o', MAIN_FIELDS], executables: ['-A', 'ww', '-o', 'pid=,exe='] },
  bsd: { processes: ['-A', '-ww', '-o', MAIN_FIELDS], executables: ['-A', '-ww', '-o', 'pid=,comm='] },
};

export const PS_ENV: Readonly<Record<string, string>> = { TZ: 'UTC0', LC_ALL: 'C' };

export function psDialectFor(platform: NodeJS.Platform): PsDialect {
  return platform === 'linux' ? 'procps' : 'bsd';
}
