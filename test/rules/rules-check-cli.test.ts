import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledRulesDir, cliPath } from './project-paths.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function vigil(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, 'rules', 'check', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('vigil rules check: with no path it checks the bundled rules, text, exit 0', () => {
  const r = vigil('--os', 'linux');
  assert.equal(r.code, 0, r.stderr);
  const n = readdirSync(bundledRulesDir).filter((f) => f.endsWith('.toml')).length;
  assert.match(r.stdout, new RegExp(`^${n} rule files: ${n} ok, 0 error, 0 skipped$`, 'm'));
  assert.match(r.stdout, /^ok {6}.*GenAI Process Performing Encoding\/Chunking Prior to Network Activity {2}\[can fire on linux\]$/m);
});

test('vigil rules check --format json: contract shape, positions in the file, exit 1 on error', () => {
  writeFileSync(join(dir, 'good.eql'), '// name: Good\nprocess where process.name == "nc"\n');
  writeFileSync(join(dir, 'bad.eql'), 'process where\n  process.name = "nc"\n');
  writeFileSync(join(dir, 'files.eql'), '// os: linux\nfile where file.path == "/etc/shadow" and file.owner_sid == "S-1-5-18"\n');
  writeFileSync(join(dir, 'kql.toml'), '[metadata]\nmaturity = "production"\n[rule]\nname = "K"\nrule_id = "k"\ntype = "query"\nquery = "a:b"\n');
  const r = vigil('--format', 'json', '--os', 'linux', dir);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { rules: Array<Record<string, unknown>>; summary: Record<string, unknown> };
  assert.deepEqual(Object.keys(out), ['rules', 'summary']);
  for (const row of out.rules) assert.deepEqual(Object.keys(row), ['file', 'name', 'rule_id', 'status', 'diagnostics', 'coverage']);
  const by = Object.fromEntries(out.rules.map((x) => [String(x['file']).split('/').pop(), x]));
  assert.equal(by['bad.eql']!['status'], 'error');
  assert.deepEqual(by['bad.eql']!['diagnostics'], [
    { code: 'EQL_SYNTAX', message: (by['bad.eql']!['diagnostics'] as Array<{ message: string }>)[0]!.message, file: join(dir, 'bad.eql'), line: 2, column: 16 },
  ]);
  assert.equal(by['kql.toml']!['status'], 'skipped');
  assert.equal((by['kql.toml']!['diagnostics'] as Array<{ code: string }>)[0]!.code, 'SKIP_RULE_TYPE');
  const files = by['files.eql']!['coverage'] as Record<string, unknown>;
  assert.equal(files['can_fire'], false);
  assert.deepEqual(files['missing_categories'], []);
  assert.deepEqual(files['missing_fields'], ['file.owner_sid']);
  assert.equal((by['good.eql']!['coverage'] as Record<string, unknown>)['can_fire'], true);
  const s = out.summary;
  assert.deepEqual([s['rules'], s['ok'], s['error'], s['skipped'], s['compiles'], s['can_fire'], s['cannot_fire']], [4, 2, 1, 1, 2, 1, 1]);
  assert.deepEqual(s['top_missing_fields'], [{ field: 'file.owner_sid', rules: 1 }]);
});

test('vigil rules check: --os macos marks linux-only rules as declared for other systems', () => {
  const r = vigil('--format', 'json', '--os', 'macos', join(dir, 'files.eql'));
  const out = JSON.parse(r.stdout) as { rules: Array<{ coverage: { os: string; targets_os: boolean } }>; summary: { other_os: number } };
  assert.deepEqual([out.rules[0]!.coverage.os, out.rules[0]!.coverage.targets_os, out.summary.other_os], ['macos', false, 1]);
});

test('vigil rules check: an unknown --format is a usage error', () => {
  const r = vigil('--format', 'yaml');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /yaml/);
});
