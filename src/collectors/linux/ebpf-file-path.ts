import { realpathSync } from 'node:fs';
import { posix } from 'node:path';

const CACHE_MAX = 512;
const CACHE_TTL_MS = 2_000;

/**
 * Joins a file event's directory (walked in the kernel: absolute, symlinks resolved) and the name argument
 * the caller passed (relative to it, or absolute). A one-component name needs nothing more. A name with
 * several components may cross symlinks and `..` the kernel followed: its parent directory is resolved with
 * realpath (cached briefly, bounded), falling back to a lexical join when it no longer exists (an rmdir, a
 * rename away). Resolution happens in the agent's mount namespace: a process in another one may name paths
 * this cannot follow (the lexical join is kept then).
 */
export class FilePathResolver {
  readonly #cache = new Map<string, { real: string; atMs: number }>();
  resolved = 0;
  unresolved = 0;

  readonly #nowMs: () => number;

  constructor(nowMs: () => number = Date.now) {
    this.#nowMs = nowMs;
  }

  join(dir: string, name: string, resolve: boolean): string {
    if (name === '') return dir;
    const absolute = name.startsWith('/');
    if (!absolute && !name.includes('/') && name !== '.' && name !== '..') return dir === '/' ? `/${name}` : `${dir}/${name}`;
    const lexical = absolute ? posix.normalize(name) : posix.resolve(dir, name);
    if (!resolve) return lexical;
    const written = (absolute ? name : `${dir}/${name}`).replace(/\/+$/, '');
    const cut = written.lastIndexOf('/');
    const leaf = written.slice(cut + 1);
    if (leaf === '' || leaf === '.' || leaf === '..') return lexical;
    // the parent as written, so that `..` after a symlinked directory is followed as the kernel did
    const real = this.#realDir(cut <= 0 ? '/' : written.slice(0, cut));
    if (real === undefined) return lexical;
    return real === '/' ? `/${leaf}` : `${real}/${leaf}`;
  }

  #realDir(dir: string): string | undefined {
    const now = this.#nowMs();
    const hit = this.#cache.get(dir);
    if (hit !== undefined && now - hit.atMs < CACHE_TTL_MS) return hit.real;
    try {
      const real = realpathSync(dir);
      if (this.#cache.size >= CACHE_MAX) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(dir, { real, atMs: now });
      this.resolved++;
      return real;
    } catch {
      this.unresolved++;
      return undefined;
    }
  }
}
