import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import { sampleMatch } from './sample-match.js';
import { tempDir } from './temp-dir.js';
import { unprivilegedPaths } from '../helpers/unprivileged-install.js';

const tmp = tempDir('svc');
after(tmp.cleanup);

function nobodyIds(): { uid: number; gid: number } | null {
  const r = spawnSync('id', ['nobody'], { encoding: 'utf8' });
  const uid = /uid=(\d+)/.exec(r.stdout)?.[1];
  const gid = /gid=(\d+)/.exec(r.stdout)?.[1];
  return uid !== undefined && gid !== undefined ? { uid: Number(uid), gid: Number(gid) } : null;
}

const ids = nobodyIds();
const skip =
  process.getuid?.() !== 0 ? 'needs root (to read as another user)'
  : ids === null ? 'no user nobody'
  : spawnSync('sh', ['-c', 'command -v runuser']).status !== 0 ? 'runuser not installed'
  : false;

test('another user in the file\'s group reads the service database (0640) read-only, but cannot change it', { skip }, () => {
  chmodSync(tmp.dir, 0o755);
  const path = join(tmp.dir, 'alerts.db');
  const store = SqliteAlertStore.open(path, { fileMode: 0o640 });
  const { id } = store.insert(sampleMatch(1));
  store.close();
  // After close the file is out of WAL mode: no -wal / -shm that the reader would have to create.
  assert.equal(existsSync(path + '-wal'), false);
  assert.equal(existsSync(path + '-shm'), false);
  chownSync(path, 0, ids!.gid);
  // nobody runs a package it can reach (a copy when the checkout is under a 0700 directory, as in CI).
  const { root, cli } = unprivilegedPaths();
  const asNobody = (...args: string[]) => spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, cli, ...args], { encoding: 'utf8', cwd: root });
  const list = asNobody('alerts', 'list', '--db', path, '--format', 'json');
  assert.equal(list.status, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout) as Array<{ id: number }>).map((a) => a.id), [id]);
  const ack = asNobody('alerts', 'ack', String(id), '--db', path);
  assert.equal(ack.status, 1);
  assert.match(ack.stderr, /permission denied: uid \d+ may not write the alert database/);
  // The writer reopens it in WAL mode and the alert is still open.
  const again = SqliteAlertStore.open(path);
  assert.equal(again.get(id)!.state, 'open');
  assert.equal(again.database.pragma('journal_mode', { simple: true }), 'wal');
  again.close();
});
