import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, projectRoot, startAgent } from '../helpers/agent-process.js';
import { listAlerts } from '../helpers/alerts-cli.js';

const SEED_FIXTURE = join(projectRoot, 'test', 'fixtures', 'rules', 'defense_evasion_genai_process_encoding_prior_to_network_activity');
const SEED_RULE_ID = 'c3d4e5f6-a7b8-9012-cdef-123456789abc';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vigil-e2e-run-'));
}

function vigil(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60000 });
}

test('vigil run --replay: recorded events go through the same pipeline; the seed rule fires on its recorded scenario', () => {
  const dir = tempDir();
  try {
    const db = join(dir, 'alerts.db');
    const r = vigil(['run', '--replay', join(SEED_FIXTURE, 'recorded-positive.ndjson'), '--db', db, '--state-dir', dir, '--log-format', 'json', '--no-notify']);
    assert.equal(r.status, 0, r.stderr);
    const logs = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(logs.some((l) => String(l['message']).startsWith('ready') && l['backend'] === 'replay'));
    const seed = listAlerts(db).filter((a) => a.rule.id === SEED_RULE_ID);
    assert.ok(seed.length >= 1, 'the seed rule fired');
    for (const a of seed) {
      assert.equal(a.collector, 'replay');
      assert.equal(a.events.length, 2);
    }
    assert.equal(statSync(db).mode & 0o777, 0o600, 'the database is private');
    const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as Record<string, any>;
    assert.equal(status['backend'], 'replay');
    assert.ok(status['stopped'], 'a clean stop is recorded');
    assert.equal(status['alerts']['total'], listAlerts(db).length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('vigil run --replay of another host\'s recording: alerts name that host; status.json names the last alert', () => {
  const dir = tempDir();
  try {
    const db = join(dir, 'alerts.db');
    const r = vigil(['run', '--replay', join(SEED_FIXTURE, 'positive.ndjson'), '--db', db, '--state-dir', dir, '--log-format', 'json', '--no-notify']);
    assert.equal(r.status, 0, r.stderr);
    const seed = listAlerts(db).filter((a) => a.rule.id === SEED_RULE_ID);
    assert.ok(seed.length >= 1);
    for (const a of seed) assert.deepEqual(a.host, { name: 'lab-linux-1', id: 'cc852a6298e393a625b34b39da004dc2', os: 'linux' });
    const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as Record<string, any>;
    const newest = listAlerts(db).map((a) => a.time).sort().at(-1);
    assert.equal(status['alerts']['last'], newest);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('vigil run --replay: the negative set raises nothing; a malformed line is reported with its line number and skipped', () => {
  const dir = tempDir();
  try {
    const db = join(dir, 'alerts.db');
    const input = join(dir, 'negative.ndjson');
    const lines = readFileSync(join(SEED_FIXTURE, 'negative.ndjson'), 'utf8').trim().split('\n');
    writeFileSync(input, [lines[0], '{not json', ...lines.slice(1)].join('\n') + '\n');
    const r = vigil(['run', '--replay', input, '--db', db, '--state-dir', dir, '--log-format', 'json', '--no-notify']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /negative\.ndjson:2: malformed event skipped/);
    assert.deepEqual(listAlerts(db).filter((a) => a.rule.id === SEED_RULE_ID), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad config stops startup with the key that is wrong (exit 2)', () => {
  const dir = tempDir();
  try {
    const config = join(dir, 'vigil.toml');
    writeFileSync(config, '[engine]\nreorder_hold_ms = -5\n');
    const r = vigil(['run', '--config', config, '--db', join(dir, 'a.db'), '--state-dir', dir, '--log-format', 'json']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /engine\.reorder_hold_ms must be an integer in 0\.\.60000/);
    assert.match(r.stderr, /"key":"engine\.reorder_hold_ms"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('vigil run on the procfs fallback logs ready, serves `vigil status` live counters, and exits 0 on SIGTERM', async () => {
  const dir = tempDir();
  try {
    const config = join(dir, 'vigil.toml');
    writeFileSync(config, '[status]\ninterval_s = 1\n');
    const agent = await startAgent(['--config', config, '--db', join(dir, 'alerts.db'), '--state-dir', dir, '--backend', 'procfs', '--log-format', 'json', '--no-notify']);
    try {
      assert.equal(agent.ready['backend'], 'procfs');
      assert.ok(Number(agent.ready['rules']) >= 10, 'bundled rules loaded');
      await new Promise((r) => setTimeout(r, 1500)); // a status write after events flowed
      const r = vigil(['status', '--state-dir', dir, '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      const status = JSON.parse(r.stdout) as Record<string, any>;
      assert.equal(status['agent']['state'], 'running');
      const s = status['agent']['status'];
      assert.equal(s['pid'], agent.child.pid);
      assert.equal(s['backend'], 'procfs');
      assert.ok(s['stages']['collector']['in'] > 0, 'collector counters are live');
      assert.ok(s['stages']['normalize']['out'] > 0);
      assert.ok(s['stages']['engine']['in'] > 0);
      const text = vigil(['status', '--state-dir', dir]);
      assert.match(text.stdout, /procfs/);
    } finally {
      const code = await agent.stop('SIGTERM');
      assert.equal(code, 0, 'SIGTERM exits 0');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
