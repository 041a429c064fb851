/**
 * Files only where they are safe. The agent runs as root and writes into directories a path names (state
 * dir, database dir, log dirs); an unprivileged user who can plant a symlink or a file there could make it
 * overwrite, create or append to any file. So:
 * - a directory the agent writes into is created 0700, and when it exists it must be a real directory (not a
 *   symlink), owned by the running user, and not group- or world-writable;
 * - files are opened with O_NOFOLLOW; temp files are created exclusively (O_EXCL, random name) and renamed.
 * The alert store and the activity journal use the same helpers.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';

/** A path the agent refuses to write through; `code` is stable, the message says which path and why. */
export class UnsafePathError extends Error {
  readonly code = 'UNSAFE_PATH';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`refusing to use ${path}: ${reason}`);
    this.name = 'UnsafePathError';
  }
}

const POSIX = process.platform !== 'win32';
const euid = (): number => (typeof process.geteuid === 'function' ? process.geteuid() : -1);

/**
 * Makes sure `dir` is a directory only the running user can write: creates it (and missing parents) 0700,
 * or checks the existing one (no symlink, owned by the running user, not group/world-writable).
 * Throws UnsafePathError otherwise.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkPrivateDir(dir);
}

/** The checks of ensurePrivateDir, without creating anything. */
export function checkPrivateDir(dir: string): void {
  const st = lstatSync(dir);
  if (st.isSymbolicLink()) throw new UnsafePathError(dir, 'it is a symbolic link (give the real directory)');
  if (!st.isDirectory()) throw new UnsafePathError(dir, 'it is not a directory');
  if (!POSIX) return;
  if (st.uid !== euid()) throw new UnsafePathError(dir, `the directory is owned by uid ${st.uid}, not by the running user (uid ${euid()})`);
  if ((st.mode & 0o022) !== 0) {
    throw new UnsafePathError(dir, `the directory is group- or world-writable (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}); chmod go-w it`);
  }
}

/** open(2) that never follows a symlink at the last component; ELOOP becomes an UnsafePathError. */
function openNoFollow(path: string, flags: number, mode: number): number {
  try {
    return openSync(path, flags | constants.O_NOFOLLOW, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new UnsafePathError(path, 'it is a symbolic link');
    throw err;
  }
}

/** True when this open created the file (O_EXCL), false when it existed. */
function createOrOpen(path: string, flags: number, mode: number): { fd: number; created: boolean } {
  try {
    return { fd: openNoFollow(path, flags | constants.O_CREAT | constants.O_EXCL, mode), created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return { fd: openNoFollow(path, flags, mode), created: false };
}

/**
 * Opens `path` for appending (creating it with `mode`, set exactly whatever the umask), never through a
 * symlink, and only if it is a regular file. Returns the fd.
 */
export function openAppendNoFollow(path: string, mode: number): number {
  const { fd, created } = createOrOpen(path, constants.O_WRONLY | constants.O_APPEND, mode);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnsafePathError(path, 'it is not a regular file');
    if (created) fchmodSync(fd, mode);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}

/** Creates `path` (if missing) as an empty regular file with `mode`, never through a symlink. */
export function createFileNoFollow(path: string, mode: number): void {
  closeSync(openAppendNoFollow(path, mode));
}

/**
 * Replaces `path` with `data` atomically: a temp file with a random name is created exclusively next to it
 * (O_CREAT|O_EXCL|O_NOFOLLOW: a planted file or symlink makes it fail, never followed), written, fsynced,
 * then renamed over `path` (rename replaces a symlink, it does not follow it).
 */
export function writeFileAtomic(path: string, data: string | Buffer, mode: number): void {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openNoFollow(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    try {
      fchmodSync(fd, mode);
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already renamed or never created */
    }
    throw err;
  }
}

/** Throws UnsafePathError when `path` itself is a symbolic link (a missing path is fine). */
export function refuseSymlink(path: string, why: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (st.isSymbolicLink()) throw new UnsafePathError(path, why);
}
