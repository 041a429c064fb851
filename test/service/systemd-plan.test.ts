import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installContext, type InstallContext } from '../../src/service/install-context.js';
import { linuxInstallPlan, linuxUninstallPlan, SYSTEM_UNIT_PATH, USER_UNIT_PATH, AUTOSTART_PATH } from '../../src/service/systemd-plan.js';
import { verifySystemdUnits } from '../../src/service/systemd-verify.js';
import { verifyPlanUnits } from '../../src/service/install-command.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const haveAnalyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;
const noAnalyze = haveAnalyze ? false : 'systemd-analyze not installed (scripts/setup installs systemd)';

function ctx(over: Partial<InstallContext> = {}): InstallContext {
  return { ...installContext({ platform: 'linux', packageRoot: root }), groupExists: false, systemdRunning: false, ...over };
}

function file(plan: ReturnType<typeof linuxInstallPlan>, path: string): string {
  const f = plan.files.find((x) => x.path === path);
  assert.ok(f, `${path} planned`);
  return f.content as string;
}

/** `Key=value` lines of one unit section. */
function directives(unit: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

test('the system unit runs this node and this package with the service config, hardened', () => {
  const plan = linuxInstallPlan(ctx());
  const d = directives(file(plan, SYSTEM_UNIT_PATH));
  assert.deepEqual(d.get('ExecStart'), [`${process.execPath} ${join(root, 'dist/src/cli/main.js')} run --config /etc/vigil/vigil.toml`]);
  const expected: Record<string, string> = {
    Restart: 'on-failure',
    CapabilityBoundingSet: 'CAP_BPF CAP_PERFMON CAP_DAC_READ_SEARCH CAP_SYS_PTRACE',
    AmbientCapabilities: 'CAP_BPF CAP_PERFMON CAP_DAC_READ_SEARCH CAP_SYS_PTRACE',
    LimitMEMLOCK: 'infinity',
    NoNewPrivileges: 'yes',
    ProtectSystem: 'strict',
    StateDirectory: 'vigil',
    LogsDirectory: 'vigil',
    ProtectHome: 'read-only',
    PrivateTmp: 'yes',
    Group: 'vigil',
    UMask: '0027',
    StateDirectoryMode: '0750',
    SystemCallFilter: '@system-service bpf perf_event_open',
    WantedBy: 'multi-user.target',
  };
  for (const [key, value] of Object.entries(expected)) assert.deepEqual(d.get(key), [value], key);
  // Relaxed on purpose (documented in the unit): these would break eBPF, /proc or V8.
  for (const key of ['PrivateNetwork', 'PrivateUsers', 'ProtectProc', 'ProcSubset', 'MemoryDenyWriteExecute', 'User', 'DynamicUser']) assert.equal(d.get(key), undefined, key);
  assert.equal(file(plan, '/etc/vigil/vigil.toml').includes('db = "/var/lib/vigil/alerts.db"'), true);
});

test('the user unit runs `vigil notify` on the service database in every graphical session', () => {
  const plan = linuxInstallPlan(ctx());
  const d = directives(file(plan, USER_UNIT_PATH));
  assert.deepEqual(d.get('ExecStart'), [`${process.execPath} ${join(root, 'dist/src/cli/main.js')} notify --db /var/lib/vigil/alerts.db`]);
  assert.deepEqual(d.get('WantedBy'), ['graphical-session.target']);
  assert.deepEqual(plan.links.map((l) => l.path), ['/etc/systemd/system/multi-user.target.wants/vigil.service', '/etc/systemd/user/graphical-session.target.wants/vigil-notify.service']);
  assert.deepEqual(plan.after.map((c) => c.argv.join(' ')), ['systemctl enable vigil.service', 'systemctl --global enable vigil-notify.service']);
});

test('install commands: groupadd only when the group is absent; reload and start only when systemd runs', () => {
  assert.deepEqual(linuxInstallPlan(ctx()).before.map((c) => c.argv), [['groupadd', '--system', 'vigil']]);
  assert.deepEqual(linuxInstallPlan(ctx({ groupExists: true })).before, []);
  const live = linuxInstallPlan(ctx({ groupExists: true, systemdRunning: true }));
  assert.deepEqual(live.after.map((c) => c.argv.join(' ')), ['systemctl daemon-reload', 'systemctl enable vigil.service', 'systemctl --global enable vigil-notify.service', 'systemctl restart vigil.service']);
  assert.deepEqual(linuxUninstallPlan(ctx({ systemdRunning: true })).before.map((c) => c.argv.join(' ')), ['systemctl disable --now vigil.service', 'systemctl --global disable vigil-notify.service']);
});

test('XDG autostart fallback: a desktop entry instead of the user unit', () => {
  const plan = linuxInstallPlan(ctx({ notifier: 'xdg-autostart' }));
  const entry = file(plan, AUTOSTART_PATH);
  assert.match(entry, /^\[Desktop Entry\]\nType=Application\n/);
  assert.ok(entry.includes(`Exec=${process.execPath} ${join(root, 'dist/src/cli/main.js')} notify --db /var/lib/vigil/alerts.db\n`));
  assert.equal(plan.files.some((f) => f.path === USER_UNIT_PATH), false);
  assert.equal(plan.after.some((c) => c.argv.includes('--global')), false);
});

test('generated units pass systemd-analyze verify', { skip: noAnalyze }, () => {
  const v = verifyPlanUnits(linuxInstallPlan(ctx()));
  assert.ok(v !== null);
  assert.deepEqual(v.diagnostics, []);
  assert.equal(v.ok, true);
  assert.equal(v.commands.length, 2, 'system and user unit both verified');
});

test('units with spaces and % in their paths are quoted so that verify still passes', { skip: noAnalyze }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil odd 100%-'));
  try {
    const node = join(dir, 'my node');
    symlinkSync(process.execPath, node);
    const plan = linuxInstallPlan(ctx({ nodePath: node }));
    const exec = directives(file(plan, SYSTEM_UNIT_PATH)).get('ExecStart')![0]!;
    assert.ok(exec.startsWith(`"${node.replaceAll('%', '%%')}" `), exec);
    const v = verifyPlanUnits(plan);
    assert.deepEqual(v?.diagnostics, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the verifier catches a bad unit (unknown key, missing binary)', { skip: noAnalyze }, () => {
  const v = verifySystemdUnits([{ name: 'bad.service', user: false, content: '[Service]\nExecStart=/nonexistent/vigil-node run\nRestartt=always\n' }]);
  assert.equal(v.ok, false);
  assert.ok(v.diagnostics.some((l) => /Unknown key 'Restartt'/.test(l)), v.diagnostics.join('\n'));
  assert.ok(v.diagnostics.some((l) => /nonexistent\/vigil-node is not executable/.test(l)), v.diagnostics.join('\n'));
});

test('systemd-analyze security rates the agent unit OK (exposure <= 3.5 of 10)', { skip: noAnalyze }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-security-'));
  try {
    const unit = join(dir, 'vigil.service');
    writeFileSync(unit, file(linuxInstallPlan(ctx()), SYSTEM_UNIT_PATH));
    const r = spawnSync('systemd-analyze', ['security', '--offline=yes', unit], { encoding: 'utf8' });
    const m = /Overall exposure level for vigil\.service: ([\d.]+)/.exec(`${r.stdout}${r.stderr}`);
    assert.ok(m, r.stdout + r.stderr);
    assert.ok(Number(m[1]) <= 3.5, `exposure ${m[1]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a package under /tmp is flagged: PrivateTmp= would hide it from the service', () => {
  // Explicit paths, not this checkout's (CI clones it under /tmp): the same node, a package under /tmp or not.
  const at = (packageRoot: string) => ctx({ nodePath: '/usr/bin/node', packageRoot, cliPath: join(packageRoot, 'dist/src/cli/main.js') });
  assert.ok(linuxInstallPlan(at('/tmp/vigil')).notes.some((n) => n.startsWith('WARNING: /tmp/vigil is under a temporary directory')));
  assert.equal(linuxInstallPlan(at('/opt/vigil')).notes.some((n) => n.startsWith('WARNING')), false);
});
