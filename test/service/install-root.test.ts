import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync, appendFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceState } from '../../src/service/service-state.js';
import { installCommand, uninstallCommand } from '../../src/service/install-command.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

/** Every entry under dir: type, mode, content hash or link target. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const rel = p.slice(dir.length);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[rel] = `link -> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[rel] = `dir ${mode}`;
        walk(p);
      } else out[rel] = `file ${mode} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

/** The built CLI, end to end. */
function vigilCli(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * The same commands in-process (what src/cli/service.ts calls), so that these tests do not depend on every
 * other command of the CLI loading.
 */
function vigil(command: 'install' | 'uninstall', ...args: string[]) {
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--dry-run') options.dryRun = true;
    else options[a.slice(2)] = args[++i]!;
  }
  let out = '';
  try {
    const code = (command === 'install' ? installCommand : uninstallCommand)(options, { packageRoot: root, version: '0.0.0-test', out: (t) => (out += t), uid: 0 });
    return { code, out, err: '' };
  } catch (err) {
    return { code: 1, out, err: (err as Error).message };
  }
}

function withRoot(fn: (dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-root-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const platform of ['linux', 'macos', 'windows'] as const) {
  test(`${platform}: install --root then uninstall --root leaves an empty root as it was`, () => {
    withRoot((dir) => {
      const before = snapshot(dir);
      const inst = vigil('install', '--root', dir, '--platform', platform);
      assert.equal(inst.code, 0, inst.err);
      assert.match(inst.out, /installed into /);
      assert.ok(Object.keys(snapshot(dir)).length > 3, 'files were written');
      const un = vigil('uninstall', '--root', dir, '--platform', platform);
      assert.equal(un.code, 0, un.err);
      assert.deepEqual(snapshot(dir), before);
    });
  });
}

test('the built CLI: install --root then uninstall --root, and the live system is untouched', () => {
  const live = ['/etc/systemd/system/vigil.service', '/etc/vigil', '/etc/systemd/user/vigil-notify.service'].map((p) => existsSync(p));
  const group = spawnSync('getent', ['group', 'vigil']).status;
  withRoot((dir) => {
    const before = snapshot(dir);
    const inst = vigilCli('install', '--root', dir);
    assert.equal(inst.code, 0, inst.err);
    assert.match(inst.out, /^verified: systemd-analyze verify /m);
    assert.equal(vigilCli('uninstall', '--root', dir).code, 0);
    assert.deepEqual(snapshot(dir), before);
  });
  assert.deepEqual(['/etc/systemd/system/vigil.service', '/etc/vigil', '/etc/systemd/user/vigil-notify.service'].map((p) => existsSync(p)), live);
  assert.equal(spawnSync('getent', ['group', 'vigil']).status, group, 'no group created under --root');
});

test('linux: the staged tree holds the units, the enable links and the manifest; no command runs', () => {
  withRoot((dir) => {
    const r = vigil('install', '--root', dir, '--platform', 'linux');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\(--root: \d+ system commands not run\)/);
    const s = snapshot(dir);
    assert.equal(s['/etc/systemd/system/multi-user.target.wants/vigil.service'], 'link -> /etc/systemd/system/vigil.service');
    assert.equal(s['/etc/systemd/user/graphical-session.target.wants/vigil-notify.service'], 'link -> /etc/systemd/user/vigil-notify.service');
    assert.match(s['/etc/systemd/system/vigil.service']!, /^file 644 /);
    assert.match(s['/etc/vigil/install-manifest.json']!, /^file 644 /);
    assert.deepEqual(serviceState('linux', dir), {
      platform: 'linux',
      installed: true,
      unit: '/etc/systemd/system/vigil.service',
      enabled: true,
      managerState: null,
      detail: 'systemd is not PID 1 here: the unit cannot run now',
    });
    const manifest = JSON.parse(readFileSync(join(dir, 'etc/vigil/install-manifest.json'), 'utf8')) as { files: { path: string }[] };
    assert.deepEqual(manifest.files.map((f) => f.path).sort(), ['/etc/systemd/system/vigil.service', '/etc/systemd/user/vigil-notify.service', '/etc/vigil/vigil.toml']);
    vigil('uninstall', '--root', dir);
    assert.equal(serviceState('linux', dir).installed, false);
  });
});

