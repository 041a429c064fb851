import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadRuleFile, loadRules } from '../../src/rules/rule-loader.js';
import { RuleSet } from '../../src/rules/rule-set.js';

const root = mkdtempSync(join(tmpdir(), 'vigil-rules-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const detection = (query: string, extra = '', quote = "'''"): string =>
  `[metadata]\nmaturity = "production"\n\n[rule]\nname = "T"\nrule_id = "id-${Math.random().toString(16).slice(2)}"\ntype = "eql"\nlanguage = "eql"\nseverity = "high"\nrisk_score = 73\ntags = ["OS: Linux"]\n${extra}query = ${quote}\n${query}\n${quote}\n`;

/** 1-based line/column of the first `marker` in `text`. */
function posOf(text: string, marker: string): { line: number; column: number } {
  const i = text.indexOf(marker);
  assert.ok(i >= 0, `marker ${marker} in source`);
  const before = text.slice(0, i);
  return { line: before.split('\n').length, column: i - before.lastIndexOf('\n') };
}

test('detection-rules: an EQL rule loads with its metadata', () => {
  const text = detection('process where process.name == "nc"', 'description = """\nd\n"""\n') + '\n[[rule.threat]]\nframework = "MITRE ATT&CK"\n[rule.threat.tactic]\nid = "TA0002"\n';
  const e = loadRuleFile(write('ok/a.toml', text));
  assert.equal(e.status, 'ok');
  assert.equal(e.format, 'detection-rules');
  const m = e.rule!.meta;
  assert.deepEqual([m.name, m.severity, m.riskScore, m.description, m.osList], ['T', 'high', 73, 'd', ['linux']]);
  assert.deepEqual(m.threat, [{ framework: 'MITRE ATT&CK', tactic: { id: 'TA0002' } }]);
  assert.equal(e.rule!.source.queryLine, 16);
});

// Query errors land on the offending character of the FILE, whatever the quoting.
const quotings: Array<[string, string, string]> = [
  ["''' with a newline after the quotes", "'''", 'process where process.name == "a" and\n   process.name = "b"'],
  ['""" with escapes before the error', '"""', 'process where process.name : \\"a\\" and\n  process.name = \\"b\\"'],
  ['single-line basic string', '"', 'process where process.name == \\"a\\" and process.name = \\"b\\"'],
  ["single-line literal string", "'", 'process where process.name == "a" and process.name = "b"'],
];
for (const [name, quote, query] of quotings) {
  test(`detection-rules: EQL error position in the file (${name})`, () => {
    const text =
      quote.length === 3
        ? detection(query, '', quote)
        : `[metadata]\nmaturity = "production"\n[rule]\nname = "Q"\nrule_id = "q-${name.length}"\ntype = "eql"\nquery = ${quote}${query}${quote}\n`;
    const e = loadRuleFile(write(`pos/${name.replace(/\W+/g, '_')}.toml`, text));
    assert.equal(e.status, 'error');
    const d = e.diagnostics[0]!;
    assert.equal(d.code, 'EQL_SYNTAX');
    const at = posOf(text, '= ' + (quote === '"' || quote === '"""' ? '\\"b' : '"b'));
    assert.deepEqual({ line: d.line, column: d.column }, at, d.message);
    assert.equal(d.file, e.file);
  });
}

test('detection-rules: non-EQL types are skipped with a reason naming the type', () => {
  for (const type of ['query', 'esql', 'threshold', 'machine_learning', 'new_terms']) {
    const e = loadRuleFile(write(`types/${type}.toml`, `[metadata]\nmaturity = "production"\n[rule]\nname = "x"\nrule_id = "${type}"\ntype = "${type}"\nquery = "a:b"\n[[transform.osquery]]\nlabel = "x"\n`));
    assert.equal(e.status, 'skipped');
    assert.equal(e.reason!.code, 'SKIP_RULE_TYPE');
    assert.match(e.reason!.message, new RegExp(`"${type}"`));
  }
});

test('detection-rules: deprecated rules are skipped (maturity and _deprecated directory)', () => {
  const a = loadRuleFile(write('dep/a.toml', detection('process where true').replace('"production"', '"deprecated"')));
  const b = loadRuleFile(write('dep/_deprecated/b.toml', detection('process where true')));
  assert.deepEqual([a.status, a.reason?.code, b.status, b.reason?.code], ['skipped', 'SKIP_DEPRECATED', 'skipped', 'SKIP_DEPRECATED']);
});

test('TOML syntax errors are diagnostics with the parser position', () => {
  const e = loadRuleFile(write('bad/syntax.toml', '[rule]\nname = "x"\nquery = \'\'\'\nprocess where true\n'));
  assert.equal(e.status, 'error');
  assert.equal(e.diagnostics[0]!.code, 'RULE_TOML_SYNTAX');
  assert.deepEqual([e.diagnostics[0]!.line, e.diagnostics[0]!.column], [3, 9]);
});

test('missing query and unknown TOML shapes are positioned errors', () => {
  const a = loadRuleFile(write('bad/noquery.toml', '[metadata]\nmaturity = "production"\n\n[rule]\nname = "x"\nrule_id = "nq"\ntype = "eql"\n'));
  assert.deepEqual([a.status, a.diagnostics[0]!.code, a.diagnostics[0]!.line], ['error', 'RULE_MISSING_FIELD', 4]);
  const b = loadRuleFile(write('bad/other.toml', '[package]\nname = "x"\n'));
  assert.deepEqual([b.status, b.diagnostics[0]!.code], ['error', 'RULE_UNKNOWN_FORMAT']);
});

const artifact = (query: string, id: string, extra = ''): string =>
  `[rule]\ndescription = "behavior"\nid = "${id}"\nlicense = "Elastic License v2"\nname = "Artifact ${id}"\nos_list = ["linux", "macos"]\nversion = "1.0.3"\nquery = '''\n${query}\n'''\n${extra}`;

test('protections-artifacts: actions inside [rule] and at top level, threat, os_list', () => {
  const text =
    artifact('process where process.name == "curl"', 'pa-1', 'min_endpoint_version = "8.0.0"\n[[rule.actions]]\naction = "kill_process"\nfield = "process.entity_id"\nstate = 0\n') +
    '\n[[optional_actions]]\naction = "rollback"\nfield = "process.entity_id"\nstate = 0\n\n[[threat]]\nframework = "MITRE ATT&CK"\n[threat.tactic]\nid = "TA0011"\n\n[internal]\nmin_endpoint_version = "8.0.0"\n';
  const e = loadRuleFile(write('pa/a.toml', text));
  assert.equal(e.status, 'ok', JSON.stringify(e.diagnostics));
  assert.equal(e.format, 'protections-artifacts');
  const m = e.rule!.meta;
  assert.deepEqual([m.id, m.version, m.osList], ['pa-1', '1.0.3', ['linux', 'macos']]);
  assert.deepEqual(m.actions, [
    { action: 'kill_process', field: 'process.entity_id', state: 0 },
    { action: 'rollback', field: 'process.entity_id', state: 0, optional: true },
  ]);
  assert.equal(m.threat.length, 1);
});

test('protections-artifacts: unsupported syntax names the feature at its file position', () => {
  const rows: Array<[string, string, string]> = [
    ['descendant of', 'process where process.name == "sh" and\n  descendant of [process where process.name == "sshd"]', 'descendant of'],
    ['back-reference', 'sequence\n  [process where process.name == "a"] as event0\n  [network where process.pid == event0.process.pid]', 'as event0'],
    ['_arraysearch', 'process where process.name == "a" and\n    _arraysearch(process.args, $entry, $entry == "-e")', '_arraysearch'],
  ];
  for (const [i, [name, query, marker]] of rows.entries()) {
    const text = artifact(query, `pa-unsupported-${i}`);
    const e = loadRuleFile(write(`pa/unsupported-${i}.toml`, text));
    assert.equal(e.status, 'error', name);
    const d = e.diagnostics[0]!;
    assert.equal(d.code, 'EQL_UNSUPPORTED_FEATURE', `${name}: ${d.message}`);
    assert.match(d.message, new RegExp(marker === 'as event0' ? 'as <alias>' : marker));
    assert.deepEqual({ line: d.line, column: d.column }, posOf(text, marker), name);
  }
});

test('.eql files: name from the file, // metadata header, positions are file positions', () => {
  const text = '// name: Netcat exec\n// severity: high\n// tags: a, b\n// os: linux\nprocess where process.name == "nc"\n';
  const e = loadRuleFile(write('eql/netcat_exec.eql', text));
  assert.equal(e.status, 'ok');
  const m = e.rule!.meta;
  assert.deepEqual([m.name, m.severity, m.riskScore, m.tags, m.osList], ['Netcat exec', 'high', 73, ['a', 'b'], ['linux']]);
  const plain = loadRuleFile(write('eql/plain_rule-name.eql', 'process where true'));
  assert.equal(plain.rule!.meta.name, 'plain rule name');
  assert.match(plain.id, /^eql-[0-9a-f]{16}$/);
  const bad = loadRuleFile(write('eql/bad.eql', '// a comment\nprocess where\n  process.name = "x"\n'));
  assert.deepEqual([bad.diagnostics[0]!.line, bad.diagnostics[0]!.column], [3, 16]);
});

test('a bad rule never stops the others; duplicates and unreadable paths are errors', () => {
  write('mix/1-good.toml', detection('process where process.name == "a"').replace(/rule_id = "[^"]+"/, 'rule_id = "same"'));
  write('mix/2-broken.toml', detection('process where ('));
  write('mix/3-dup.toml', detection('process where process.name == "b"').replace(/rule_id = "[^"]+"/, 'rule_id = "same"'));
  write('mix/4-good.eql', 'network where destination.port == 4444');
  write('mix/README.md', 'not a rule');
  write('mix/.hidden/x.toml', 'not toml at all [');
  const r = loadRules([join(root, 'mix'), join(root, 'does-not-exist')]);
  assert.deepEqual(r.rules.map((x) => x.meta.name), ['T', '4 good']);
  assert.deepEqual(
    r.errors.map((x) => x.diagnostics[0]!.code),
    ['RULE_READ_ERROR', 'EQL_SYNTAX', 'RULE_DUPLICATE_ID'],
  );
  assert.equal(r.entries.length, 5);
  const logged: string[] = [];
  loadRules([join(root, 'mix')], { log: (l) => logged.push(l) });
  assert.ok(logged.some((l) => /2-broken\.toml:\d+:\d+: EQL_SYNTAX /.test(l)), logged.join('\n'));
});

test('RuleSet.load skips rules declared for other systems only', () => {
  write('os/linux.toml', detection('process where true'));
  write('os/mac.toml', detection('process where true').replace('"OS: Linux"', '"OS: macOS"'));
  write('os/none.eql', 'process where true');
  const set = RuleSet.load([join(root, 'os')], { os: 'linux' });
  assert.deepEqual(set.rules.map((r) => r.source.file.split('/').pop()), ['linux.toml', 'none.eql']);
  assert.deepEqual(set.skipped.map((s) => s.reason?.code), ['SKIP_OTHER_OS']);
  assert.equal(set.byId(set.rules[1]!.meta.id), set.rules[1]);
  assert.equal(set.byId('no-such-rule'), undefined);
  assert.equal(RuleSet.load([join(root, 'os')], { os: 'macos' }).rules.length, 2);
});
