import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../alerts/temp-dir.js';
import { cliPath } from '../helpers/agent-process.js';

const tmp = tempDir('usage');
after(tmp.cleanup);
const db = join(tmp.dir, 'alerts.db');
const state = join(tmp.dir, 'state');

/**
 * Every usage error of every command exits 2 with the reason on stderr and nothing on stdout: commander's
 * choices/argParser for option values, UsageError for what an action finds (ids, queries, rule paths).
 */
const rows: Array<[string[], RegExp]> = [
  [['bogus'], /unknown command 'bogus'/],
  [['alerts', 'bogus'], /unknown command 'bogus'/],
  [['run', '--bogus'], /unknown option '--bogus'/],
  [['run', '--backend', 'ebfp'], /'--backend <name>' argument 'ebfp' is invalid\. Allowed choices are auto, ebpf/],
  [['run', '--log-format', 'xml'], /'--log-format <format>' argument 'xml' is invalid/],
  [['run', '--rules', '/typo', '--db', db, '--state-dir', state, '--log-format', 'json'], /no such rule file or directory: \/typo/],
  [['run', '--replay', join(tmp.dir, 'missing.ndjson'), '--db', db, '--state-dir', state, '--log-format', 'json'], /cannot read .*missing\.ndjson/],
  [['run', '--config', join(tmp.dir, 'nope.toml')], /cannot read config/],
  [['hunt'], /missing required argument 'query'/],
  [['hunt', 'process where ='], /EQL_SYNTAX/],
  [['hunt', '--output', 'csv', 'process where true'], /'--output <format>' argument 'csv' is invalid\. Allowed choices are ndjson, table/],
  [['hunt', '--size', '-1', 'process where true'], /'--size <n>' argument '-1' is invalid\. expected an integer >= 0/],
  [['hunt', '--size', 'ten', 'process where true'], /'--size <n>' argument 'ten' is invalid/],
  [['hunt', '--max-samples-per-key', '1.5', 'process where true'], /'--max-samples-per-key <n>' argument '1\.5' is invalid/],
  [['collect', '--backend', 'ebfp'], /'--backend <name>' argument 'ebfp' is invalid/],
  [['collect', '--duration', '0'], /'--duration <seconds>' argument '0' is invalid\. expected a positive number/],
  [['collect', '--output', 'csv'], /'--output <format>' argument 'csv' is invalid/],
  [['collect', '--poll-ms', 'fast'], /'--poll-ms <ms>' argument 'fast' is invalid/],
  [['rules', 'check', '--format', 'yaml'], /'--format <format>' argument 'yaml' is invalid/],
  [['rules', 'check', '--os', 'plan9'], /'--os <os>' argument 'plan9' is invalid/],
  [['alerts', 'list', '--db', db, '--severity', 'hihg'], /'--severity <s>' argument 'hihg' is invalid\. Allowed choices are low, medium, high, critical/],
  [['alerts', 'list', '--db', db, '--state', 'gone'], /'--state <s>' argument 'gone' is invalid/],
  [['alerts', 'list', '--db', db, '--limit', '0'], /'--limit <n>' argument '0' is invalid\. expected a positive integer/],
  [['alerts', 'list', '--db', db, '--since', 'yesterday'], /'--since <time>' argument 'yesterday' is invalid\. --since: cannot read/],
  [['alerts', 'list', '--db', db, '--format', 'csv'], /'--format <f>' argument 'csv' is invalid/],
  [['alerts', 'show', '--db', db], /missing required argument 'id'/],
  [['alerts', 'show', 'abc', '--db', db], /not an alert id: "abc"/],
  [['alerts', 'show', '1', '--db', db, '--format', 'yaml'], /'--format <f>' argument 'yaml' is invalid/],
  [['alerts', 'ack', '--db', db], /missing required argument 'ids'/],
  [['alerts', 'ack', 'x1', '--db', db], /not an alert id: "x1"/],
  [['alerts', 'close', '-3', '--db', db], /not an alert id: "-3"/],
  [['alerts', 'export', '--db', db, '--format', 'json'], /'--format <f>' argument 'json' is invalid\. Allowed choices are ndjson/],
  [['alerts', 'export', '--db', db, '--limit', 'all'], /'--limit <n>' argument 'all' is invalid/],
  [['alerts', 'query', '--db', db], /missing required argument 'sql'/],
  [['alerts', 'query', 'SELECT 1', '--db', db, '--format', 'csv'], /'--format <f>' argument 'csv' is invalid/],
  [['alerts', 'hunt', '--db', db, 'network where bogus('], /line 1, column \d+/],
  [['notify', '--interval-ms', '0'], /'--interval-ms <ms>' argument '0' is invalid/],
  [['notify', '--burst', 'lots'], /'--burst <n>' argument 'lots' is invalid/],
  [['install', '--platform', 'plan9'], /'--platform <platform>' argument 'plan9' is invalid\. Allowed choices are linux, macos, windows/],
  [['install', '--notifier', 'pager'], /'--notifier <kind>' argument 'pager' is invalid/],
  [['uninstall', '--platform', 'beos'], /'--platform <platform>' argument 'beos' is invalid/],
  [['status', '--format', 'yaml'], /'--format <format>' argument 'yaml' is invalid/],
  [['doctor', '--format', 'yaml'], /'--format <format>' argument 'yaml' is invalid/],
];

for (const [args, message] of rows) {
  test(`vigil ${args.map((a) => a.replace(tmp.dir, '$TMP')).join(' ')}: usage error, exit 2`, () => {
    const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', input: '', timeout: 60_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
    assert.doesNotMatch(r.stderr, /"message":"ready/, 'nothing started');
  });
}
