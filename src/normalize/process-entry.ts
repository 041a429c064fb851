import type { NamesMemo } from './entry-memo.js';

/** What the process cache knows about one process instance (pid + startKey). */
export interface ProcessEntry {
  readonly pid: number;
  readonly startKey: string;
  readonly entityId: string;
  ppid?: number;
  parentEntityId?: string;
  /** Entity ids of the ancestors, nearest first, at most 5 (process.Ext.ancestry). */
  ancestry: string[];
  name?: string;
  executable?: string;
  args?: readonly string[];
  commandLine?: string;
  workingDirectory?: string;
  startTimeMs?: number;
  uid?: number;
  gid?: number;
  euid?: number;
  egid?: number;
  userName?: string;
  groupName?: string;
  /** The platform's own user id text when it is not a number (Windows SID, from RawProcess.extra.userSid). */
  userId?: string;
  userDomain?: string;
  groupLeaderPid?: number;
  sessionLeaderPid?: number;
  /** Controlling terminal device (0: none), as RawProcess.tty; unknown when undefined. */
  tty?: number;
  /** Memo of `process.start` as ISO text (derived from startTimeMs). */
  startIso?: string;
  /** Memo of resolved names, keyed by the ids they were resolved for; dropped when an id changes. */
  names?: NamesMemo;
  /** Set by a live event (exec/fork/exit/network), as opposed to only a startup snapshot. */
  live: boolean;
  /** Epoch ms of the exit, once seen; the entry is then kept `exitRetentionMs` for late events. */
  exitedAtMs?: number;
  /** Owned by ProcessCache: whether the entry is held, and its size as measured at the last put. */
  inCache?: boolean;
  cacheBytes?: number;
}

/**
 * A new entry with every field present (optional ones undefined): all entries then share one object layout,
 * so the code that reads them stays monomorphic and an entry is one allocation, not one per field added.
 */
export function newProcessEntry(pid: number, startKey: string, entityId: string, live: boolean): ProcessEntry {
  return {
    pid, startKey, entityId, ppid: undefined, parentEntityId: undefined, ancestry: [], name: undefined,
    executable: undefined, args: undefined, commandLine: undefined, workingDirectory: undefined, startTimeMs: undefined,
    uid: undefined, gid: undefined, euid: undefined, egid: undefined, userName: undefined, groupName: undefined,
    userId: undefined, userDomain: undefined, groupLeaderPid: undefined, sessionLeaderPid: undefined, tty: undefined,
    startIso: undefined, names: undefined, live, exitedAtMs: undefined, inCache: undefined, cacheBytes: undefined,
  };
}
