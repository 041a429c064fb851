import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import { tempDir } from './temp-dir.js';

const tmp = tempDir('crash');
after(tmp.cleanup);
const writer = fileURLToPath(new URL('./burst-writer.js', import.meta.url));

/** Runs the burst writer until it has reported `target` committed ids, then SIGKILLs it. */
async function burstThenKill(path: string, batch: number, target: number, reader: () => void): Promise<number[]> {
  const child = spawn(process.execPath, [writer, path, String(batch)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ids: number[] = [];
  let pending = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setInterval(reader, 5);
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        pending += d.toString();
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const l of lines) ids.push(Number(l));
        if (ids.length >= target && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${code}: ${stderr}`))));
    });
  } finally {
    clearInterval(timer);
  }
  // Lines still in the pipe when the child died were committed too; read what arrived.
  for (const l of pending.split('\n')) if (l !== '') ids.push(Number(l));
  return ids;
}

for (const batch of [1, 8]) {
  test(`kill -9 during a burst (batch ${batch}) loses no reported alert; integrity_check ok; a concurrent reader never blocked it`, async () => {
    const path = join(tmp.dir, `burst-${batch}.db`);
    SqliteAlertStore.open(path).close();
    const watcher = new Database(path, { readonly: true });
    let reads = 0;
    let maxSeen = 0;
    const ids = await burstThenKill(path, batch, 400, () => {
      // A reader holding a transaction across ticks, like `vigil alerts` or `vigil notify` would.
      watcher.exec('BEGIN');
      maxSeen = Math.max(maxSeen, (watcher.prepare('SELECT count(*) AS n FROM alerts').get() as { n: number }).n);
      reads++;
      watcher.exec('COMMIT');
    });
    watcher.close();
    assert.ok(ids.length >= 400, `only ${ids.length} ids reported`);
    const db = new Database(path);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const present = new Set((db.prepare('SELECT id FROM alerts').all() as { id: number }[]).map((r) => r.id));
    const lost = ids.filter((id) => !present.has(id));
    assert.deepEqual(lost, [], `${lost.length} committed alerts lost`);
    assert.ok(present.size >= ids.length);
    db.close();
    assert.ok(reads > 0 && maxSeen > 0, `reader ran ${reads} times, saw up to ${maxSeen}`);
  });
}
