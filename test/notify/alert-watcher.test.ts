import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Alert } from '../../src/alerts/alert.js';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import { AlertWatcher } from '../../src/notify/alert-watcher.js';
import { sampleMatch } from '../alerts/sample-match.js';
import { tempDir } from '../alerts/temp-dir.js';

const tmp = tempDir('watch');
after(tmp.cleanup);

test('the watcher starts at the newest alert, then hands over each new alert once, in order', () => {
  const path = join(tmp.dir, 'a.db');
  const store = SqliteAlertStore.open(path);
  store.insert(sampleMatch(1));
  store.insert(sampleMatch(2));
  const seen: Alert[] = [];
  const watcher = new AlertWatcher(path, (a) => seen.push(...a), { intervalMs: 60_000, batchLimit: 2 });
  watcher.start();
  assert.equal(watcher.poll(), 0, 'history is not replayed');
  const ids = [3, 4, 5].map((n) => store.insert(sampleMatch(n)).id);
  store.insert(sampleMatch(3)); // a duplicate: not a new alert
  assert.equal(watcher.poll(), 2, 'batch limit');
  assert.equal(watcher.poll(), 1, 'the rest on the next poll');
  assert.equal(watcher.poll(), 0);
  assert.deepEqual(seen.map((a) => a.id), ids);
  assert.equal(seen[0]!.events.length, 2);
  assert.equal(watcher.stats().cursor, ids[2]);
  watcher.stop();
  store.close();
});

test('the watcher waits for a database that does not exist yet, then hands over everything in it', () => {
  const path = join(tmp.dir, 'later', 'alerts.db');
  const seen: Alert[] = [];
  const logs: string[] = [];
  const watcher = new AlertWatcher(path, (a) => seen.push(...a), { intervalMs: 60_000, log: (_l, m) => logs.push(m) });
  watcher.start();
  assert.equal(watcher.poll(), 0);
  assert.equal(watcher.stats().opened, false);
  const store = SqliteAlertStore.open(path);
  store.insert(sampleMatch(1));
  assert.equal(watcher.poll(), 1);
  assert.equal(watcher.stats().opened, true);
  assert.deepEqual(logs, ['waiting for the alert database to appear', 'watching the alert database']);
  watcher.stop();
  store.close();
});

test('the watcher never writes: the database file is opened read-only', () => {
  const path = join(tmp.dir, 'ro.db');
  const store = SqliteAlertStore.open(path);
  store.insert(sampleMatch(1));
  const before = store.database.pragma('data_version', { simple: true });
  const watcher = new AlertWatcher(path, () => {}, { intervalMs: 60_000 });
  watcher.start();
  watcher.poll();
  watcher.stop();
  // data_version changes for this connection only when another connection commits.
  assert.equal(store.database.pragma('data_version', { simple: true }), before);
  store.close();
});
