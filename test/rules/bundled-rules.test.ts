import '../helpers/linear-regex-engine.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { runSequenceBatch } from '../../src/sequence/batch.js';
import type { LoadedRule } from '../../src/rules/loaded-rule.js';
import { RuleSet } from '../../src/rules/rule-set.js';
import { ruleCoverage } from '../../src/rules/rule-coverage.js';
import { TELEMETRY_COVERAGE } from '../../src/ecs/emitted-fields.js';
import { bundledRulesDir, fixturesDir, sharedDir, sharedMissing } from './project-paths.js';

const SEED = 'defense_evasion_genai_process_encoding_prior_to_network_activity.toml';

const set = RuleSet.load([bundledRulesDir]);
const stem = (r: LoadedRule): string => basename(r.source.file, '.toml');

function readEvents(file: string): EcsEvent[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as EcsEvent);
}

const ts = (e: EcsEvent): number => Date.parse(String(e['@timestamp']));
const seq = (e: EcsEvent): number => Number((e['event'] as { sequence?: number } | undefined)?.sequence ?? 0);
/** Events in (timestamp, event.sequence) order, as the agent's reorder buffer hands them to the engine. */
const sorted = (events: EcsEvent[]): EcsEvent[] => [...events].sort((a, b) => ts(a) - ts(b) || seq(a) - seq(b));

/** Number of alerts `rule` raises over `events` (sorted by time), dispatching through the rule index. */
function hits(rule: LoadedRule, events: EcsEvent[]): number {
  const q = rule.query;
  if (q.kind === 'event') {
    return events.filter((e) => set.candidates(e).stages.some((s) => s.rule === rule && s.stage.filter(e))).length;
  }
  if (q.kind === 'sequence') {
    // Only events the index routes to one of the rule's stages reach the matcher, as in the agent.
    const routed = sorted(events).filter((e) => set.candidates(e).rules.includes(rule));
    return runSequenceBatch(q, routed, { timestamp: ts }).length;
  }
  throw new Error(`unexpected ${q.kind} query in a bundled rule`);
}

test('bundled rules: every file loads and compiles, the seed plus at least 10 of ours', () => {
  assert.deepEqual(set.errors.map((e) => e.diagnostics), []);
  assert.deepEqual(set.skipped.map((e) => e.file), []);
  const files = readdirSync(bundledRulesDir).filter((f) => f.endsWith('.toml'));
  assert.equal(set.rules.length, files.length);
  assert.ok(set.rules.length >= 11, `${set.rules.length} rules`);
  assert.ok(set.rules.some((r) => basename(r.source.file) === SEED));
});

test('bundled rules: the seed rule is byte-for-byte the published one', (t) => {
  const reason = sharedMissing('seed');
  if (reason) return t.skip(reason);
  assert.ok(readFileSync(join(bundledRulesDir, SEED)).equals(readFileSync(join(sharedDir, 'seed', SEED))));
});

test('bundled rules: each can fire on Linux telemetry, and the macOS ones on macOS', () => {
  for (const r of set.rules) {
    for (const os of r.meta.osList ?? ['linux']) {
      if (os === 'windows') continue;
      const c = ruleCoverage(r, os as 'linux' | 'macos');
      // File rules on macOS wait for its file telemetry (eslogger file events): until then macOS lists no `file`.
      if (os === 'macos' && c.missingCategories.includes('file') && !TELEMETRY_COVERAGE.macos.categories.includes('file')) continue;
      assert.ok(c.canFire, `${stem(r)} on ${os}: ${JSON.stringify(c)}`);
    }
  }
});

for (const rule of set.rules) {
  const dir = join(fixturesDir, stem(rule));
  test(`bundled rule ${stem(rule)}: fires on its positive set, stays quiet on its negative set`, () => {
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { positive_hits: number; negative_hits: number };
    const positive = readEvents(join(dir, 'positive.ndjson'));
    const negative = readEvents(join(dir, 'negative.ndjson'));
    assert.ok(expected.positive_hits >= 1);
    assert.equal(hits(rule, positive), expected.positive_hits, 'positive hits');
    assert.equal(hits(rule, negative), expected.negative_hits, 'negative hits');
  });
}

// Real telemetry: record-linux.sh re-enacts the scenarios harmlessly under the eBPF collector and
// split-recording.mjs keeps each scenario's process tree (see those files).
for (const rule of set.rules) {
  const dir = join(fixturesDir, stem(rule));
  if (!existsSync(join(dir, 'recorded-positive.ndjson'))) continue;
  test(`bundled rule ${stem(rule)}: fires on recorded Vigil telemetry of its scenario, quiet on the recorded negative`, () => {
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { recorded_positive_hits: number; recorded_negative_hits: number };
    assert.equal(hits(rule, readEvents(join(dir, 'recorded-positive.ndjson'))), expected.recorded_positive_hits, 'recorded positive hits');
    assert.equal(hits(rule, readEvents(join(dir, 'recorded-negative.ndjson'))), expected.recorded_negative_hits, 'recorded negative hits');
  });
}

test('bundled rules: the seed rule and at least 7 of ours have recorded real-telemetry sets', () => {
  const recorded = set.rules.filter((r) => existsSync(join(fixturesDir, stem(r), 'recorded-positive.ndjson')));
  assert.ok(recorded.some((r) => basename(r.source.file) === SEED));
  assert.ok(recorded.length >= 8, `${recorded.length}`);
});

test('bundled rules: every negative set, recorded ones included, is quiet for every bundled rule', () => {
  for (const d of readdirSync(fixturesDir, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    for (const name of ['negative.ndjson', 'recorded-negative.ndjson']) {
      const file = join(fixturesDir, d.name, name);
      if (!existsSync(file)) continue;
      const negative = readEvents(file);
      for (const rule of set.rules) assert.equal(hits(rule, negative), 0, `${stem(rule)} fired on ${d.name}/${name}`);
    }
  }
});
