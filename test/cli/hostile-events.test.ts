import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../helpers/agent-process.js';

/**
 * Issue 19, defect 12 (hostile events): `@timestamp` ±1e16 (beyond what a Date holds) or 100 000 levels of
 * nesting crashed `vigil hunt --output table` and `vigil run` with events_ndjson set. They are counted and
 * skipped; the other events go through.
 */
const dir = mkdtempSync(join(tmpdir(), 'vigil-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const exec = (id: number, ts: unknown) => ({
  '@timestamp': ts,
  event: { category: ['process'], type: ['start'], action: 'exec', id: `e${id}` },
  process: { name: 'true', pid: id, entity_id: `p${id}` },
});
const deep = '{"x":'.repeat(100_000) + '1' + '}'.repeat(100_000);
const lines = [
  JSON.stringify(exec(1, '2026-01-01T00:00:00.000Z')),
  JSON.stringify(exec(2, 1e16)),
  JSON.stringify(exec(3, -1e16)),
  JSON.stringify(exec(4, '2026-01-01T00:00:01.000Z')).slice(0, -1) + `,"deep":${deep}}`,
  JSON.stringify(exec(5, '2026-01-01T00:00:02.000Z')),
  JSON.stringify(exec(6, '10000000000000000')),
];
const events = join(dir, 'hostile.ndjson');
writeFileSync(events, lines.join('\n') + '\n');

function vigil(args: string[]) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const output of ['table', 'ndjson']) {
  test(`hunt --output ${output}: hostile timestamps and nesting are counted and skipped, the rest is found`, () => {
    const r = vigil(['hunt', '--events', events, '--output', output, 'process where process.name == "true"']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /skipped 3 event\(s\) without a readable @timestamp/);
    assert.match(r.stderr, /skipped 1 event\(s\) nested deeper than 64 levels/);
    if (output === 'ndjson') {
      assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l)._source.process.pid), [1, 5]);
    } else {
      assert.match(r.stdout, /2026-01-01T00:00:00\.000Z/);
      assert.match(r.stdout, /2026-01-01T00:00:02\.000Z/);
    }
  });
}

test('run --replay with events_ndjson set: hostile events counted as malformed, never a crash; the rest logged', () => {
  const log = join(dir, 'events-out.ndjson');
  const config = join(dir, 'vigil.toml');
  writeFileSync(config, `[outputs]\nevents_ndjson = ${JSON.stringify(log)}\n`);
  const r = vigil(['run', '--config', config, '--replay', events, '--db', join(dir, 'a.db'), '--state-dir', dir, '--log-format', 'json', '--no-notify']);
  assert.equal(r.code, 0, r.stderr);
  const logged = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l).process.pid);
  assert.ok(logged.includes(1) && logged.includes(5) && !logged.includes(4), `logged ${logged}`);
  const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'));
  assert.equal(status.stages.normalize.malformed, 1, 'the deep event');
  assert.equal(status.stages.engine.malformed, 3, 'the three unreadable timestamps');
});
