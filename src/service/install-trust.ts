import { lstatSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InstallContext } from './install-context.js';

/** One path the root service would run or load that a non-root user could change. */
export interface TrustProblem {
  readonly path: string;
  readonly why: string;
}

/** What the service loads from the package: its code, its dependencies, its config and the eBPF helper. */
const PACKAGE_PARTS = ['package.json', join('dist', 'src'), 'node_modules', 'config', join('native', 'linux', 'build', 'vigil-ebpf')] as const;
/** Entries walked at most (a package is a few thousand files); past it the walk stops and says so. */
const MAX_ENTRIES = 200_000;

/** Why a non-root user could change `st` (null when only root can). Sticky shared directories (/tmp) are safe to pass through. */
function writableByOthers(st: Stats, passThrough: boolean): string | null {
  if (st.uid !== 0) return `owned by uid ${st.uid}, not root`;
  if (st.isSymbolicLink()) return null;
  const sticky = st.isDirectory() && (st.mode & 0o1000) !== 0;
  if ((st.mode & 0o002) !== 0 && !(passThrough && sticky)) return `world-writable (mode ${(st.mode & 0o7777).toString(8)})`;
  if ((st.mode & 0o020) !== 0 && st.gid !== 0 && !(passThrough && sticky)) return `group-writable by gid ${st.gid} (mode ${(st.mode & 0o7777).toString(8)})`;
  return null;
}

/**
 * The paths a root service would trust, checked as root needs them to be: every directory from `/` down to
 * the node binary and to the package, and every file and directory of the package parts the service loads,
 * owned by root and not writable by group (other than root's) or world. A user who can write any of them
 * can run code as root with the service's capabilities. Symlinks are followed (their targets checked too).
 */
export function untrustedPaths(ctx: Pick<InstallContext, 'nodePath' | 'packageRoot'>): TrustProblem[] {
  const problems: TrustProblem[] = [];
  const seen = new Set<string>();
  let entries = 0;
  const check = (path: string, passThrough: boolean): Stats | null => {
    if (seen.has(path)) return null;
    seen.add(path);
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch (err) {
      problems.push({ path, why: `cannot be checked: ${(err as Error).message}` });
      return null;
    }
    const why = writableByOthers(st, passThrough);
    if (why !== null) problems.push({ path, why });
    return st;
  };
  /** The path, every directory above it, and (for a symlink) the same for its target. */
  const chain = (path: string): void => {
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      check(dir, true);
      if (dir === dirname(dir)) break;
    }
    const st = check(path, false);
    if (st?.isSymbolicLink()) {
      try {
        chain(realpathSync(path));
      } catch (err) {
        problems.push({ path, why: `dangling symlink: ${(err as Error).message}` });
      }
    }
  };
  const walk = (path: string): void => {
    if (++entries > MAX_ENTRIES) {
      if (entries === MAX_ENTRIES + 1) problems.push({ path, why: `more than ${MAX_ENTRIES} entries: not all checked` });
      return;
    }
    const st = check(path, false);
    if (st === null) return;
    if (st.isSymbolicLink()) {
      try {
        chain(realpathSync(path));
      } catch (err) {
        problems.push({ path, why: `dangling symlink: ${(err as Error).message}` });
      }
    } else if (st.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
    }
  };
  chain(ctx.nodePath);
  chain(ctx.packageRoot);
  for (const part of PACKAGE_PARTS) {
    const p = join(ctx.packageRoot, part);
    try {
      lstatSync(p);
    } catch {
      continue; // not every install has every part (no eBPF helper on macOS)
    }
    walk(p);
  }
  return problems;
}

/** The problems as the installer prints them (at most `limit`, then a count). */
export function formatTrustProblems(problems: readonly TrustProblem[], limit = 10): string {
  const lines = problems.slice(0, limit).map((p) => `  ${p.path}: ${p.why}`);
  if (problems.length > limit) lines.push(`  ... and ${problems.length - limit} more`);
  return lines.join('\n');
}
