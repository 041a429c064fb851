import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { extname, join, sep } from 'node:path';
import type { SkipReason } from './skip-reason.js';

/** The file extensions the loader reads when walking a directory. */
export const RULE_FILE_EXTENSIONS = ['.toml', '.eql'] as const;

/** Directories deeper than this under a rules path are not walked (skipped with a diagnostic). */
export const MAX_RULE_DIR_DEPTH = 16;
/** A rule file larger than this is not read (rules are a few KiB; this bounds a hostile one). */
export const MAX_RULE_FILE_BYTES = 4 * 1024 * 1024;

export interface RuleFileList {
  /** Files in a stable order: each path's files sorted, paths in the order given. */
  readonly files: string[];
  /** Paths that could not be read (missing, permission), with the reason. */
  readonly unreadable: Array<{ path: string; message: string }>;
  /** Paths passed over on purpose: not a regular file (FIFO, socket, device), a directory seen before (symlink loop), too deep. */
  readonly skipped: Array<{ path: string; reason: SkipReason }>;
  /** True when `maxFiles` cut the walk short. */
  readonly truncated: boolean;
}

/** What a path is, for a rule walk: a directory to enter, a regular file, or something never read. */
function kindOf(st: Stats): 'dir' | 'file' | string {
  if (st.isDirectory()) return 'dir';
  if (st.isFile()) return 'file';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const notRegular = (what: string): SkipReason => ({ code: 'SKIP_NOT_REGULAR', message: `${what}, not a regular file: not read` });

/**
 * Lists rule files under `paths` (files or directories, recursively; hidden directories skipped). A file
 * named explicitly is listed whatever its extension (the loader then says if it cannot read it).
 *
 * Hostile trees cannot hang it: each directory is entered once by its real path (a symlink loop such as
 * `d/e/a -> .` is reported, not followed), the walk stops at MAX_RULE_DIR_DEPTH, and only regular files are
 * listed (a FIFO named `x.toml` would block the reader forever): the rest is skipped with a reason.
 */
export function listRuleFiles(paths: readonly string[], maxFiles = 100_000): RuleFileList {
  const files: string[] = [];
  const unreadable: Array<{ path: string; message: string }> = [];
  const skipped: Array<{ path: string; reason: SkipReason }> = [];
  const visited = new Set<string>();
  let truncated = false;
  const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  const walk = (dir: string, depth: number): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (err) {
      unreadable.push({ path: dir, message: message(err) });
      return;
    }
    if (visited.has(real)) {
      skipped.push({ path: dir, reason: { code: 'SKIP_DIR_LOOP', message: `directory ${real} already walked (a symlink loop or a repeated path): not entered again` } });
      return;
    }
    if (depth > MAX_RULE_DIR_DEPTH) {
      skipped.push({ path: dir, reason: { code: 'SKIP_TOO_DEEP', message: `more than ${MAX_RULE_DIR_DEPTH} directories deep: not walked` } });
      return;
    }
    visited.add(real);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (err) {
      unreadable.push({ path: dir, message: message(err) });
      return;
    }
    for (const name of names) {
      if (files.length >= maxFiles) {
        truncated = true;
        return;
      }
      if (name.startsWith('.') || name === 'node_modules') continue;
      const path = join(dir, name);
      let kind: string;
      try {
        kind = kindOf(statSync(path));
      } catch (err) {
        unreadable.push({ path, message: message(err) });
        continue;
      }
      if (kind === 'dir') walk(path, depth + 1);
      else if (!(RULE_FILE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase())) continue;
      else if (kind === 'file') files.push(path);
      else skipped.push({ path, reason: notRegular(kind) });
    }
  };
  for (const p of paths) {
    try {
      const kind = kindOf(statSync(p));
      if (kind === 'dir') walk(p, 0);
      else if (kind !== 'file') skipped.push({ path: p, reason: notRegular(kind) });
      else if (files.length < maxFiles) files.push(p);
      else truncated = true;
    } catch (err) {
      unreadable.push({ path: p, message: message(err) });
    }
  }
  return { files, unreadable, skipped, truncated };
}

/**
 * Reads a rule file as UTF-8, only if it is a regular file of at most MAX_RULE_FILE_BYTES: opened without
 * blocking (a FIFO swapped in after the walk cannot hang the loader) and checked on the open descriptor.
 */
export function readRuleFile(file: string): string {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    const kind = kindOf(st);
    if (kind !== 'file') throw new Error(`${kind === 'dir' ? 'a directory' : kind}, not a regular file: not read`);
    if (st.size > MAX_RULE_FILE_BYTES) throw new Error(`${st.size} bytes, over the ${MAX_RULE_FILE_BYTES}-byte limit for a rule file: not read`);
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/** A rule file under a `_deprecated` directory (detection-rules keeps retired rules there). */
export function isDeprecatedPath(file: string): boolean {
  return file.split(sep).includes('_deprecated') || file.split('/').includes('_deprecated');
}
