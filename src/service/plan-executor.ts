import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { InstallPlan, PlannedCommand, UninstallPlan } from './install-plan.js';
import { MANIFEST_SCHEMA, readManifest, type InstallManifest, type ManifestFile } from './install-manifest.js';
import { stagedPath } from './staged-path.js';
import { ServiceError } from './service-error.js';
import type { CommandRunner } from './command-runner.js';
import { windowsCommand } from './command-quote.js';

export interface ExecuteOptions {
  /** Staging root: files and links go under it, no system command runs. Null: the live system. */
  readonly root: string | null;
  readonly version: string;
  readonly run: CommandRunner;
  readonly out: (line: string) => void;
  /** Run the plan's system commands; default: only on the live system (root null). */
  readonly runCommands?: boolean;
  /** Overrides the clock in the manifest (tests). */
  readonly now?: () => Date;
}

export interface ExecuteResult {
  readonly written: readonly string[];
  readonly kept: readonly string[];
  readonly removed: readonly string[];
  readonly commands: readonly { readonly argv: readonly string[]; readonly status: number | null }[];
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export function commandLine(platform: string, argv: readonly string[]): string {
  if (platform === 'windows') return windowsCommand(argv);
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}

function checkRoot(root: string | null): void {
  if (root === null) return;
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new ServiceError('SVC_BAD_ROOT', `--root ${root}: not a directory`);
}

/** Creates `dir` and missing parents, returning those it created (parents first). */
function makeDirs(dir: string, mode: number, created: string[]): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    mkdirSync(d, { mode });
    chmodSync(d, mode);
    created.push(d);
  }
}

function runAll(commands: readonly PlannedCommand[], platform: string, options: ExecuteOptions, log: { argv: readonly string[]; status: number | null }[]): void {
  for (const c of commands) {
    options.out(`$ ${commandLine(platform, c.argv)}`);
    const r = options.run(c.argv);
    log.push({ argv: c.argv, status: r.status });
    if (r.output !== '') options.out(r.output.split('\n').map((l) => `  ${l}`).join('\n'));
    if (r.status !== 0) {
      const why = r.error ?? `exit status ${r.status}`;
      if (!c.optional) throw new ServiceError('SVC_COMMAND_FAILED', `${commandLine(platform, c.argv)} failed (${why}): ${c.description}`);
      options.out(`  (failed: ${why}; optional, continuing)`);
    }
  }
}

/** The staged path -> target path inverse for a created dir (dirs are recorded as target paths). */
function toTarget(root: string | null, staged: string): string {
  if (root === null) return staged;
  const r = resolve(root);
  return staged.slice(r.length) || '/';
}

export function executeInstall(plan: InstallPlan, options: ExecuteOptions): ExecuteResult {
  checkRoot(options.root);
  const root = options.root;
  const p = (path: string) => stagedPath(root, path);
  const written: string[] = [];
  const kept: string[] = [];
  const commands: { argv: readonly string[]; status: number | null }[] = [];
  const previous = readManifest(p(plan.manifestPath));
  const createdStaged: string[] = [];

  const live = options.runCommands ?? root === null;
  if (live) runAll(plan.before, plan.platform, options, commands);
  else if (plan.before.length + plan.after.length > 0) options.out(`(--root: ${plan.before.length + plan.after.length} system commands not run)`);

  for (const dir of plan.dirs) makeDirs(p(dir.path), dir.mode, createdStaged);

  const files: ManifestFile[] = [];
  for (const file of plan.files) {
    const dst = p(file.path);
    makeDirs(dirname(dst), 0o755, createdStaged);
    const prior = previous?.files.find((f) => f.path === file.path);
    const exists = existsSync(dst);
    if (file.config === true && exists) {
      kept.push(file.path);
      if (prior !== undefined) files.push(prior);
      options.out(`kept ${file.path} (${file.description}; already present)`);
      continue;
    }
    const before = exists && prior === undefined ? readFileSync(dst).toString('base64') : prior?.previous;
    writeFileSync(dst, file.content, { mode: file.mode });
    chmodSync(dst, file.mode);
    written.push(file.path);
    files.push({ path: file.path, sha256: sha256(file.content), ...(file.config ? { config: true } : {}), ...(before !== undefined ? { previous: before } : {}) });
    options.out(`wrote ${file.path} (${file.description})`);
  }

  const links: { path: string; target: string }[] = [];
  if (root !== null) {
    for (const link of plan.links) {
      const dst = p(link.path);
      makeDirs(dirname(dst), 0o755, createdStaged);
      if (existsSync(dst) || isSymlink(dst)) {
        if (!isSymlink(dst)) throw new ServiceError('SVC_BAD_ROOT', `${link.path} exists and is not a symlink`);
        unlinkSync(dst);
      }
      symlinkSync(link.target, dst);
      links.push({ path: link.path, target: link.target });
      options.out(`linked ${link.path} -> ${link.target} (${link.description})`);
    }
  }

  const manifestFile = p(plan.manifestPath);
  makeDirs(dirname(manifestFile), 0o755, createdStaged);
  const dirs = [...(previous?.dirs ?? [])];
  for (const d of createdStaged.map((s) => toTarget(root, s))) if (!dirs.includes(d)) dirs.push(d);
  const manifest: InstallManifest = {
    schema: MANIFEST_SCHEMA,
    platform: plan.platform,
    version: options.version,
    installedAt: (options.now?.() ?? new Date()).toISOString(),
    dirs,
    files,
    links: mergeLinks(previous?.links ?? [], links),
  };
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o644 });

  if (live) runAll(plan.after, plan.platform, options, commands);
  for (const note of plan.notes) options.out(`note: ${note}`);
  return { written, kept, removed: [], commands };
}

