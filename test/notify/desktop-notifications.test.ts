import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Alert } from '../../src/alerts/alert.js';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import { alertNotification } from '../../src/notify/alert-notification.js';
import { AlertNotifier } from '../../src/notify/alert-notifier.js';
import { NodeNotifierNotifier } from '../../src/notify/node-notifier-notifier.js';
import { sampleMatch, SEED_RULE } from '../alerts/sample-match.js';
import { tempDir } from '../alerts/temp-dir.js';
import { desktopSessionUnavailable, startDesktopSession, type DesktopSession } from '../helpers/desktop-session.js';

const unavailable = desktopSessionUnavailable();
const root = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const tmp = tempDir('desktop');
let session: DesktopSession;
const saved = { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS, DISPLAY: process.env.DISPLAY };

before(async () => {
  if (unavailable !== null) return;
  session = await startDesktopSession();
  // node-notifier runs notify-send with this process's environment.
  Object.assign(process.env, session.env);
});
after(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await session?.stop();
  tmp.cleanup();
});

function storedAlert(store: SqliteAlertStore, n: number, ruleName: string): Alert {
  return store.insert(sampleMatch(n, undefined, { ...SEED_RULE, id: `rule-${ruleName}`, name: ruleName })).alert;
}

test('the Notifier delivers a real notification: dbus-monitor sees Notify with the rule name', { skip: unavailable ?? false }, async () => {
  const store = SqliteAlertStore.open(join(tmp.dir, 'direct.db'));
  const alert = store.insert(sampleMatch(5)).alert;
  store.close();
  const logs: string[] = [];
  const notifier = new NodeNotifierNotifier({ log: (_l, m) => logs.push(m) });
  notifier.notify(alertNotification(alert));
  const call = await session.waitForNotify((c) => c.summary === `Vigil: ${SEED_RULE.name}`, 10_000);
  assert.equal(call.appName, 'vigil');
  assert.match(call.body, /Destination: 203\.0\.113\.5:443/);
  assert.match(call.body, /Process: python3/);
  await notifier.drain(5000);
  assert.deepEqual(notifier.stats(), { delivered: 1, failed: 0, dropped: 0, inFlight: 0 });
  assert.deepEqual(logs, []);
});

test('a flood of one rule: its burst is notified, then one "N more alerts of rule X" summary', { skip: unavailable ?? false }, async () => {
  const store = SqliteAlertStore.open(join(tmp.dir, 'flood.db'));
  const notifier = new NodeNotifierNotifier({ maxInFlight: 8 });
  const alerts = new AlertNotifier(notifier, { perRulePerMinute: 3, summaryAfterMs: 300, tickMs: 50 });
  for (let i = 0; i < 20; i++) alerts.alert(storedAlert(store, 100 + i, 'Flood Rule'));
  store.close();
  await session.waitForNotify((c) => c.summary === 'Vigil: 17 more alerts of rule Flood Rule', 10_000);
  await alerts.close();
  const calls = session.calls().filter((c) => c.summary.includes('Flood Rule'));
  assert.equal(calls.filter((c) => c.summary === 'Vigil: Flood Rule').length, 3);
  assert.equal(calls.length, 4);
  assert.deepEqual(alerts.stats(), { admitted: 3, suppressed: 17, summaries: 1, rulesTracked: 1, rulesEvicted: 0 });
});

test('without a session bus notifications fail quietly: counted, logged once, no exception', { skip: unavailable ?? false }, async () => {
  const logs: Array<[string, string, unknown]> = [];
  const notifier = new NodeNotifierNotifier({ log: (l, m, d) => logs.push([l, m, d]) });
  const good = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(tmp.dir, 'no-such-bus')}`;
  try {
    for (let i = 0; i < 3; i++) notifier.notify({ title: 'Vigil: nobody listens', body: 'x', urgency: 'normal' });
  } finally {
    process.env.DBUS_SESSION_BUS_ADDRESS = good;
  }
  await notifier.drain(10_000);
  assert.equal(notifier.stats().failed, 3);
  assert.equal(notifier.stats().delivered, 0);
  assert.equal(logs.length, 1);
  assert.equal(logs[0]![0], 'warn');
  assert.match(logs[0]![1], /desktop notification failed/);
  assert.ok(!session.calls().some((c) => c.summary === 'Vigil: nobody listens'));
});

test('`vigil notify` watches a database and notifies new alerts only; SIGTERM exits 0', { skip: unavailable ?? false }, async () => {
  const path = join(tmp.dir, 'companion.db');
  const store = SqliteAlertStore.open(path);
  storedAlert(store, 1, 'Old Alert Rule');
  // The database comes from the agent config, as the systemd user unit would run it.
  const config = join(tmp.dir, 'vigil.toml');
  writeFileSync(config, `[storage]\ndb = ${JSON.stringify(path)}\n[notifications]\nper_rule_per_minute = 2\n`);
  const child = spawn(process.execPath, [main, 'notify', '--config', config, '--interval-ms', '100'], {
    env: { ...process.env, ...session.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`vigil notify not ready: ${stderr}`)), 15_000);
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('watching the alert database')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`vigil notify exited ${code}: ${stderr}`)));
    });
    const alert = storedAlert(store, 2, 'Companion Rule');
    const call = await session.waitForNotify((c) => c.summary === 'Vigil: Companion Rule', 10_000);
    assert.match(call.body, new RegExp(`vigil alerts show ${alert.id}`));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.ok(!session.calls().some((c) => c.summary.includes('Old Alert Rule')), 'history is not replayed');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    store.close();
  }
});

test('`vigil notify` exits 0 at once when the config disables notifications', () => {
  const config = join(tmp.dir, 'off.toml');
  writeFileSync(config, '[notifications]\nenabled = false\n');
  const r = spawnSync(process.execPath, [main, 'notify', '--config', config], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /notifications are disabled/);
});
