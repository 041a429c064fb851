import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import type { EcsEvent } from '../../../src/ecs/ecs-event.js';
import { compileFieldGetter } from '../../../src/ecs/field-getter.js';
import { loadRecords, normalizeRecords, projectRoot } from './win32-fixtures.js';

const seedDir = join(projectRoot, '..', 'shared', 'seed');
const seedFile = existsSync(seedDir) ? readdirSync(seedDir).find((f) => f.endsWith('.toml')) : undefined;
const skip = seedFile === undefined ? `no seed rule under ${seedDir}` : false;

test('the seed rule fires through `vigil hunt` on a recorded Windows scenario, and only on the GenAI child', { skip }, (t) => {
  const rule = parse(readFileSync(join(seedDir, seedFile!), 'utf8')) as { rule: { query: string } };
  const docs = normalizeRecords(loadRecords('genai-encoding-scenario'));
  const dir = mkdtempSync(join(tmpdir(), 'vigil-win32-hunt-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const events = join(dir, 'events.ndjson');
  writeFileSync(events, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');

  const run = spawnSync(process.execPath, [join(projectRoot, 'dist', 'src', 'cli', 'main.js'), 'hunt', rule.rule.query, '--events', events], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 0, `vigil hunt exited ${run.status}: ${run.stderr}`);
  const hits = run.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { join_keys: unknown[]; events: Array<{ _source: EcsEvent }> });

  const entityOf = compileFieldGetter('process.entity_id');
  const psStart = docs.find((d) => compileFieldGetter('process.pid')(d) === 11876 && compileFieldGetter('event.category')(d)?.toString() === 'process');
  assert.ok(psStart, 'the powershell.exe start is in the scenario');
  assert.equal(hits.length, 1, `one sequence expected, got ${hits.length}: ${run.stdout}`);
  const [hit] = hits;
  // `sequence by process.entity_id` plus each stage's `by process.entity_id`: two keys, one identity
  assert.deepEqual(hit!.join_keys, [entityOf(psStart), entityOf(psStart)]);
  const [first, second] = hit!.events.map((e) => e._source);
  assert.equal(compileFieldGetter('process.name')(first!), 'powershell.exe');
  assert.equal(compileFieldGetter('process.parent.name')(first!), 'claude.exe');
  assert.equal(compileFieldGetter('event.action')(second!), 'connection_attempted');
  assert.equal(compileFieldGetter('destination.ip')(second!), '140.82.112.3');
  // the control powershell.exe (pid 12004, parent explorer.exe) made the same connection and is not a hit
  assert.ok(!run.stdout.includes('"pid":12004'));
});
