import type { RawProcess } from '../raw-event.js';
import type { ToolRunner } from './run-tool.js';

/**
 * `dscl . -list /Users UniqueID` / `dscl . -list /Groups PrimaryGroupID` lines (`name   id`) -> id -> name.
 * Several names may share an id (`_uucp`/`uucp`): a name without the leading `_` wins, else the first.
 * Bounded: at most `max` ids.
 */
export function parseDsclIds(text: string, max = 65536): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(-?\d+)\s*$/.exec(line);
    if (m === null) continue;
    const id = Number(m[2]);
    const prev = out.get(id);
    if (prev === undefined ? out.size < max : prev.startsWith('_') && !m[1]!.startsWith('_')) out.set(id, m[1]!);
  }
  return out;
}

/**
 * User and group names on macOS, where most accounts live in Directory Services rather than /etc/passwd
 * (which the normalizer reads): looked up with dscl and put on RawProcess.userName / groupName for the
 * effective ids. A lookup miss reloads the lists, at most once per `reloadMs` (default 60 s).
 */
export class DarwinUserNames {
  readonly #runner: ToolRunner;
  readonly #dscl: string;
  readonly #reloadMs: number;
  readonly #now: () => number;
  #users = new Map<number, string>();
  #groups = new Map<number, string>();
  #loadedAt = -Infinity;
  #loading: Promise<void> | null = null;

  constructor(runner: ToolRunner, options: { dsclPath?: string; reloadMs?: number; nowMs?: () => number } = {}) {
    this.#runner = runner;
    this.#dscl = options.dsclPath ?? '/usr/bin/dscl';
    this.#reloadMs = options.reloadMs ?? 60_000;
    this.#now = options.nowMs ?? Date.now;
  }

  /** Loads both lists; a failure (no dscl: not macOS) leaves them empty and names unset. */
  async load(): Promise<void> {
    this.#loadedAt = this.#now();
    try {
      const [u, g] = await Promise.all([
        this.#runner.run(this.#dscl, ['.', '-list', '/Users', 'UniqueID']),
        this.#runner.run(this.#dscl, ['.', '-list', '/Groups', 'PrimaryGroupID']),
      ]);
      this.#users = parseDsclIds(u);
      this.#groups = parseDsclIds(g);
    } catch {
      // names stay as they were
    }
  }

  /** The process with names for its effective user and group, when known. */
  name(p: RawProcess): RawProcess {
    const uid = p.euid ?? p.uid;
    const gid = p.egid ?? p.gid;
    const user = uid === undefined ? undefined : this.#users.get(uid);
    const group = gid === undefined ? undefined : this.#groups.get(gid);
    if ((uid !== undefined && user === undefined) || (gid !== undefined && group === undefined)) this.#maybeReload();
    if (user === undefined && group === undefined) return p;
    return { ...p, ...(user !== undefined ? { userName: user } : {}), ...(group !== undefined ? { groupName: group } : {}) };
  }

  #maybeReload(): void {
    if (this.#loading !== null || this.#now() - this.#loadedAt < this.#reloadMs) return;
    this.#loading = this.load().finally(() => (this.#loading = null));
  }

  get size(): { users: number; groups: number } {
    return { users: this.#users.size, groups: this.#groups.size };
  }
}
