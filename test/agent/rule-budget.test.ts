import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DetectionEngine, type BudgetOverrun } from '../../src/agent/detection-engine.js';
import type { LoadedRule } from '../../src/rules/loaded-rule.js';
import { RuleSet } from '../../src/rules/rule-set.js';

/**
 * Issue 19, defect 6 (run-time half): a rule whose evaluation is slow, yet passes the compile-time regex
 * bounds, is disabled after repeatedly exceeding its per-event budget; the other rules keep running.
 */
const dir = mkdtempSync(join(tmpdir(), 'vigil-budget-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Each of the 20 patterns is within the bound (90 000 ways) but costs ~1 ms on a 3000-character argument.
const patterns = Array.from({ length: 20 }, (_, i) => `"[a-z]{1,300}[a-z]{1,300}${'bcdefghijklmnopqrstu'[i]}"`).join(', ');
writeFileSync(join(dir, 'slow.eql'), `// name: Slow\nprocess where process.args regex (${patterns})\n`);
writeFileSync(join(dir, 'cheap.eql'), '// name: Cheap\nprocess where process.name == "true"\n');

const event = (i: number) => ({
  '@timestamp': new Date(1_700_000_000_000 + i).toISOString(),
  event: { category: ['process'], type: ['start'], action: 'exec' },
  process: { name: 'true', args: Array.from({ length: 30 }, () => 'a'.repeat(3000)) },
});

test('rule budget: a rule repeatedly over its budget is disabled (reported once), the others keep matching', () => {
  const ruleSet = RuleSet.load([dir], { os: 'linux' });
  assert.equal(ruleSet.rules.length, 2, JSON.stringify(ruleSet.errors.map((e) => e.diagnostics)));
  const disabled: Array<[LoadedRule, BudgetOverrun]> = [];
  const engine = new DetectionEngine(ruleSet, {
    timestamp: (e) => Date.parse(e['@timestamp'] as string),
    maxSequencesPerRule: 100,
    defaultLifetimeMs: 60_000,
    ruleBudgetMs: 20,
    onRuleDisabled: (rule, o) => disabled.push([rule, o]),
  });
  const names = (i: number) => engine.process(event(i)).map((m) => m.rule.meta.name);
  const t0 = performance.now();
  for (let i = 0; i < 6; i++) assert.deepEqual(names(i), ['Cheap'], `event ${i}`);
  const slowMs = performance.now() - t0;
  assert.equal(disabled.length, 1, `the slow rule was disabled (6 events took ${Math.round(slowMs)} ms)`);
  assert.equal(disabled[0]![0].meta.name, 'Slow');
  assert.equal(disabled[0]![1].strikes, 3);
  assert.ok(disabled[0]![1].worstMs > 20);
  assert.equal(engine.stats().rulesDisabled, 1);
  assert.deepEqual(engine.disabledRules().map((r) => r.meta.name), ['Slow']);
  const t1 = performance.now();
  for (let i = 6; i < 12; i++) assert.deepEqual(names(i), ['Cheap']);
  assert.ok(performance.now() - t1 < slowMs / 2, 'once disabled, the slow rule costs nothing');
  assert.equal(disabled.length, 1, 'disabled once');
});

test('rules check reports a rule over the run-time budget as a warning (RULE_OVER_BUDGET)', async () => {
  const { checkRules } = await import('../../src/rules/check-report.js');
  const report = checkRules([dir], 'linux');
  const by = Object.fromEntries(report.rules.map((r) => [r.file.split('/').pop(), r]));
  assert.equal(by['cheap.eql']!.status, 'ok');
  assert.equal(by['slow.eql']!.status, 'ok', 'a warning: the rule still loads');
  assert.equal(by['slow.eql']!.diagnostics[0]!.code, 'RULE_OVER_BUDGET');
  assert.match(by['slow.eql']!.diagnostics[0]!.message, /ms of CPU, over the 50 ms per-rule budget: the agent would disable this rule/);
});
