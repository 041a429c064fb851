import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCommand } from '../../src/service/install-command.js';
import { ServiceError } from '../../src/service/service-error.js';

/**
 * Issue 19, defect 9: `vigil install` installed a unit that runs the package tree and node as uid 0 without
 * checking that a non-root user cannot write them. Run as root, it now refuses and names the path and why.
 * Installs are staged with --root (nothing on this machine changes).
 */
const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const work = mkdtempSync(join(tmpdir(), 'vigil-trust-'));
chmodSync(work, 0o755);
after(() => rmSync(work, { recursive: true, force: true }));

// A root-owned node binary in root-owned directories (the node running the tests may live anywhere).
const rootBin = join(work, 'rootbin');
mkdirSync(rootBin, { mode: 0o755 });
const rootNode = join(rootBin, 'node');
copyFileSync(process.execPath, rootNode);
chmodSync(rootNode, 0o755);

let n = 0;
/** A minimal root-owned package: package.json, the CLI entry, the config templates. */
function packageCopy(): string {
  const pkg = join(work, `pkg${n++}`);
  mkdirSync(join(pkg, 'dist', 'src', 'cli'), { recursive: true, mode: 0o755 });
  copyFileSync(join(projectRoot, 'package.json'), join(pkg, 'package.json'));
  writeFileSync(join(pkg, 'dist', 'src', 'cli', 'main.js'), '// the CLI\n', { mode: 0o644 });
  cpSync(join(projectRoot, 'config'), join(pkg, 'config'), { recursive: true });
  return pkg;
}

function install(pkg: string, extra: { node?: string; dryRun?: boolean } = {}): { code: number | null; out: string; error: unknown } {
  const stage = mkdtempSync(join(work, 'stage-'));
  let out = '';
  try {
    const code = installCommand({ root: stage, platform: 'linux', verify: false, node: rootNode, ...extra }, { packageRoot: pkg, version: '0.0.0-test', out: (t) => (out += t), uid: 0 });
    return { code, out, error: null };
  } catch (error) {
    return { code: null, out, error };
  }
}

const refused = (r: { error: unknown }, path: string, why: RegExp): void => {
  assert.ok(r.error instanceof ServiceError && r.error.code === 'SVC_UNSAFE_PATH', `refused: ${String(r.error)}`);
  const line = (r.error as Error).message.split('\n').find((l) => l.trim().startsWith(path + ':'));
  assert.ok(line !== undefined, `names ${path}:\n${(r.error as Error).message}`);
  assert.match(line, why);
};

test('install refuses a package file owned by a non-root user, naming it', { skip: !isRoot && 'needs root (chown)' }, () => {
  const pkg = packageCopy();
  assert.equal(install(pkg).code, 0, 'a root-owned package installs');
  const main = join(pkg, 'dist', 'src', 'cli', 'main.js');
  chownSync(main, NOBODY, NOBODY);
  refused(install(pkg), main, /owned by uid 65534, not root/);
});

test('install refuses a package directory writable by another group, and a world-writable dependency', { skip: !isRoot && 'needs root (chown)' }, () => {
  const pkg = packageCopy();
  const dir = join(pkg, 'dist', 'src');
  chownSync(dir, 0, NOBODY);
  chmodSync(dir, 0o775);
  refused(install(pkg), dir, /group-writable by gid 65534/);
  chmodSync(dir, 0o755);
  mkdirSync(join(pkg, 'node_modules', 'dep'), { recursive: true, mode: 0o755 });
  const dep = join(pkg, 'node_modules', 'dep', 'index.js');
  writeFileSync(dep, '');
  chmodSync(dep, 0o666);
  refused(install(pkg), dep, /world-writable \(mode 666\)/);
});

test('install refuses a node binary a user can replace (a copy owned by nobody, or in a directory nobody owns)', { skip: !isRoot && 'needs root (chown)' }, () => {
  const pkg = packageCopy();
  const userDir = join(work, 'userbin');
  mkdirSync(userDir, { mode: 0o755 });
  const node = join(userDir, 'node');
  copyFileSync(process.execPath, node);
  assert.equal(install(pkg, { node }).code, 0, 'a root-owned node in root-owned directories is fine');
  chownSync(userDir, NOBODY, NOBODY);
  refused(install(pkg, { node }), userDir, /owned by uid 65534/);
});

test('a dry run says what the install would refuse, and exits 0', { skip: !isRoot && 'needs root (chown)' }, () => {
  const pkg = packageCopy();
  chownSync(join(pkg, 'package.json'), NOBODY, NOBODY);
  const r = install(pkg, { dryRun: true });
  assert.equal(r.code, 0);
  assert.match(r.out, /warning: install would refuse: the service would run as root code that a non-root user can change/);
  assert.match(r.out, /package\.json: owned by uid 65534, not root/);
});
