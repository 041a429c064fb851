// Tests that run Vigil as another user (uid 65534, "nobody") need a package that user can reach. CI clones the
// project under a 0700 `mktemp -d` folder, where nobody cannot traverse to dist/ or the eBPF helper; there the
// package is copied once per test process into a 0755 temporary directory, removed when the process exits.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NOBODY_UID = 65534;
const NOBODY_GID = 65534;

/** The project root of this checkout (compiled tests run from <root>/dist/test/helpers). */
export const projectRoot: string = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** What a copied package holds: enough to run the CLI, import dist modules and exec the eBPF helper. */
const PACKAGE_PARTS = ['package.json', 'dist', 'node_modules', 'config', join('native', 'linux', 'build')] as const;

const HELPER = join('native', 'linux', 'build', 'vigil-ebpf');

/** True when uid/gid 65534 (no supplementary groups) passes `test <flag> <path>`. */
export function nobodyCan(flag: '-r' | '-x', path: string): boolean {
  const r = spawnSync('setpriv', [`--reuid=${NOBODY_UID}`, `--regid=${NOBODY_GID}`, '--clear-groups', 'test', flag, path], { stdio: 'ignore' });
  return r.status === 0;
}

function reachable(root: string): boolean {
  if (!nobodyCan('-r', join(root, 'dist', 'src', 'cli', 'main.js'))) return false;
  const helper = join(root, HELPER);
  return !existsSync(helper) || nobodyCan('-x', helper);
}

function copyPackage(from: string): string {
  const to = mkdtempSync(join(tmpdir(), 'vigil-unprivileged-root-'));
  // Removed here, at process exit (normal end or failure of the test file); rmSync is synchronous, as an
  // 'exit' listener must be.
  process.once('exit', () => rmSync(to, { recursive: true, force: true }));
  chmodSync(to, 0o755);
  for (const part of PACKAGE_PARTS) {
    if (!existsSync(join(from, part))) continue;
    const parent = dirname(join(to, part));
    mkdirSync(parent, { recursive: true, mode: 0o755 });
    const r = spawnSync('cp', ['-a', join(from, part), parent], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`unprivilegedRoot: cp -a ${part} failed: ${r.stderr}`);
  }
  for (let dir = join(to, 'native', 'linux'); dir !== to; dir = dirname(dir)) if (existsSync(dir)) chmodSync(dir, 0o755);
  if (!reachable(to)) throw new Error(`unprivilegedRoot: uid ${NOBODY_UID} cannot use the copy at ${to} either`);
  return to;
}

let cached: string | undefined;

/**
 * A package root uid 65534 can read and execute: the project root itself when it can, otherwise (once per
 * process) a copy of package.json, dist, node_modules, config and native/linux/build in a 0755 temporary
 * directory. Call it inside a test that runs as root (it drops privileges with setpriv to check).
 */
export function unprivilegedRoot(): string {
  cached ??= reachable(projectRoot) ? projectRoot : copyPackage(projectRoot);
  return cached;
}

/** Paths under `unprivilegedRoot()` that tests hand to a process running as nobody. */
export function unprivilegedPaths(): { root: string; cli: string; helper: string; distSrc: (...parts: string[]) => string } {
  const root = unprivilegedRoot();
  return {
    root,
    cli: join(root, 'dist', 'src', 'cli', 'main.js'),
    helper: join(root, HELPER),
    distSrc: (...parts: string[]) => join(root, 'dist', 'src', ...parts),
  };
}
