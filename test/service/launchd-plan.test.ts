import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installContext } from '../../src/service/install-context.js';
import { AGENT_PLIST_PATH, DAEMON_PLIST_PATH, macosInstallPlan, macosUninstallPlan } from '../../src/service/launchd-plan.js';
import { launchdJobProblems, parsePlist } from '../../src/service/plist-validate.js';
import { plistProblems } from '../../src/service/install-command.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ctx = { ...installContext({ platform: 'macos', packageRoot: root }), consoleUid: 501 };
const plan = macosInstallPlan(ctx);

function job(path: string) {
  const f = plan.files.find((x) => x.path === path);
  assert.ok(f);
  const { value, problems } = parsePlist(f.content as string);
  assert.deepEqual(problems, []);
  assert.deepEqual(launchdJobProblems(value), []);
  return value as Record<string, unknown>;
}

test('the LaunchDaemon plist is well-formed and runs the agent at load, kept alive', () => {
  const d = job(DAEMON_PLIST_PATH);
  assert.equal(d.Label, 'dev.vigil.agent');
  assert.deepEqual(d.ProgramArguments, ['/usr/local/bin/node', '/usr/local/lib/node_modules/vigil/dist/src/cli/main.js', 'run', '--config', '/usr/local/etc/vigil/vigil.toml']);
  assert.equal(d.RunAtLoad, true);
  assert.equal(d.KeepAlive, true);
  assert.equal(d.Umask, 0o027);
  assert.equal(d.StandardErrorPath, '/Library/Logs/Vigil/agent.log');
  assert.deepEqual(d.EnvironmentVariables, { VIGIL_STATE_DIR: '/var/db/vigil' });
});

test('the LaunchAgent plist runs the notifier in GUI sessions, restarted on failure', () => {
  const a = job(AGENT_PLIST_PATH);
  assert.equal(a.Label, 'dev.vigil.notify');
  assert.deepEqual(a.ProgramArguments, ['/usr/local/bin/node', '/usr/local/lib/node_modules/vigil/dist/src/cli/main.js', 'notify', '--db', '/var/db/vigil/alerts.db']);
  assert.equal(a.LimitLoadToSessionType, 'Aqua');
  assert.equal(a.RunAtLoad, true);
  assert.deepEqual(a.KeepAlive, { SuccessfulExit: false });
});

test('paths with XML specials are escaped, and the plists still parse', () => {
  const odd = macosInstallPlan({ ...ctx, nodePath: '/opt/R&D <node>/bin/node' });
  assert.deepEqual(plistProblems(odd), []);
  const f = odd.files.find((x) => x.path === DAEMON_PLIST_PATH)!;
  assert.equal((parsePlist(f.content as string).value as { ProgramArguments: string[] }).ProgramArguments[0], '/opt/R&D <node>/bin/node');
});

test('launchctl commands: bootstrap the daemon in system, the agent in the console user\'s gui domain', () => {
  assert.deepEqual(plan.after.map((c) => c.argv.join(' ')), [
    'chown -R root:vigil /var/db/vigil /Library/Logs/Vigil',
    `launchctl bootstrap system ${DAEMON_PLIST_PATH}`,
    'launchctl enable system/dev.vigil.agent',
    `launchctl bootstrap gui/501 ${AGENT_PLIST_PATH}`,
  ]);
  assert.deepEqual(macosUninstallPlan(ctx).before.map((c) => c.argv.join(' ')), ['launchctl bootout system/dev.vigil.agent', 'launchctl bootout gui/501/dev.vigil.notify']);
  assert.deepEqual(plan.dirs.map((d) => [d.path, d.mode]), [['/var/db/vigil', 0o750], ['/Library/Logs/Vigil', 0o750]]);
});
