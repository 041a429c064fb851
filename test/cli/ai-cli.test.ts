import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath } from '../helpers/agent-process.js';
import { tempDir } from '../alerts/temp-dir.js';
import { journalOf, normalize, scenario } from '../journal/journal-scenario.js';

function vigil(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, COLUMNS: '100' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('vigil ai sessions | show: table, json, tree, html to a file; usage errors exit 2, a missing journal 1', () => {
  const tmp = tempDir('ai-cli');
  try {
    journalOf(tmp.dir, normalize(scenario()));
    const db = join(tmp.dir, 'alerts.db');
    const table = vigil(['ai', 'sessions', '--db', db]);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+AGENT\s+START \(UTC\)/);
    assert.match(table.stdout, /\n1\s+claude_code\s/);
    assert.ok(!table.stdout.includes('\u001b'), 'the hostile command line is escaped');
    const json = JSON.parse(vigil(['ai', 'sessions', '--db', db, '--format', 'json', '--agent', 'claude_code']).stdout) as Array<{ id: number; processes: number }>;
    assert.deepEqual(json.map((s) => [s.id, s.processes]), [[1, 4]]);
    assert.equal(vigil(['ai', 'sessions', '--db', db, '--agent', 'codex']).stdout, 'no AI-agent sessions\n');
    const tree = vigil(['ai', 'show', '1', '--db', db]);
    assert.equal(tree.status, 0, tree.stderr);
    assert.match(tree.stdout, /└── python3 fetch\.py {2}\[pid 14, exit 1\]/);
    const html = join(tmp.dir, 's.html');
    assert.equal(vigil(['ai', 'show', '1', '--db', db, '--format', 'html', '--output', html]).status, 0);
    assert.match(readFileSync(html, 'utf8'), /^<!DOCTYPE html>/);
    assert.equal(statSync(html).mode & 0o777, 0o600);
    assert.equal(vigil(['ai', 'show', '1', '--db', join(tmp.dir, 'alerts-ai.db'), '--format', 'json']).status, 0, 'the journal path itself is accepted');
    for (const bad of [['ai', 'show', '1', '--db', db, '--format', 'xml'], ['ai', 'show', 'x1', '--db', db], ['ai', 'sessions', '--db', db, '--limit', '0'], ['ai', 'sessions', '--db', db, '--since', 'yesterday']]) {
      assert.equal(vigil(bad).status, 2, bad.join(' '));
    }
    const missing = vigil(['ai', 'show', '9', '--db', db]);
    assert.deepEqual([missing.status, missing.stderr], [1, 'vigil ai show: no such session: 9\n']);
    const none = vigil(['ai', 'sessions', '--db', join(tmp.dir, 'other', 'alerts.db')]);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /^vigil ai sessions: no activity journal at .*other\/alerts-ai\.db/);
  } finally {
    tmp.cleanup();
  }
});
