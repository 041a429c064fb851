import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EbpfCollector } from '../../src/collectors/linux/ebpf-collector.js';
import { startAgent, type RunningAgent } from '../helpers/agent-process.js';
import { listAlerts, type AlertJson } from '../helpers/alerts-cli.js';
import { runSeedScenario, type ScenarioResult } from '../helpers/seed-scenario.js';

const SEED_RULE_ID = 'c3d4e5f6-a7b8-9012-cdef-123456789abc';
const cannotLoad = await EbpfCollector.probe();

let dir: string;
let agent: RunningAgent | null = null;
let db: string;

async function waitForAlerts(pred: (alerts: AlertJson[]) => boolean, timeoutMs: number): Promise<AlertJson[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alerts = listAlerts(db);
    if (pred(alerts) || Date.now() > deadline) return alerts;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const alertsFor = (alerts: AlertJson[], pid: number) => alerts.filter((a) => a.events.some((e) => e?.['process']?.['pid'] === pid));
const seedAlertsFor = (alerts: AlertJson[], pid: number) => alertsFor(alerts, pid).filter((a) => a.rule.id === SEED_RULE_ID);

before(async () => {
  if (cannotLoad !== null) return;
  dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-seed-'));
  db = join(dir, 'alerts.db');
  // The bundled defaults, real eBPF; no desktop session in this test.
  agent = await startAgent(['--db', db, '--state-dir', dir, '--backend', 'ebpf', '--log-format', 'json', '--no-notify'], { timeoutMs: 30000 });
});

after(async () => {
  const code = agent !== null ? await agent.stop('SIGTERM') : 0;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  assert.equal(code, 0, 'SIGTERM exits 0');
});

test('seed rule fires live: ollama -> python3 base64 + connect to a public address (unshare -n)', { skip: cannotLoad ?? false }, async () => {
  assert.equal(agent!.ready['backend'], 'ebpf');
  const run: ScenarioResult = runSeedScenario('ollama', '1.1.1.1', 443);
  assert.equal(run.error, 'Network is unreachable', 'the connect failed at once: no route, no packet');
  const alerts = await waitForAlerts((a) => seedAlertsFor(a, run.pid).length > 0, 5000);
  const mine = seedAlertsFor(alerts, run.pid);
  assert.equal(mine.length, 1, 'exactly one alert of the seed rule');
  const alert = mine[0]!;
  const latency = Date.parse(alert.createdAt) - run.connectedAtMs;
  assert.ok(latency <= 2000, `alert committed ${latency} ms after the connect (limit 2000)`);
  assert.equal(alert.collector, 'ebpf');
  assert.equal(alert.events.length, 2);
  const [start, connect] = alert.events as [Record<string, any>, Record<string, any>];
  assert.deepEqual(start['event']['category'], ['process']);
  assert.equal(start['process']['pid'], run.pid);
  assert.equal(start['process']['parent']['name'], 'ollama');
  assert.match(start['process']['command_line'], /base64/);
  assert.equal(connect['event']['action'], 'connection_attempted');
  assert.equal(connect['event']['outcome'], 'failure');
  assert.equal(connect['destination']['ip'], '1.1.1.1');
  assert.equal(connect['destination']['port'], 443);
  assert.equal(connect['process']['entity_id'], start['process']['entity_id']);
  assert.deepEqual(alert.joinKeys.map(String), [start['process']['entity_id'], start['process']['entity_id']]);
});

test('seed rule stays quiet: loopback destination', { skip: cannotLoad ?? false }, async () => {
  const run = runSeedScenario('ollama', '127.0.0.1', 9);
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(alertsFor(listAlerts(db), run.pid), [], 'no alert of any bundled rule');
});

test('seed rule stays quiet: a parent that is not a GenAI tool', { skip: cannotLoad ?? false }, async () => {
  const run = runSeedScenario('bash', '1.1.1.1', 443);
  assert.equal(run.error, 'Network is unreachable');
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(alertsFor(listAlerts(db), run.pid), [], 'no alert of any bundled rule');
});
