import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StatusFileWriter } from '../../src/agent/status-file.js';
import { ensurePrivateDir, UnsafePathError } from '../../src/alerts/safe-files.js';
import { cliPath, projectRoot } from '../helpers/agent-process.js';
import { tempDir } from './temp-dir.js';

/**
 * Issue 19 defect 2: the agent (root) must never write through a symlink or into a directory someone else
 * controls. The attacker is `nobody` (uid 65534), planting links in a world-writable directory like /tmp.
 */
const NOBODY = 65534;
const root = process.geteuid?.() === 0;
const skip = root ? false : 'needs root (the agent runs as root; the attacker is nobody)';
const tmp = tempDir('safe-files');
after(tmp.cleanup);
chmodSync(tmp.dir, 0o711); // nobody may reach the planted directories
let n = 0;
const SEED = join(projectRoot, 'test', 'fixtures', 'rules', 'defense_evasion_genai_process_encoding_prior_to_network_activity', 'recorded-positive.ndjson');

/** A /tmp-like directory: root-owned, world-writable, sticky. */
function stickyDir(): string {
  const d = join(tmp.dir, `sticky${n++}`);
  mkdirSync(d);
  chmodSync(d, 0o1777);
  return d;
}

/** A root file the attacker wants overwritten or appended to (like /etc/<file>). */
function victimFile(): string {
  const d = join(tmp.dir, `etc${n++}`);
  mkdirSync(d, { mode: 0o755 });
  const f = join(d, 'passwd');
  writeFileSync(f, 'precious\n');
  return f;
}

/** `ln -s target link` run as nobody. */
function plantAsNobody(target: string, link: string): void {
  const r = spawnSync('ln', ['-s', target, link], { uid: NOBODY, gid: NOBODY, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function run(args: readonly string[]) {
  return spawnSync(process.execPath, [cliPath, 'run', '--replay', SEED, '--log-format', 'json', '--no-notify', ...args], { encoding: 'utf8', timeout: 60000 });
}

test('issue 19 #2: status.json temp files are created exclusively: a planted status.json.<pid>.tmp symlink is never followed', { skip }, () => {
  const dir = stickyDir();
  const victim = victimFile();
  plantAsNobody(victim, join(dir, `status.json.${process.pid}.tmp`));
  const writer = new StatusFileWriter(join(dir, 'status.json'));
  assert.equal(writer.write({ schema: 1 } as never), true, String(writer.lastError));
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n', 'the victim is untouched');
  assert.match(readFileSync(join(dir, 'status.json'), 'utf8'), /"schema": 1/);
  assert.equal(statSync(join(dir, 'status.json')).mode & 0o777, 0o640);
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp') && !f.startsWith(`status.json.${process.pid}.tmp`)).length, 0, 'no temp file left');
});

test('issue 19 #2: a state dir that nobody owns or anyone can write is refused (exit 2, the path named)', { skip }, () => {
  const worldWritable = join(tmp.dir, `ww${n++}`);
  mkdirSync(worldWritable);
  chmodSync(worldWritable, 0o777);
  const owned = join(tmp.dir, `nb${n++}`);
  mkdirSync(owned, { mode: 0o700 });
  chownSync(owned, NOBODY, NOBODY);
  for (const [dir, why] of [[worldWritable, /group- or world-writable/], [owned, /owned by uid 65534/]] as const) {
    const r = run(['--state-dir', dir, '--db', join(tmp.dir, `db${n++}`, 'alerts.db')]);
    assert.equal(r.status, 2, r.stderr);
    assert.ok(r.stderr.includes(dir), r.stderr);
    assert.match(r.stderr, why);
    assert.equal(existsSync(join(dir, 'status.json')), false);
  }
});

test('issue 19 #2: a --state-dir symlink planted by nobody is refused; root never writes status.json into its target', { skip }, () => {
  const victimDir = join(tmp.dir, `etcdir${n++}`);
  mkdirSync(victimDir, { mode: 0o755 });
  const link = join(stickyDir(), 'vigil-state');
  plantAsNobody(victimDir, link);
  const r = run(['--state-dir', link, '--db', join(tmp.dir, `db${n++}`, 'alerts.db')]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /symbolic link/);
  assert.equal(existsSync(join(victimDir, 'status.json')), false);
});

test('issue 19 #2: a dangling --db symlink planted by nobody never makes root create its target', { skip }, () => {
  const target = join(tmp.dir, `etcdb${n++}`);
  mkdirSync(target, { mode: 0o755 });
  const link = join(stickyDir(), 'alerts.db');
  plantAsNobody(join(target, 'created-by-root.db'), link);
  const r = run(['--state-dir', join(tmp.dir, `st${n++}`), '--db', link]);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(existsSync(join(target, 'created-by-root.db')), false);
});

test('issue 19 #2: a --db path that is a symlink is refused unless [storage] allow_db_symlink = true', { skip }, () => {
  const dir = join(tmp.dir, `own${n++}`);
  mkdirSync(dir, { mode: 0o700 });
  const real = join(dir, 'real');
  mkdirSync(real, { mode: 0o700 });
  const link = join(dir, 'alerts.db');
  symlinkSync(join(real, 'alerts.db'), link);
  const refused = run(['--state-dir', join(dir, 'st'), '--db', link]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /alert database path is a symbolic link.*allow_db_symlink/);
  assert.equal(existsSync(join(real, 'alerts.db')), false);
  const config = join(dir, 'vigil.toml');
  writeFileSync(config, '[storage]\nallow_db_symlink = true\n');
  const allowed = run(['--state-dir', join(dir, 'st'), '--db', link, '--config', config]);
  assert.equal(allowed.status, 0, allowed.stderr);
  assert.ok(statSync(join(real, 'alerts.db')).size > 0);
});

test('issue 19 #2: a symlinked alerts_ndjson never makes root append to its target', { skip }, () => {
  for (const planted of ['nobody-in-sticky-dir', 'link-in-private-dir'] as const) {
    const victim = victimFile();
    let dir: string;
    if (planted === 'nobody-in-sticky-dir') {
      dir = stickyDir();
      plantAsNobody(victim, join(dir, 'alerts.ndjson'));
    } else {
      dir = join(tmp.dir, `logs${n++}`);
      mkdirSync(dir, { mode: 0o700 });
      symlinkSync(victim, join(dir, 'alerts.ndjson'));
    }
    const config = join(tmp.dir, `c${n++}.toml`);
    writeFileSync(config, `[outputs]\nalerts_ndjson = ${JSON.stringify(join(dir, 'alerts.ndjson'))}\n`);
    const r = run(['--state-dir', join(tmp.dir, `st${n++}`), '--db', join(tmp.dir, `db${n++}`, 'alerts.db'), '--config', config]);
    assert.equal(r.status, 2, `${planted}: ${r.stderr}`);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n', planted);
  }
});

test('ensurePrivateDir creates missing directories 0700 whatever the umask, and accepts its own', { skip }, () => {
  const old = process.umask(0);
  try {
    const d = join(tmp.dir, `new${n++}`, 'a', 'b');
    ensurePrivateDir(d);
    assert.equal(statSync(d).mode & 0o777, 0o700);
    ensurePrivateDir(d);
    const file = join(tmp.dir, `file${n++}`);
    writeFileSync(file, '');
    assert.throws(() => ensurePrivateDir(file), (e: unknown) => e instanceof Error && /not a directory|EEXIST/.test(e.message));
    assert.throws(() => ensurePrivateDir(stickyDir()), UnsafePathError);
  } finally {
    process.umask(old);
  }
});