test('linux: a populated root keeps what was there, a replaced unit is restored, and reinstalling is idempotent', () => {
  withRoot((dir) => {
    mkdirSync(join(dir, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
    writeFileSync(join(dir, 'etc/systemd/system/other.service'), '[Service]\nExecStart=/bin/true\n');
    symlinkSync('/etc/systemd/system/other.service', join(dir, 'etc/systemd/system/multi-user.target.wants/other.service'));
    writeFileSync(join(dir, 'etc/systemd/system/vigil.service'), '# an older, hand-written unit\n', { mode: 0o600 });
    mkdirSync(join(dir, 'etc/vigil'));
    writeFileSync(join(dir, 'etc/vigil/vigil.toml'), '[engine]\nreorder_hold_ms = 500\n');
    const before = snapshot(dir);
    assert.equal(vigil('install', '--root', dir).code, 0);
    const inst2 = vigil('install', '--root', dir);
    assert.equal(inst2.code, 0, inst2.err);
    assert.match(inst2.out, /kept \/etc\/vigil\/vigil.toml/);
    assert.equal(readFileSync(join(dir, 'etc/vigil/vigil.toml'), 'utf8'), '[engine]\nreorder_hold_ms = 500\n', 'an admin config is never overwritten');
    const un = vigil('uninstall', '--root', dir);
    assert.equal(un.code, 0, un.err);
    assert.match(un.out, /restored \/etc\/systemd\/system\/vigil.service/);
    const after = snapshot(dir);
    // Content is restored; the mode is the one the install wrote.
    assert.deepEqual(Object.keys(after), Object.keys(before));
    for (const k of Object.keys(before)) if (k !== '/etc/systemd/system/vigil.service') assert.equal(after[k], before[k], k);
    assert.equal(readFileSync(join(dir, 'etc/systemd/system/vigil.service'), 'utf8'), '# an older, hand-written unit\n');
  });
});

test('linux: a service config edited after install is kept by uninstall', () => {
  withRoot((dir) => {
    assert.equal(vigil('install', '--root', dir).code, 0);
    appendFileSync(join(dir, 'etc/vigil/vigil.toml'), '\n[collector]\nbackend = "procfs"\n');
    const un = vigil('uninstall', '--root', dir);
    assert.equal(un.code, 0, un.err);
    assert.match(un.out, /kept \/etc\/vigil\/vigil.toml \(edited since install\)/);
    assert.deepEqual(Object.keys(snapshot(dir)), ['/etc', '/etc/vigil', '/etc/vigil/vigil.toml']);
  });
});

test('--dry-run prints every file and command and changes nothing', () => {
  withRoot((dir) => {
    const before = snapshot(dir);
    for (const platform of ['linux', 'macos', 'windows']) {
      const r = vigilCli('install', '--dry-run', '--root', dir, '--platform', platform);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /dry run, nothing is changed/);
      assert.ok(r.out.includes('----- ' + dir), 'staged paths shown');
      const u = vigilCli('uninstall', '--dry-run', '--root', dir, '--platform', platform);
      assert.equal(u.code, 0, u.err);
    }
    assert.deepEqual(snapshot(dir), before);
    const live = vigilCli('install', '--dry-run', '--platform', 'linux');
    assert.equal(live.code, 0, live.err);
    for (const expected of ['$ systemctl enable vigil.service', '$ systemctl --global enable vigil-notify.service', '----- /etc/systemd/system/vigil.service', '----- /etc/systemd/user/vigil-notify.service', '----- /etc/vigil/vigil.toml', 'ExecStart=']) {
      assert.ok(live.out.includes(expected), expected);
    }
  });
});

test('install refuses a live install of another platform, and a bad --root', () => {
  const other = vigilCli('install', '--platform', 'windows');
  assert.equal(other.code, 1);
  assert.match(other.err, /SVC_UNSUPPORTED_PLATFORM: cannot install a windows service on linux/);
  const bad = vigilCli('install', '--root', '/nonexistent/vigil-root');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /SVC_BAD_ROOT/);
  const platform = vigilCli('install', '--dry-run', '--platform', 'beos');
  assert.equal(platform.code, 2, 'a usage error');
  assert.match(platform.err, /'--platform <platform>' argument 'beos' is invalid\. Allowed choices are linux, macos, windows/);
});
