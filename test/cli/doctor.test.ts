import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG } from '../../src/agent/agent-config.js';
import { EbpfCollector } from '../../src/collectors/linux/ebpf-collector.js';
import { desktopSessionUnavailable, startDesktopSession } from '../helpers/desktop-session.js';
import { unprivilegedPaths } from '../helpers/unprivileged-install.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

interface Check {
  id: string;
  status: string;
  detail: string;
  fix: string | null;
}
interface Report {
  ebpfUsable: boolean;
  backend: string | null;
  fallbackReason: string | null;
  misses: string[];
  collectorSummary: string;
  checks: Check[];
  summary: Record<string, number>;
}

function doctor(args: string[] = [], env: NodeJS.ProcessEnv = process.env, prefix: string[] = [], main = cli) {
  const argv = [...prefix, process.execPath, main, 'doctor', '--format', 'json', ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env, timeout: 60_000, cwd: join(dirname(main), '..', '..', '..') });
  assert.equal(r.stderr, '', r.stderr);
  return { code: r.status, report: JSON.parse(r.stdout) as Report };
}

const check = (r: Report, id: string): Check => {
  const c = r.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id}`);
  return c;
};

const isRoot = process.geteuid?.() === 0;
const linux = process.platform === 'linux';

test('as root, doctor reports eBPF usable and every kernel check ok', { skip: !linux || !isRoot ? 'needs Linux and root' : false }, async (t) => {
  const why = await EbpfCollector.probe();
  if (why !== null) {
    t.skip(`the eBPF helper cannot load here: ${why}`);
    return;
  }
  const { code, report } = doctor();
  assert.equal(code, 0);
  assert.equal(report.ebpfUsable, true);
  assert.equal(report.backend, 'ebpf');
  assert.equal(report.fallbackReason, null);
  assert.deepEqual(report.misses, []);
  assert.equal(report.collectorSummary, 'eBPF is usable here: `vigil run` collects with eBPF.');
  for (const id of ['privileges', 'btf', 'tracefs', 'ebpf-helper', 'collector', 'database']) assert.equal(check(report, id).status, 'ok', `${id}: ${check(report, id).detail}`);
  assert.match(check(report, 'privileges').detail, /CAP_BPF/);
  const text = spawnSync(process.execPath, [cli, 'doctor'], { encoding: 'utf8' });
  assert.match(text.stdout, /eBPF is usable here/);
});

/** A home directory nobody (65534) owns, so the per-user database path is writable for it. */
function nobodyHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'vigil-nobody-'));
  chownSync(home, 65534, 65534);
  return home;
}
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
/** doctor as uid 65534, from a package it can reach (a copy when the checkout is under a 0700 directory, as in CI). */
const doctorAsNobody = (args: string[], env: NodeJS.ProcessEnv) => doctor(args, env, NOBODY, unprivilegedPaths().cli);

test('as an unprivileged user, doctor says why eBPF cannot run and that the procfs fallback will be used', { skip: !linux || !isRoot ? 'needs Linux and root (to drop to uid 65534)' : false }, () => {
  const home = nobodyHome();
  try {
    const env = { PATH: process.env.PATH, HOME: home };
    const { code, report } = doctorAsNobody([], env);
    assert.equal(code, 0, 'warnings only: the fallback works');
    assert.equal(report.ebpfUsable, false);
    assert.equal(report.backend, 'procfs');
    assert.match(report.fallbackReason!, /not root/);
    assert.ok(report.collectorSummary.startsWith(`eBPF is not usable here (${report.fallbackReason}): \`vigil run\` falls back to procfs, which misses:`), report.collectorSummary);
    assert.equal(report.misses.length, 4);
    assert.match(report.misses[3]!, /^files: no file events/);
    assert.ok(report.misses[0]!.startsWith(`processes that start and exit between two polls (every ${DEFAULT_CONFIG.collector.poll_interval_ms} ms)`), report.misses[0]);
    const priv = check(report, 'privileges');
    assert.equal(priv.status, 'warn');
    assert.match(priv.detail, /uid 65534.*missing: CAP_BPF, CAP_PERFMON/);
    assert.match(priv.fix!, /sudo vigil install/);
    assert.equal(check(report, 'tracefs').status, 'warn');
    assert.match(check(report, 'tracefs').detail, /not readable by this user/);
    assert.equal(check(report, 'ebpf-helper').status, 'warn');
    const collector = check(report, 'collector');
    assert.equal(collector.status, 'warn');
    assert.match(collector.detail, /the procfs fallback will be used, because eBPF cannot run \(not root/);
    assert.equal(check(report, 'database').status, 'ok');
    assert.ok(check(report, 'database').detail.startsWith(join(home, '.local/state/vigil/alerts.db')));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('an unwritable database is a failure (exit 1) with a fix', { skip: !linux || !isRoot ? 'needs Linux and root (to drop to uid 65534)' : false }, () => {
  const home = nobodyHome();
  try {
    const { code, report } = doctorAsNobody(['--db', '/root/vigil-doctor-test/alerts.db'], { PATH: process.env.PATH, HOME: home });
    assert.equal(code, 1);
    const db = check(report, 'database');
    assert.equal(db.status, 'fail');
    assert.match(db.detail, /cannot be created: \/root is not writable by uid 65534/);
    assert.ok(db.fix);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('notification path: notify-send, the session bus and a daemon owning org.freedesktop.Notifications', { skip: desktopSessionUnavailable() ?? false, timeout: 60_000 }, async () => {
  const none = doctor([], { ...process.env, DBUS_SESSION_BUS_ADDRESS: '' }).report;
  assert.equal(check(none, 'notify-send').status, 'ok');
  assert.equal(check(none, 'session-bus').status, 'warn');
  assert.match(check(none, 'session-bus').fix!, /vigil notify/);
  assert.equal(check(none, 'notification-daemon').status, 'info');

  const session = await startDesktopSession();
  try {
    const live = doctor([], { ...process.env, ...session.env }).report;
    assert.equal(check(live, 'session-bus').status, 'ok');
    assert.equal(check(live, 'notification-daemon').status, 'ok', check(live, 'notification-daemon').detail);
  } finally {
    await session.stop();
  }

  // A bus with nobody owning org.freedesktop.Notifications.
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bus-'));
  const config = join(dir, 'bus.conf');
  writeFileSync(config, `<busconfig><type>session</type><listen>unix:path=${dir}/bus</listen><auth>EXTERNAL</auth><policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>\n`);
  const bus = spawn('dbus-daemon', ['--config-file', config, '--nofork', '--print-address'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const address = await new Promise<string>((resolve) => bus.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    const empty = doctor([], { ...process.env, DBUS_SESSION_BUS_ADDRESS: address }).report;
    assert.equal(check(empty, 'session-bus').status, 'ok');
    const daemon = check(empty, 'notification-daemon');
    assert.equal(daemon.status, 'warn');
    assert.match(daemon.detail, /no daemon owns org\.freedesktop\.Notifications/);
  } finally {
    bus.kill('SIGTERM');
    await new Promise((r) => bus.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rule load errors are reported with their position, the other rules still load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-doctor-rules-'));
  try {
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'good.eql'), 'process where process.name == "nc"\n');
    writeFileSync(join(dir, 'rules', 'bad.eql'), 'process where process.name == \n');
    writeFileSync(join(dir, 'vigil.toml'), `[rules]\npaths = [${JSON.stringify(join(dir, 'rules'))}]\n`);
    chmodSync(dir, 0o755);
    const { report } = doctor(['--config', join(dir, 'vigil.toml')]);
    const rules = check(report, 'rules');
    assert.equal(rules.status, 'warn');
    assert.match(rules.detail, /^1 loaded, 0 skipped, 1 with errors/);
    assert.match(rules.detail, /bad\.eql:\d+:\d+: EQL_SYNTAX /);
    assert.match(rules.fix!, /vigil rules check/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
