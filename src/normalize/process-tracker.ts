import type { Platform, RawProcess } from '../collectors/raw-event.js';
import type { HostIdentity } from '../collectors/host-identity.js';
import type { EntityIdOf } from './entity-id.js';
import type { ProcessCache } from './process-cache.js';
import type { AiAgentTable } from './ai-agent-table.js';
import { descendantTag, newProcessEntry, type ProcessEntry } from './process-entry.js';
import { processStartMs } from './start-time.js';

const MAX_ANCESTRY = 5;

let lastPath = '';
let lastBase = '';

/** basename for both `/` and `\` separated paths; the last answer is kept (a storm execs one image over and over). */
function baseName(path: string): string {
  if (path === lastPath) return lastBase;
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  lastPath = path;
  lastBase = i >= 0 ? path.slice(i + 1) : path;
  return lastBase;
}

/** A start key that is numerically after another (a parent cannot start after its child). */
function startsAfter(a: string, b: string): boolean {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return a.length !== b.length ? a.length > b.length : a > b;
}

/** The parent first, then its own ancestors: at most MAX_ANCESTRY ids, in one allocation. */
function ancestryOf(parentId: string, above: readonly string[] | undefined): string[] {
  const out = [parentId];
  const n = above === undefined ? 0 : Math.min(above.length, MAX_ANCESTRY - 1);
  for (let i = 0; i < n; i++) out.push(above![i]!);
  return out;
}

type Mode = 'replace' | 'fill';

/** Copies what the collector knows into the entry: `replace` overwrites (exec), `fill` only fills gaps. */
function apply(e: ProcessEntry, p: RawProcess, mode: Mode, startMs: number | undefined): void {
  const r = mode === 'replace';
  const exe = p.executable;
  if (exe !== undefined && (r || e.executable === undefined)) e.executable = exe;
  if (r || e.name === undefined) {
    const name = exe !== undefined && exe !== '' ? baseName(exe) : p.comm;
    if (name !== undefined) e.name = name;
  }
  if (p.args !== undefined && (r || e.args === undefined)) {
    e.args = p.args;
    // the platform's own command line when it has one (Windows quoting), else argv joined as Defend does
    e.commandLine = p.commandLine ?? p.args.join(' ');
  } else if (p.commandLine !== undefined && (r || e.commandLine === undefined)) {
    e.commandLine = p.commandLine;
  }
  if (p.cwd !== undefined && (r || e.workingDirectory === undefined)) e.workingDirectory = p.cwd;
  if (startMs !== undefined && (r || e.startTimeMs === undefined)) {
    if (e.startTimeMs !== startMs) e.startIso = undefined;
    e.startTimeMs = startMs;
  }
  if (p.uid !== undefined && (r || e.uid === undefined)) e.uid = p.uid;
  if (p.gid !== undefined && (r || e.gid === undefined)) e.gid = p.gid;
  if (p.euid !== undefined && (r || e.euid === undefined)) e.euid = p.euid;
  if (p.egid !== undefined && (r || e.egid === undefined)) e.egid = p.egid;
  if (p.userName !== undefined && (r || e.userName === undefined)) e.userName = p.userName;
  if (p.groupName !== undefined && (r || e.groupName === undefined)) e.groupName = p.groupName;
  if (p.userDomain !== undefined && (r || e.userDomain === undefined)) e.userDomain = p.userDomain;
  if (p.extra !== undefined) {
    const sid = p.extra['userSid'];
    if (typeof sid === 'string' && (r || e.userId === undefined)) e.userId = sid;
  }
  if (p.groupLeaderPid !== undefined && (r || e.groupLeaderPid === undefined)) e.groupLeaderPid = p.groupLeaderPid;
  if (p.tty !== undefined) {
    if (r || e.tty === undefined) e.tty = p.tty;
  } else if (r && p.sessionLeaderPid !== undefined && e.sessionLeaderPid !== undefined && p.sessionLeaderPid !== e.sessionLeaderPid) {
    // a new session (setsid) drops the controlling terminal: what was known about it no longer holds
    e.tty = undefined;
  }
  if (p.sessionLeaderPid !== undefined && (r || e.sessionLeaderPid === undefined)) e.sessionLeaderPid = p.sessionLeaderPid;
}

