import type { NamesMemo } from './entry-memo.js';
import type { ParentMemo } from './parent-fields.js';

/**
 * The AI-agent tool a process belongs to (process.ai_agent.*): the agent's own root process, or one it spawned
 * directly or transitively. One object per root and one shared by all its descendants (`child`).
 */
export interface AiAgentTag {
  /** Canonical name (config/ai-agents.toml key). */
  readonly name: string;
  readonly isDescendant: boolean;
  /** Entity id of the agent's root process: the AI-agent session. */
  readonly sessionEntityId: string;
  /** The tag every descendant carries (the root's, created once; a descendant's is itself). */
  child?: AiAgentTag;
}

/** The tag of a process spawned by one carrying `parent`. */
export function descendantTag(parent: AiAgentTag): AiAgentTag {
  if (parent.isDescendant) return parent;
  return (parent.child ??= { name: parent.name, isDescendant: true, sessionEntityId: parent.sessionEntityId });
}

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
  /** The AI-agent tool behind this process, decided once when the entry is created or first execs. */
  aiAgent?: AiAgentTag;
  /** Memo of resolved names, keyed by the ids they were resolved for; dropped when an id changes. */
  names?: NamesMemo;
  /** Memo of this process's fields as a child's `process.parent.*` (parent-fields.ts). */
  asParent?: ParentMemo;
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
    startIso: undefined, aiAgent: undefined, names: undefined, asParent: undefined, live, exitedAtMs: undefined, inCache: undefined, cacheBytes: undefined,
  };
}
