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
  args?: string[];
  commandLine?: string;
  workingDirectory?: string;
  startTimeMs?: number;
  uid?: number;
  gid?: number;
  euid?: number;
  egid?: number;
  userName?: string;
  groupName?: string;
  groupLeaderPid?: number;
  sessionLeaderPid?: number;
  /** Set by a live event (exec/fork/exit/network), as opposed to only a startup snapshot. */
  live: boolean;
  /** Epoch ms of the exit, once seen; the entry is then kept `exitRetentionMs` for late events. */
  exitedAtMs?: number;
}