/**
 * Keeps the process cache in step with raw process events: entity ids, parent links and ancestry, inheritance
 * at fork, exits. Platform-neutral; the platform only decides how a start key becomes a time.
 */
export class ProcessTracker {
  readonly #cache: ProcessCache;
  readonly #entityIdOf: EntityIdOf;
  readonly #host: HostIdentity;
  readonly #aiAgents: AiAgentTable | null;
  #snapshotsMerged = 0;

  constructor(cache: ProcessCache, entityIdOf: EntityIdOf, host: HostIdentity, aiAgents: AiAgentTable | null = null) {
    this.#cache = cache;
    this.#entityIdOf = entityIdOf;
    this.#host = host;
    this.#aiAgents = aiAgents;
  }

  /**
   * Decides process.ai_agent once per entry: a process whose parent carries a tag is that agent's descendant
   * (across exec: the tag stays with the entity); otherwise the table is asked about its image. Called where
   * an entry is created or execs, never per event.
   */
  #tagAiAgent(e: ProcessEntry): void {
    if (e.aiAgent !== undefined || this.#aiAgents === null) return;
    if (e.ppid !== undefined && e.parentEntityId !== undefined) {
      const parent = this.#cache.peekPid(e.ppid);
      if (parent !== undefined && parent.entityId === e.parentEntityId && parent.aiAgent !== undefined) {
        e.aiAgent = descendantTag(parent.aiAgent);
        return;
      }
    }
    const name = this.#aiAgents.match(e.name, e.executable, e.args);
    if (name !== undefined) e.aiAgent = { name, isDescendant: false, sessionEntityId: e.entityId };
  }

  get snapshotsMerged(): number {
    return this.#snapshotsMerged;
  }

  #create(p: RawProcess, live: boolean): ProcessEntry {
    return newProcessEntry(p.pid, p.startKey, this.#entityIdOf(p.pid, p.startKey), live);
  }

  /** Sets ppid, parent entity id and ancestry from what the collector says and what the cache holds. */
  #link(e: ProcessEntry, p: RawProcess): void {
    if (p.ppid === undefined || (p.ppid === e.ppid && e.parentEntityId !== undefined)) return;
    e.ppid = p.ppid;
    if (p.ppid <= 0) {
      e.parentEntityId = undefined;
      e.ancestry = [];
      return;
    }
    let parent = this.#cache.get(p.ppid, p.parentStartKey ?? '');
    if (parent !== undefined && startsAfter(parent.startKey, e.startKey)) parent = undefined; // a reused pid
    const parentId = parent?.entityId ?? (p.parentStartKey !== undefined ? this.#entityIdOf(p.ppid, p.parentStartKey) : undefined);
    e.parentEntityId = parentId;
    e.ancestry = parentId === undefined ? [] : ancestryOf(parentId, parent?.ancestry);
  }

