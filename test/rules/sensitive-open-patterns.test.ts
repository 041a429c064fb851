import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleSet } from '../../src/rules/rule-set.js';
import { ruleOpenNeeds } from '../../src/rules/sensitive-open-patterns.js';
import { checkRules } from '../../src/rules/check-report.js';
import { buildFilePolicy } from '../../src/agent/file-policy.js';
import { DEFAULT_CONFIG } from '../../src/agent/agent-config.js';
import { bundledRulesDir } from './project-paths.js';

/** Loads inline .eql rules (`name -> query`) from a temp dir. */
function rulesOf(queries: Record<string, string>): { set: RuleSet; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-open-needs-'));
  for (const [name, q] of Object.entries(queries)) writeFileSync(join(dir, `${name}.eql`), `// name: ${name}\n// os: linux\n${q}\n`);
  return { set: RuleSet.load([dir], { os: 'linux' }), dir };
}

test('ruleOpenNeeds: which stages can match an open, and the file patterns that bound them', () => {
  const { set, dir } = rulesOf({
    names: 'file where event.action == "open" and file.name in~ ("known_hosts", "id_*")',
    wild: 'file where file.path : ("/etc/shadow", "/home/*/.ssh/*") and process.name == "x"',
    created: 'file where event.action == "creation" and file.path : "/etc/cron.d/*"',
    typed: 'file where event.type == "change" and file.name == "x"',
    unbounded: 'file where process.name == "cat"',
    negated: 'file where not file.name : "a*"',
    either: 'file where file.extension == "pem" or process.name == "x"',
    funcs: 'file where startsWith(file.path, "/root/") and endsWith(file.name, ".key")',
    broad: 'file where file.path : "/*GCONV_PATH*"',
    seq: 'sequence [process where true] [file where file.name == "credentials"]',
  });
  try {
    const by = (n: string) => ruleOpenNeeds(set.rules.find((r) => r.meta.name === n)!);
    const show = (n: string) => by(n).patterns.map((p) => `${p.field}${p.wildcard ? ':' : '='}${p.insensitive ? '~' : ''}${p.value}`);
    assert.deepEqual(show('names'), ['name=~known_hosts', 'name=~id_*']);
    assert.deepEqual(show('wild'), ['path:~/etc/shadow', 'path:~/home/*/.ssh/*']);
    assert.equal(by('created').openStages, 0, 'creation only: no opens needed');
    assert.equal(by('typed').openStages, 0, 'event.type change excludes access');
    assert.equal(by('unbounded').unboundedStages, 1);
    assert.equal(by('negated').unboundedStages, 1);
    assert.equal(by('either').unboundedStages, 1, 'an or with an unbounded side bounds nothing');
    assert.deepEqual(show('funcs'), ['path:/root/*'], 'both sides bound and keyed: the first (the smaller) is kept');
    assert.deepEqual(by('broad').broad.map((p) => p.value), ['/*GCONV_PATH*']);
    assert.deepEqual(show('seq'), ['name=credentials']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules check: open_filter says how the sensitive-open policy feeds each rule (linux only)', () => {
  const { dir } = rulesOf({
    keyed: 'file where file.name == "known_hosts"',
    broad: 'file where file.path : "/*GCONV_PATH*"',
    none: 'process where process.name == "x"',
  });
  try {
    const report = checkRules([dir], 'linux');
    const by = Object.fromEntries(report.rules.map((r) => [r.name, r.coverage!]));
    assert.deepEqual(by['keyed']!.open_filter, { patterns: 1, kernel_keyed: 1, broad: [], unbounded_stages: 0, fully_covered: true });
    assert.deepEqual(by['broad']!.open_filter, { patterns: 1, kernel_keyed: 0, broad: ['file.path : "/*GCONV_PATH*"'], unbounded_stages: 0, fully_covered: false });
    assert.equal(by['none']!.open_filter, null);
    assert.equal(checkRules([dir], 'macos').rules[0]!.coverage!.open_filter, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('buildFilePolicy: the bundled list, config entries and the bundled rules\' needs; the GenAI rule\'s names are kernel-keyed', () => {
  const rules = RuleSet.load([bundledRulesDir], { os: 'linux' }).rules;
  const built = buildFilePolicy(rules, { ...DEFAULT_CONFIG.collector.files, sensitive: ['name corp-token.json', 'bogus line'] });
  assert.equal(built.errors.length, 1);
  assert.match(built.errors[0]!, /config:2: expected/);
  const p = built.policy;
  assert.equal(p.match('/home/a/.ssh/known_hosts')?.source === undefined, false);
  assert.equal(p.match('/srv/corp-token.json')?.source, 'config');
  assert.equal(p.match('/x/Key4.db') !== undefined, true, 'the rule\'s like~ "key?.db"');
  assert.equal(p.match('/home/a/notes.txt'), undefined);
  assert.deepEqual(built.partial, []);
  assert.equal(p.kernelKeys().broad.length, 0);
});