function mergeLinks(a: readonly { path: string; target: string }[], b: readonly { path: string; target: string }[]) {
  const out = a.filter((l) => !b.some((x) => x.path === l.path));
  return [...out, ...b];
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function executeUninstall(plan: UninstallPlan, options: ExecuteOptions): ExecuteResult {
  checkRoot(options.root);
  const root = options.root;
  const p = (path: string) => stagedPath(root, path);
  const kept: string[] = [];
  const removed: string[] = [];
  const commands: { argv: readonly string[]; status: number | null }[] = [];
  const manifest = readManifest(p(plan.manifestPath));
  if (manifest === null) options.out(`(no install manifest at ${plan.manifestPath}: removing the known files, keeping config)`);

  const live = options.runCommands ?? root === null;
  if (live) runAll(plan.before, plan.platform, options, commands);
  else if (plan.before.length + plan.after.length > 0) options.out(`(--root: ${plan.before.length + plan.after.length} system commands not run)`);

  const links = manifest?.links ?? plan.links.map((path) => ({ path, target: '' }));
  for (const link of links) {
    const dst = p(link.path);
    if (!isSymlink(dst)) continue;
    if (link.target !== '' && readlinkSync(dst) !== link.target) {
      kept.push(link.path);
      continue;
    }
    unlinkSync(dst);
    removed.push(link.path);
    options.out(`removed ${link.path}`);
  }

  const files: ManifestFile[] = manifest?.files.slice() ?? plan.files.map((path) => ({ path, sha256: '', config: path.endsWith('.toml') }));
  for (const file of files) {
    const dst = p(file.path);
    if (!existsSync(dst)) continue;
    const current = readFileSync(dst);
    if (file.config === true && (manifest === null || sha256(current) !== file.sha256)) {
      kept.push(file.path);
      options.out(`kept ${file.path} (edited since install)`);
      continue;
    }
    if (file.previous !== undefined) {
      writeFileSync(dst, Buffer.from(file.previous, 'base64'));
      options.out(`restored ${file.path} (as it was before the install)`);
    } else {
      unlinkSync(dst);
      options.out(`removed ${file.path}`);
    }
    removed.push(file.path);
  }
  if (manifest !== null) unlinkSync(p(plan.manifestPath));

  for (const dir of [...(manifest?.dirs ?? [])].reverse()) {
    const staged = p(dir);
    if (existsSync(staged) && statSync(staged).isDirectory() && readdirSync(staged).length === 0) {
      rmdirSync(staged);
      removed.push(dir);
    } else if (existsSync(staged)) {
      kept.push(dir);
      options.out(`kept ${dir} (not empty)`);
    }
  }

  if (live) runAll(plan.after, plan.platform, options, commands);
  for (const note of plan.notes) options.out(`note: ${note}`);
  return { written: [], kept, removed, commands };
}
