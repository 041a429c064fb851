import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import { cliPath } from '../helpers/agent-process.js';
import { unprivilegedPaths } from '../helpers/unprivileged-install.js';
import { sampleMatch } from './sample-match.js';
import { tempDir } from './temp-dir.js';

const tmp = tempDir('export');
after(tmp.cleanup);
const db = join(tmp.dir, 'alerts.db');
const TOTAL = 1005;

const vigil = (...args: string[]) => spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

before(() => {
  const store = SqliteAlertStore.open(db, { synchronous: 'normal', pruneEvery: 0 });
  store.insertMany(Array.from({ length: TOTAL }, (_, i) => sampleMatch(i + 1)));
  store.close();
});

test(`alerts export writes every alert (${TOTAL}), oldest first, past the list default of 1000`, () => {
  const r = vigil('alerts', 'export', '--db', db);
  assert.equal(r.status, 0, r.stderr);
  const docs = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { event: { kind: string }; '@timestamp': string });
  assert.equal(docs.length, TOTAL);
  assert.ok(docs.every((d) => d.event.kind === 'alert'));
  const times = docs.map((d) => Date.parse(d['@timestamp']));
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first');
  // An explicit --limit still caps it, and a closed pipe ends it quietly.
  assert.equal(vigil('alerts', 'export', '--db', db, '--limit', '7').stdout.trimEnd().split('\n').length, 7);
  const head = spawnSync('bash', ['-c', `"${process.execPath}" "${cliPath}" alerts export --db "${db}" | head -c 100 >/dev/null; echo \${PIPESTATUS[0]}`], { encoding: 'utf8' });
  assert.equal(head.stdout.trim(), '0', head.stderr);
});

test('alerts list says when it shows fewer than match, on stderr (the JSON stays one array)', () => {
  const table = vigil('alerts', 'list', '--db', db);
  assert.equal(table.status, 0, table.stderr);
  assert.equal(table.stdout.trimEnd().split('\n').length, 1 + 1000);
  assert.match(table.stderr, /^showing 1000 of 1005 alerts \(the newest\); --limit N shows more$/m);
  const json = vigil('alerts', 'list', '--db', db, '--format', 'json', '--limit', '3');
  assert.equal((JSON.parse(json.stdout) as unknown[]).length, 3);
  assert.match(json.stderr, /showing 3 of 1005 alerts/);
  const all = vigil('alerts', 'list', '--db', db, '--limit', '2000', '--format', 'json');
  assert.equal((JSON.parse(all.stdout) as unknown[]).length, TOTAL);
  assert.equal(all.stderr, '', 'nothing to say when everything is shown');
  const help = vigil('alerts', 'list', '--help');
  assert.match(help.stdout, /--limit <n> +at most this many alerts, newest first \(default: 1000\)/);
});

test('alerts hunt reads every stored alert, not the newest 1000', () => {
  const r = vigil('alerts', 'hunt', '--db', db, 'network where destination.port == 443');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split('\n').length, TOTAL);
});

test('a database the user may not read is reported as permission denied, not as missing', { skip: process.getuid?.() !== 0 && 'needs root to run as nobody' }, () => {
  const locked = join(tmp.dir, 'locked');
  mkdirSync(locked, { mode: 0o700 });
  const inner = join(locked, 'alerts.db');
  SqliteAlertStore.open(inner).close();
  chmodSync(tmp.dir, 0o755); // nobody may reach `locked`, not enter it
  const { cli } = unprivilegedPaths();
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cli, 'alerts', 'list', '--db', inner], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /permission denied: uid 65534 may not read the alert database .*locked\/alerts\.db/);
  assert.doesNotMatch(r.stderr, /no alert database/);
});
