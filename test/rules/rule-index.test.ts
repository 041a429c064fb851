import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import type { CompiledQuery, CompiledStage } from '../../src/eql/compiled-query.js';
import type { LoadedRule } from '../../src/rules/loaded-rule.js';
import { RuleIndex } from '../../src/rules/rule-index.js';

// Hand-built compiled stages: the index only reads category and constraints, so no parser is needed here.
function stage(category: string | null, constraints: Record<string, string[]> = {}): CompiledStage {
  return { filter: () => true, category, constraints, fields: [], gate: null, keys: [], keyNames: [], keyOptional: [], missing: false, runs: 1 };
}
function rule(id: string, query: CompiledQuery): LoadedRule {
  return {
    meta: { id, name: id, severity: 'medium', riskScore: 47, tags: [], threat: [], file: `${id}.toml` },
    query,
    source: { file: `${id}.toml`, format: 'detection-rules', queryLine: 1, queryColumn: 1 },
  };
}
const eventRule = (id: string, s: CompiledStage): LoadedRule => rule(id, { kind: 'event', text: '', pipes: [], fields: [], stage: s });
const seqRule = (id: string, stages: CompiledStage[], until: CompiledStage | null = null): LoadedRule =>
  rule(id, { kind: 'sequence', text: '', pipes: [], fields: [], stages, until, maxspanMs: null });

const rules = [
  eventRule('exec-only', stage('process', { 'event.action': ['exec'] })),
  eventRule('proc-start', stage('process', { 'event.type': ['start'] })),
  eventRule('proc-any', stage('process')),
  eventRule('any-cat', stage(null)),
  eventRule('file-rule', stage('file')),
  seqRule('seq', [stage('process', { 'event.action': ['exec', 'fork'] }), stage('network', { 'event.action': ['connection_attempted'] })], stage('process', { 'event.action': ['end'] })),
];
const index = new RuleIndex(rules, { cacheSize: 2 });
const ids = (e: Record<string, unknown>): string[] => index.candidates(e as EcsEvent).stages.map((s) => `${s.rule.meta.id}#${s.stageIndex}`);

const rows: Array<[string, Record<string, unknown>, string[]]> = [
  ['process exec', { event: { category: ['process'], action: 'exec', type: ['start'] } }, ['exec-only#0', 'proc-start#0', 'proc-any#0', 'any-cat#0', 'seq#0']],
  ['process fork', { event: { category: ['process'], action: 'fork', type: ['start'] } }, ['proc-start#0', 'proc-any#0', 'any-cat#0', 'seq#0']],
  ['process end (until stage)', { event: { category: ['process'], action: 'end', type: ['end'] } }, ['proc-any#0', 'any-cat#0', 'seq#-1']],
  ['network attempt', { event: { category: ['network'], action: 'connection_attempted', type: ['start'] } }, ['any-cat#0', 'seq#1']],
  ['network accepted', { event: { category: ['network'], action: 'connection_accepted', type: ['start'] } }, ['any-cat#0']],
  ['dotted keys and a scalar category', { 'event.category': 'process', 'event.action': 'exec' }, ['exec-only#0', 'proc-any#0', 'any-cat#0', 'seq#0']],
  ['two categories, no duplicates', { event: { category: ['process', 'network'], action: 'exec', type: ['start', 'start'] } }, ['exec-only#0', 'proc-start#0', 'proc-any#0', 'any-cat#0', 'seq#0']],
  ['no category', { event: {} }, ['any-cat#0']],
];

for (const [name, event, expected] of rows) {
  test(`RuleIndex: ${name}`, () => {
    assert.deepEqual(ids(event), expected);
  });
}

test('RuleIndex: rules list is distinct and cache is bounded and counted', () => {
  const before = { ...index.stats };
  const c = index.candidates({ event: { category: ['process'], action: 'exec', type: ['start'] } } as EcsEvent);
  assert.deepEqual(c.rules.map((r) => r.meta.id), ['exec-only', 'proc-start', 'proc-any', 'any-cat', 'seq']);
  index.candidates({ event: { category: ['process'], action: 'exec', type: ['start'] } } as EcsEvent);
  assert.equal(index.stats.cacheHits, before.cacheHits + 1);
  assert.ok(index.stats.cacheEvictions > 0, 'a 2-entry cache evicted while the rows ran');
  assert.equal(index.size, 8);
});
