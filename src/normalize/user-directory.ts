import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Resolves numeric user and group ids to names (Linux and macOS local accounts). */
export interface UserDirectory {
  userName(uid: number): string | undefined;
  groupName(gid: number): string | undefined;
}

export interface UserDirectoryStats {
  readonly users: number;
  readonly groups: number;
  readonly lookups: number;
  readonly unresolved: number;
  readonly reloads: number;
  /** Entries ignored because the file held more than `maxEntries`. */
  readonly truncated: number;
}

export interface PasswdDirectoryOptions {
  /** Directory holding `passwd` and `group` (default /etc). */
  readonly etcDir?: string;
  /** How often the files' mtimes are checked for changes (default 5000 ms). */
  readonly recheckMs?: number;
  /** Cap on entries kept per file (default 65536). */
  readonly maxEntries?: number;
  readonly nowMs?: () => number;
}

/** Parses `name:x:id:...` lines (passwd(5), group(5)): the 1st and 3rd fields. Malformed lines are skipped. */
export function parseIdFile(text: string, maxEntries: number): { names: Map<number, string>; truncated: number } {
  const names = new Map<number, string>();
  let truncated = 0;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3 || f[0] === '' || !/^\d+$/.test(f[2]!)) continue;
    const id = Number(f[2]);
    if (names.has(id)) continue; // the first entry wins, as getpwuid(3) does
    if (names.size >= maxEntries) { truncated++; continue; }
    names.set(id, f[0]!);
  }
  return { names, truncated };
}

/** `/etc/passwd` + `/etc/group`, cached, reloaded when a file's mtime changes (checked at most every recheckMs). */
export class PasswdUserDirectory implements UserDirectory {
  readonly #etc: string;
  readonly #recheckMs: number;
  readonly #max: number;
  readonly #now: () => number;
  #users = new Map<number, string>();
  #groups = new Map<number, string>();
  #mtimes: [number, number] = [-1, -1];
  #checkedAt = -Infinity;
  #lookups = 0;
  #unresolved = 0;
  #reloads = 0;
  #truncated = 0;

  constructor(options: PasswdDirectoryOptions = {}) {
    this.#etc = options.etcDir ?? '/etc';
    this.#recheckMs = options.recheckMs ?? 5000;
    this.#max = options.maxEntries ?? 65536;
    this.#now = options.nowMs ?? Date.now;
  }

  #mtime(name: string): number {
    try {
      return statSync(join(this.#etc, name)).mtimeMs;
    } catch {
      return 0;
    }
  }

  #load(name: string): Map<number, string> {
    try {
      const { names, truncated } = parseIdFile(readFileSync(join(this.#etc, name), 'utf8'), this.#max);
      this.#truncated += truncated;
      return names;
    } catch {
      return new Map();
    }
  }

  #refresh(): void {
    const now = this.#now();
    if (now - this.#checkedAt < this.#recheckMs) return;
    this.#checkedAt = now;
    const m: [number, number] = [this.#mtime('passwd'), this.#mtime('group')];
    if (m[0] !== this.#mtimes[0]) { this.#users = this.#load('passwd'); this.#reloads++; }
    if (m[1] !== this.#mtimes[1]) { this.#groups = this.#load('group'); this.#reloads++; }
    this.#mtimes = m;
  }

  userName(uid: number): string | undefined {
    this.#refresh();
    this.#lookups++;
    const n = this.#users.get(uid);
    if (n === undefined) this.#unresolved++;
    return n;
  }

  groupName(gid: number): string | undefined {
    this.#refresh();
    this.#lookups++;
    const n = this.#groups.get(gid);
    if (n === undefined) this.#unresolved++;
    return n;
  }

  stats(): UserDirectoryStats {
    return {
      users: this.#users.size,
      groups: this.#groups.size,
      lookups: this.#lookups,
      unresolved: this.#unresolved,
      reloads: this.#reloads,
      truncated: this.#truncated,
    };
  }
}
