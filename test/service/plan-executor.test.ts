import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installContext, type InstallContext } from '../../src/service/install-context.js';
import { linuxInstallPlan, linuxUninstallPlan } from '../../src/service/systemd-plan.js';
import { executeInstall, executeUninstall } from '../../src/service/plan-executor.js';
import { ServiceError } from '../../src/service/service-error.js';
import type { CommandRunner } from '../../src/service/command-runner.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ctx: InstallContext = { ...installContext({ platform: 'linux', packageRoot: root }), groupExists: false, systemdRunning: true };

/** Records each command and whether the unit file existed when it ran; fails the commands in `failing`. */
function recorder(dir: string, failing: readonly string[] = []) {
  const calls: { line: string; unitWritten: boolean }[] = [];
  const run: CommandRunner = (argv) => {
    const line = argv.join(' ');
    calls.push({ line, unitWritten: existsSync(join(dir, 'etc/systemd/system/vigil.service')) });
    return failing.includes(line) ? { status: 1, output: `${argv[0]}: simulated failure` } : { status: 0, output: '' };
  };
  return { calls, run };
}

function withDir(fn: (dir: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-exec-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('live install order: group first, then files, then reload / enable / start', () => {
  withDir((dir) => {
    const { calls, run } = recorder(dir);
    const out: string[] = [];
    executeInstall(linuxInstallPlan(ctx), { root: dir, runCommands: true, version: 't', run, out: (l) => out.push(l) });
    assert.deepEqual(calls, [
      { line: 'groupadd --system vigil', unitWritten: false },
      { line: 'systemctl daemon-reload', unitWritten: true },
      { line: 'systemctl enable vigil.service', unitWritten: true },
      { line: 'systemctl --global enable vigil-notify.service', unitWritten: true },
      { line: 'systemctl restart vigil.service', unitWritten: true },
    ]);
    assert.ok(out.includes('$ groupadd --system vigil'));
  });
});

test('a failing required command stops the install before anything is written', () => {
  withDir((dir) => {
    const { calls, run } = recorder(dir, ['groupadd --system vigil']);
    assert.throws(
      () => executeInstall(linuxInstallPlan(ctx), { root: dir, runCommands: true, version: 't', run, out: () => undefined }),
      (err: unknown) => err instanceof ServiceError && err.code === 'SVC_COMMAND_FAILED' && /groupadd --system vigil failed \(exit status 1\)/.test(err.message),
    );
    assert.equal(calls.length, 1);
    assert.deepEqual(readdirSync(dir), []);
  });
});

test('an optional command may fail (uninstall of a unit systemd no longer knows)', () => {
  withDir((dir) => {
    executeInstall(linuxInstallPlan(ctx), { root: dir, version: 't', run: () => ({ status: 0, output: '' }), out: () => undefined });
    const { calls, run } = recorder(dir, ['systemctl disable --now vigil.service']);
    const out: string[] = [];
    const result = executeUninstall(linuxUninstallPlan(ctx), { root: dir, runCommands: true, version: 't', run, out: (l) => out.push(l) });
    assert.deepEqual(calls.map((c) => c.line), ['systemctl disable --now vigil.service', 'systemctl --global disable vigil-notify.service', 'systemctl daemon-reload']);
    assert.ok(out.some((l) => /failed: exit status 1; optional, continuing/.test(l)));
    assert.ok(result.removed.includes('/etc/systemd/system/vigil.service'));
    assert.deepEqual(readdirSync(dir), []);
  });
});

test('under a staging root no command runs by default', () => {
  withDir((dir) => {
    const { calls, run } = recorder(dir);
    executeInstall(linuxInstallPlan(ctx), { root: dir, version: 't', run, out: () => undefined });
    executeUninstall(linuxUninstallPlan(ctx), { root: dir, version: 't', run, out: () => undefined });
    assert.deepEqual(calls, []);
  });
});
