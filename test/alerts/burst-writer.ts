/**
 * Test child (not a test): inserts alerts into the database at argv[2] as fast as it can and reports each
 * committed id on stdout (a synchronous write after `insert` returned), until it is killed.
 */
import { writeSync } from 'node:fs';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import { sampleMatch } from './sample-match.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: burst-writer DB');
const batch = Number(process.argv[3] ?? '1');
const store = SqliteAlertStore.open(path);
for (let n = 0; ; n += batch) {
  const matches = Array.from({ length: batch }, (_, i) => sampleMatch(n + i));
  const ids = batch === 1 ? [store.insert(matches[0]!).id] : store.insertMany(matches).map((r) => r.id);
  writeSync(1, ids.join('\n') + '\n');
}
