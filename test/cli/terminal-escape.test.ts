import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import { sampleMatch } from '../alerts/sample-match.js';
import { tempDir } from '../alerts/temp-dir.js';
import { cliPath } from '../helpers/agent-process.js';

/**
 * Issue 19, defect 8: strings from events (process args, host.name) reach people's terminals. An OSC sequence
 * retitles the terminal, CSI 2J clears it, and C1 CSI (U+009B) does the same on terminals that take 8-bit
 * controls, and a right-to-left override (U+202E) makes `red\u202etxt.exe` read as `redexe.txt`. Every
 * human-readable output prints them as visible escapes; JSON output keeps them exactly.
 */
const TITLE = '\u001b]0;pwned\u0007';
const CLEAR = '\u009b2J';
const HOST = `ws${TITLE}01`;
const ARG = `--x=${CLEAR}\u001b[31mred\u202etxt.exe`;
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const tmp = tempDir('escape');
after(tmp.cleanup);
const db = join(tmp.dir, 'alerts.db');
const events = join(tmp.dir, 'events.ndjson');

const vigil = (...args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env: { ...process.env, COLUMNS: '400' } });

function assertEscaped(name: string, text: string): void {
  assert.doesNotMatch(text, RAW, `${name}: a raw control character reached the terminal: ${JSON.stringify(text)}`);
}

before(() => {
  const m = sampleMatch(1);
  const exec = m.events[0]! as Record<string, any>;
  const hostile = { ...exec, host: { ...exec['host'], name: HOST }, process: { ...exec['process'], args: ['python3', ARG], command_line: `python3 ${ARG}` } };
  const store = SqliteAlertStore.open(db);
  store.insert({ ...m, host: { ...m.host, name: HOST }, events: [hostile, m.events[1]!] });
  store.close();
  writeFileSync(events, JSON.stringify(hostile) + '\n');
});

test('hunt --output table escapes process args and host.name', () => {
  const r = vigil('hunt', '--events', events, '--output', 'table', 'process where host.name != null and process.args != null');
  assert.equal(r.status, 0, r.stderr);
  assertEscaped('hunt table', r.stdout + r.stderr);
  assert.match(r.stdout, /ws\\x1b\]0;pwned\\x0701/);
  assert.match(r.stdout, /--x=\\x9b2J\\x1b\[31mred\\u202etxt\.exe/);
  // NDJSON output is exact.
  const json = vigil('hunt', '--events', events, 'process where true');
  assert.equal((JSON.parse(json.stdout) as { _source: { host: { name: string } } })._source.host.name, HOST);
});

test('alerts list, show and query escape; --format json stays exact', () => {
  const list = vigil('alerts', 'list', '--db', db);
  assert.equal(list.status, 0, list.stderr);
  assertEscaped('alerts list', list.stdout);
  assert.match(list.stdout, /ws\\x1b\]0;pwned\\x0701/);
  assert.match(list.stdout, /python3 --x=\\x9b2J/);
  const show = vigil('alerts', 'show', '1', '--db', db);
  assert.equal(show.status, 0, show.stderr);
  assertEscaped('alerts show', show.stdout);
  assert.match(show.stdout, /Host {8}ws\\x1b\]0;pwned\\x0701/);
  // The event JSON inside `show` already escapes C0 (\u001b); C1 is escaped on top.
  assert.match(show.stdout, /--x=\\x9b2J\\u001b\[31mred\\u202etxt\.exe/);
  const query = vigil('alerts', 'query', 'SELECT host_name, events FROM alerts', '--db', db);
  assert.equal(query.status, 0, query.stderr);
  assertEscaped('alerts query', query.stdout);
  assert.match(query.stdout, /ws\\x1b\]0;pwned\\x0701/);
  const json = vigil('alerts', 'list', '--db', db, '--format', 'json');
  const [alert] = JSON.parse(json.stdout) as Array<{ host: { name: string }; events: Array<{ process: { args: string[] } }> }>;
  assert.equal(alert!.host.name, HOST);
  assert.equal(alert!.events[0]!.process.args[1], ARG);
  const shown = JSON.parse(vigil('alerts', 'show', '1', '--db', db, '--format', 'json').stdout) as { host: { name: string } };
  assert.equal(shown.host.name, HOST);
});

test('error messages escape what the user or an event put in them', () => {
  const rows: Array<[string, string[], RegExp]> = [
    ['a missing events file', ['hunt', '--events', join(tmp.dir, `e${TITLE}.ndjson`), 'process where true'], /cannot read .*e\\x1b\]0;pwned\\x07\.ndjson/],
    ['an invalid option value', ['alerts', 'list', '--db', db, '--severity', CLEAR], /argument '\\x9b2J' is invalid/],
    ['a missing database', ['alerts', 'list', '--db', join(tmp.dir, `${CLEAR}.db`)], /no alert database at .*\\x9b2J\.db/],
    ['a missing rule path, logged for a terminal', ['run', '--rules', `/typo${TITLE}`, '--db', db, '--state-dir', tmp.dir, '--log-format', 'human'], /no such rule file or directory: \/typo\\x1b\]0;pwned\\x07/],
  ];
  for (const [name, args, message] of rows) {
    const r = vigil(...args);
    assert.notEqual(r.status, 0, name);
    assertEscaped(name, r.stderr);
    assert.match(r.stderr, message, name);
  }
});

test('hunt: the skipped-events notice escapes the --timestamp-field it names', () => {
  const r = vigil('hunt', '--events', events, '--timestamp-field', `t${TITLE}`, 'process where true');
  assertEscaped('hunt --timestamp-field', r.stderr);
  assert.match(r.stderr, /without a readable t\\x1b\]0;pwned\\x07/);
});
