import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentDemand } from '../../src/agent/document-demand.js';
import type { RawEventKind } from '../../src/collectors/raw-event.js';
import { EVENT_SHAPES } from '../../src/normalize/event-shapes.js';
import { RuleSet } from '../../src/rules/rule-set.js';
import { bundledRulesDir } from '../rules/project-paths.js';
import { rulesFrom } from '../helpers/rules-from.js';

const RAW_EVENT_KINDS = Object.keys(EVENT_SHAPES) as RawEventKind[];
const wanted = (d: DocumentDemand, platform: 'linux' | 'windows' = 'linux'): string[] => RAW_EVENT_KINDS.filter((k) => d.wants(platform, k));

test('bundled rules: exec, fork, exit, snapshot and connect documents are built; accept and disconnect only track', () => {
  // exit and snapshot: Elastic's defense_evasion_genai_cli_unsafe_permission_bypass (bundled unchanged) reads
  // `process where event.type == "start" and ... and (A) or (B) or ...`: by precedence its later branches
  // constrain neither event.type nor event.action, so every process kind can match them
  const d = new DocumentDemand(RuleSet.load([bundledRulesDir], { os: 'linux' }), { logsEveryEvent: false });
  assert.deepEqual(wanted(d), ['exec', 'fork', 'exit', 'snapshot', 'connect']);
});

const rows: Array<[string, string[], string[]]> = [
  ['no rules', [], []],
  ['an exec-only rule', ['process where event.action == "exec" and process.name == "nc"'], ['exec']],
  ['event.type start: exec, fork, connect, accept', ['any where event.type == "start"'], ['exec', 'fork', 'connect', 'accept']],
  ['a process rule without action or type: every process kind', ['process where process.name == "nc"'], ['exec', 'fork', 'exit', 'snapshot']],
  ['an `any` rule: everything', ['any where process.pid == 1'], [...RAW_EVENT_KINDS]],
  [
    'a sequence\'s until stage counts (end events close it)',
    ['sequence by process.entity_id [process where event.action == "exec"] [network where event.action == "connection_attempted"] until [process where event.action == "end"]'],
    ['exec', 'exit', 'connect'],
  ],
];
for (const [name, queries, kinds] of rows) {
  test(`documents built for ${name}`, () => {
    const rules = rulesFrom(queries);
    assert.equal(rules.errors.length, 0, JSON.stringify(rules.errors));
    assert.deepEqual(wanted(new DocumentDemand(rules, { logsEveryEvent: false })).sort(), [...kinds].sort());
  });
}

test('an output that logs every event wants every document, rules or not', () => {
  assert.deepEqual(wanted(new DocumentDemand(rulesFrom([]), { logsEveryEvent: true })), [...RAW_EVENT_KINDS]);
});

test('Windows shapes: a process creation is `start`, so an exec-action rule does not see it', () => {
  const d = new DocumentDemand(rulesFrom(['process where event.action == "exec"']), { logsEveryEvent: false });
  assert.deepEqual(wanted(d, 'windows'), []);
  assert.deepEqual(wanted(d, 'linux'), ['exec']);
});
