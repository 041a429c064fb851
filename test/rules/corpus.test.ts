import '../helpers/linear-regex-engine.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { checkRules } from '../../src/rules/check-report.js';
import { CORPUS_EXPECTED_FAILURES } from './corpus-expected-failures.js';
import { sharedDir, sharedMissing } from './project-paths.js';

const corpus = join(sharedDir, 'rule-corpus', 'detection-rules');
const missing = sharedMissing('rule-corpus/detection-rules');

test('detection-rules corpus: >= 98% of non-deprecated EQL rules compile; the failures are exactly the pinned list', (t) => {
  if (missing) return t.skip(missing);
  const report = checkRules([corpus], 'linux');
  // Non-deprecated EQL rules = every rule that was not skipped (skips are non-EQL types and deprecated rules).
  const eql = report.rules.filter((r) => r.status !== 'skipped');
  const ok = eql.filter((r) => r.status === 'ok');
  const failed = eql.filter((r) => r.status === 'error');
  const ratio = ok.length / eql.length;
  assert.ok(ratio >= 0.98, `${ok.length}/${eql.length} = ${(ratio * 100).toFixed(2)}%`);
  assert.ok(report.rules.filter((r) => r.status === 'skipped').every((r) => /^SKIP_(RULE_TYPE|DEPRECATED|LANGUAGE)$/.test(r.diagnostics[0]!.code)));

  const actual = failed.map((r) => ({ file: relative(corpus, r.file), code: r.diagnostics[0]!.code, message: r.diagnostics[0]!.message })).sort((a, b) => a.file.localeCompare(b.file));
  assert.deepEqual(actual.map((a) => a.file), CORPUS_EXPECTED_FAILURES.map((e) => e.file));
  for (const [i, a] of actual.entries()) {
    const e = CORPUS_EXPECTED_FAILURES[i]!;
    assert.equal(a.code, e.code, a.file);
    assert.ok(a.message.includes(e.message), `${a.file}: ${a.message}`);
  }
  // Every failure points into its rule file (line beyond the [rule] header, where the query is).
  for (const r of failed) assert.ok(r.diagnostics[0]!.line > 1, `${r.file}:${r.diagnostics[0]!.line}`);
});

test('detection-rules corpus: coverage for linux is computed for every compiled rule', (t) => {
  if (missing) return t.skip(missing);
  const report = checkRules([corpus], 'linux');
  const s = report.summary;
  assert.equal(s.compiles, s.can_fire + s.cannot_fire);
  assert.ok(s.can_fire > 0 && s.cannot_fire > 0, JSON.stringify(s));
  for (const r of report.rules) {
    if (r.status !== 'ok') continue;
    const c = r.coverage!;
    const blocked = c.missing_categories.length + c.missing_actions.length + c.missing_types.length + c.missing_fields.length;
    assert.equal(c.can_fire, blocked === 0, r.file);
  }
  // File telemetry on Linux (issue 12): file rules can fire, and file.path is not what the rest lack.
  assert.ok(!s.top_missing_categories.some((x) => x.category === 'file'), JSON.stringify(s.top_missing_categories));
  assert.ok(!s.top_missing_fields.some((x) => x.field === 'file.path'), JSON.stringify(s.top_missing_fields));
  assert.ok(s.can_fire >= 350, `can_fire ${s.can_fire}`);
});

test('detection-rules corpus: file rules can fire on macOS (eslogger) and Windows (ETW Kernel-File)', (t) => {
  if (missing) return t.skip(missing);
  // Before file telemetry on these systems: macOS 272, Windows 196 rules could fire (101 lacked the file category).
  for (const [os, atLeast] of [['macos', 350], ['windows', 270]] as const) {
    const s = checkRules([corpus], os).summary;
    assert.ok(!s.top_missing_categories.some((x) => x.category === 'file'), `${os}: ${JSON.stringify(s.top_missing_categories)}`);
    assert.ok(!s.top_missing_fields.some((x) => x.field === 'file.path' || x.field === 'file.name'), `${os}: ${JSON.stringify(s.top_missing_fields)}`);
    assert.ok(s.can_fire >= atLeast, `${os}: can_fire ${s.can_fire}`);
  }
});
