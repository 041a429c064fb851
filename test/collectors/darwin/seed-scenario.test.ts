import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { darwinStartKey } from '../../../src/collectors/darwin/darwin-start-key.js';
import { VERSION } from '../../../src/cli/version.js';
import { TELEMETRY_COVERAGE } from '../../../src/ecs/emitted-fields.js';
import { listAlerts } from '../../helpers/alerts-cli.js';
import { FIXTURES, ROOT, epochSeconds } from './darwin-test-helpers.js';
import { seedScenarioDocs, seedScenarioRawEvents } from './seed-scenario.js';
import { unlistedFields } from '../../helpers/leaf-paths.js';

const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const NDJSON = join(FIXTURES, 'seed-scenario.ndjson');
const SEED_DIR = join(ROOT, '..', 'shared', 'seed');
const SEED_RULE_ID = 'c3d4e5f6-a7b8-9012-cdef-123456789abc';
const seedMissing = existsSync(SEED_DIR) ? false : `${SEED_DIR} is absent`;

/** event.id carries a random per-normalizer prefix; agent.version follows the package. */
function stable(doc: Record<string, any>): Record<string, any> {
  const d = structuredClone(doc);
  delete d['event']['id'];
  delete d['agent']['version'];
  return d;
}

test('seed scenario: ps and eslogger agree on the start key; RawEvents -> ECS documents equal test/fixtures/darwin/seed-scenario.ndjson', () => {
  const raws = seedScenarioRawEvents();
  const claudeSnap = raws.find((e) => e.kind === 'snapshot' && e.process.pid === 4100)!;
  const fork = raws.find((e) => e.kind === 'fork' && e.process.pid === 4210)!;
  assert.equal(claudeSnap.process.startKey, darwinStartKey(epochSeconds('2026-11-28T09:10:00Z')), 'ps lstart');
  assert.equal(fork.process.parentStartKey, claudeSnap.process.startKey, "eslogger's start_time (09:10:00.512) gives the same key as ps's lstart");
  const docs = seedScenarioDocs(VERSION);
  const text = docs.map((d) => JSON.stringify(d)).join('\n') + '\n';
  if (process.env['VIGIL_UPDATE_FIXTURES'] === '1') writeFileSync(NDJSON, text);
  const committed = readFileSync(NDJSON, 'utf8').trim().split('\n').map((l) => stable(JSON.parse(l)));
  assert.deepEqual(docs.map((d) => stable(d)), committed);
  const conn = docs.find((d) => (d['event'] as any).action === 'connection_attempted') as Record<string, any>;
  const exec = docs.filter((d) => (d['event'] as any).action === 'exec' && (d['process'] as any).pid === 4210) as Array<Record<string, any>>;
  assert.equal(exec.length, 2, 'the /usr/bin/python3 shim execs the real python3 in the same process');
  assert.equal(conn['process']['entity_id'], exec[1]!['process']['entity_id']);
  assert.equal(exec[1]!['process']['parent']['name'], 'claude');
  assert.equal(exec[1]!['host']['os']['type'], 'macos');
  assert.equal(conn['destination']['ip'], '160.79.104.10');
});


test('seed scenario documents use only fields listed for macOS (src/ecs/emitted-fields.ts)', () => {
  assert.deepEqual(unlistedFields(seedScenarioDocs(VERSION), TELEMETRY_COVERAGE.macos.fieldsByCategory!), []);
});

function seedQuery(): string {
  const file = readdirSync(SEED_DIR).find((f) => f.endsWith('.toml'))!;
  const toml = parse(readFileSync(join(SEED_DIR, file), 'utf8')) as { rule: { query: string } };
  return toml.rule.query;
}

test('seed rule fires on the recorded macOS scenario through vigil hunt', { skip: seedMissing }, () => {
  const r = spawnSync(process.execPath, [CLI, 'hunt', '--events', NDJSON, '--output', 'ndjson', seedQuery()], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const hits = r.stdout.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { join_keys: string[]; events: Array<{ _source: Record<string, any> }> });
  assert.equal(hits.length, 1, r.stdout);
  const [first, second] = hits[0]!.events;
  assert.equal(first!._source['process']['name'], 'python3');
  assert.equal(first!._source['process']['parent']['name'], 'claude');
  assert.match(first!._source['process']['command_line'], /base64/);
  assert.equal(second!._source['event']['action'], 'connection_attempted');
  assert.equal(second!._source['destination']['port'], 443);
  // `sequence by process.entity_id` and each stage's `by process.entity_id`: two keys, one entity
  assert.deepEqual(hits[0]!.join_keys, [first!._source['process']['entity_id'], first!._source['process']['entity_id']]);
});

test('seed rule fires on the recorded macOS scenario through the agent replay path (vigil run --replay)', { skip: seedMissing, timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-darwin-seed-'));
  try {
    const db = join(dir, 'alerts.db');
    const r = spawnSync(process.execPath, [CLI, 'run', '--replay', NDJSON, '--db', db, '--state-dir', dir, '--log-format', 'json', '--no-notify'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const seed = listAlerts(db).filter((a) => a.rule.id === SEED_RULE_ID);
    assert.equal(seed.length, 1, 'one alert: python3 -c ...base64... under claude, then its connect; the base64 that never connects raises nothing');
    assert.equal(seed[0]!.events.length, 2);
    assert.equal(seed[0]!.events[0]!['host']['os']['type'], 'macos');
    assert.equal(seed[0]!.events[1]!['process']['pid'], 4210);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