  /** The pid now belongs to another instance: the old one has ended, whether or not its exit was seen. */
  #retirePrevious(p: RawProcess, timeMs: number): void {
    const cur = this.#cache.peekPid(p.pid);
    if (cur !== undefined && cur.startKey !== p.startKey) this.#cache.markExited(cur, timeMs);
  }

  #startMs(p: RawProcess, platform: Platform): number | undefined {
    return processStartMs(p, platform, this.#host);
  }

  exec(p: RawProcess, platform: Platform, timeMs: number): ProcessEntry {
    this.#retirePrevious(p, timeMs);
    const e = this.#cache.get(p.pid, p.startKey) ?? this.#create(p, true);
    e.live = true;
    apply(e, p, 'replace', this.#startMs(p, platform));
    // argv replaced: a command line from before the exec must not survive an exec that did not report one
    if (p.args === undefined && p.executable !== undefined) {
      e.args = undefined;
      if (p.commandLine === undefined) e.commandLine = undefined;
    }
    this.#link(e, p);
    this.#tagAiAgent(e);
    this.#cache.put(e);
    return e;
  }

  fork(p: RawProcess, platform: Platform, timeMs: number): ProcessEntry {
    this.#retirePrevious(p, timeMs);
    const e = this.#cache.get(p.pid, p.startKey) ?? this.#create(p, true);
    e.live = true;
    this.#link(e, p);
    apply(e, p, 'replace', this.#startMs(p, platform));
    // the child runs the parent's image until it execs
    const parent = p.ppid === undefined ? undefined : this.#cache.peekPid(p.ppid);
    if (parent !== undefined && parent.entityId === e.parentEntityId) {
      if (e.executable === undefined && parent.executable !== undefined) {
        e.executable = parent.executable;
        e.name = parent.name;
      }
      e.name ??= parent.name;
      e.args ??= parent.args;
      e.commandLine ??= parent.commandLine;
      e.workingDirectory ??= parent.workingDirectory;
      e.uid ??= parent.uid;
      e.gid ??= parent.gid;
      e.euid ??= parent.euid;
      e.egid ??= parent.egid;
      e.groupLeaderPid ??= parent.groupLeaderPid;
      e.sessionLeaderPid ??= parent.sessionLeaderPid;
      // fork keeps the controlling terminal (and exec does too: only setsid drops it)
      e.tty ??= parent.tty;
    }
    this.#tagAiAgent(e);
    this.#cache.put(e);
    return e;
  }

  exit(p: RawProcess, platform: Platform, timeMs: number): ProcessEntry {
    let e = this.#cache.get(p.pid, p.startKey);
    if (e === undefined) {
      e = this.#create(p, true);
      this.#link(e, p);
      apply(e, p, 'fill', this.#startMs(p, platform));
      this.#tagAiAgent(e);
      this.#cache.put(e);
    } else {
      apply(e, p, 'fill', this.#startMs(p, platform));
    }
    e.live = true;
    this.#cache.markExited(e, timeMs);
    return e;
  }

  /**
   * A process found running at startup. When a live event already introduced the same entity (the live
   * collector attached first, so it may have), the snapshot only fills gaps and `merged` is true: no
   * already_running document is emitted for it.
   */
  snapshot(p: RawProcess, platform: Platform): { entry: ProcessEntry; merged: boolean } {
    const found = this.#cache.get(p.pid, p.startKey);
    if (found !== undefined) {
      apply(found, p, 'fill', this.#startMs(p, platform));
      if (found.ppid === undefined) this.#link(found, p);
      this.#tagAiAgent(found);
      this.#snapshotsMerged++;
      return { entry: found, merged: true };
    }
    const e = this.#create(p, false);
    apply(e, p, 'replace', this.#startMs(p, platform));
    this.#link(e, p);
    this.#tagAiAgent(e);
    this.#cache.put(e);
    return { entry: e, merged: false };
  }

  /** The process behind a network event: the cached instance, or a new entry from what the collector says. */
  network(p: RawProcess, platform: Platform): ProcessEntry {
    const found = this.#cache.get(p.pid, p.startKey);
    if (found !== undefined) {
      apply(found, p, 'fill', this.#startMs(p, platform));
      return found;
    }
    const e = this.#create(p, true);
    apply(e, p, 'replace', this.#startMs(p, platform));
    this.#link(e, p);
    this.#tagAiAgent(e);
    // remember it, unless that would push out a live instance of the same pid (this may be a late event)
    const cur = this.#cache.peekPid(p.pid);
    if (p.startKey !== '' && (cur === undefined || cur.exitedAtMs !== undefined)) this.#cache.put(e);
    return e;
  }
}
