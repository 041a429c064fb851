import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteAlertStore } from '../../src/alerts/sqlite-alert-store.js';
import { EbpfCollector } from '../../src/collectors/linux/ebpf-collector.js';
import { startMarkerAgent } from '../helpers/marker-agent.js';
import { sampleMatch } from '../alerts/sample-match.js';

/** Issue 19 defect 5: a store fault (disk full, a lock held, the file deleted or replaced) loses no alert. */
const cannotLoad = await EbpfCollector.probe();
const skip = cannotLoad ?? false;
const MARKER = 'vigil-store-fault-marker';

test('issue 19 #5: disk full (tmpfs) loses none of 100 alerts: spooled in the state dir, replayed once space is back; status keeps updating', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-diskfull-'));
  const dbDir = join(dir, 'tmpfs');
  mkdirSync(dbDir, { mode: 0o700 });
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', dbDir], { encoding: 'utf8' });
  assert.equal(mount.status, 0, mount.stderr);
  const alertLog = join(dir, 'logs', 'alerts.ndjson');
  const m = await startMarkerAgent(dir, MARKER, { dbDir, extraConfig: `[outputs]\nalerts_ndjson = ${JSON.stringify(alertLog)}\n`, storageConfig: 'down_alert_after_s = 2\n' }).catch((err: unknown) => {
    // The tmpfs is unmounted even when the agent never started.
    spawnSync('umount', [dbDir]);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  try {
    await m.fire(5, 'before');
    assert.ok(await m.until(() => m.stored('before') === 5, 10000), 'the first 5 alerts are stored');
    // Fill the file system.
    spawnSync('dd', ['if=/dev/zero', `of=${join(dbDir, 'filler')}`, 'bs=4k'], { encoding: 'utf8' });
    await m.fire(100, 'full');
    assert.ok(await m.until(() => (m.status()['alertStore']?.['spooled'] ?? 0) >= 100, 15000), `spooled: ${JSON.stringify(m.status()['alertStore'])}`);
    const down = m.status();
    assert.ok(down['alertStore']['failures'] >= 1);
    assert.equal(down['alertStore']['lost'], 0);
    assert.equal(down['stages']['alerts']['dropped'], 0, 'store failures are not counted as duplicates');
    assert.equal(m.stored('full'), 0);
    const updated = Date.parse(down['updated']);
    assert.ok(await m.until(() => Date.parse(m.status()['updated']) > updated, 5000), 'status.json keeps updating while the disk is full');
    // Down for more than 2 s: a store-down health alert, notified (here: the alert log) before it can be stored.
    const healthLogged = (): boolean => existsSync(alertLog) && readFileSync(alertLog, 'utf8').includes('vigil-health:store-down');
    assert.ok(await m.until(healthLogged, 10000), 'the store-down health alert reached the sinks while the store was down');
    unlinkSync(join(dbDir, 'filler'));
    assert.ok(await m.until(() => m.stored('full') === 100, 20000), `after space is back: ${m.stored('full')} of 100 stored`);
    assert.ok(await m.until(() => m.status()['alertStore']['replayed'] >= 100, 5000));
    assert.equal(existsSync(join(m.stateDir, 'alert-spool.ndjson')), false, 'the spool is cleared');
    assert.ok(await m.until(() => m.stored('vigil-health:store-down', 'rule') >= 1, 5000), 'the health alert is stored once the store is back');
  } finally {
    await m.agent.stop();
    spawnSync('umount', [dbDir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('issue 19 #5: a second connection holding BEGIN IMMEDIATE for 10 s neither loses an alert nor freezes the agent', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-lock-'));
  const m = await startMarkerAgent(dir, MARKER);
  const holder = new Database(m.db);
  try {
    holder.prepare('BEGIN IMMEDIATE').run();
    const lockedAt = Date.now();
    await m.fire(20, 'locked');
    // The agent keeps running: status.json is rewritten every second while the lock is held.
    const writes = new Set<string>();
    while (Date.now() - lockedAt < 10_000) {
      try {
        writes.add(m.status()['updated'] as string);
      } catch {
        /* between writes */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(writes.size >= 6, `status.json written ${writes.size} times during the 10 s lock`);
    const during = m.status();
    assert.ok(during['alertStore']['failures'] >= 1, 'the lock was noticed');
    assert.equal(during['alertStore']['lost'], 0);
    holder.prepare('COMMIT').run();
    assert.ok(await m.until(() => m.stored('locked') === 20, 15000), `${m.stored('locked')} of 20 stored after the lock`);
    // Committed first, logged (and notified) after: the log lines follow the rows.
    assert.ok(await m.until(() => m.agent.logs.filter((l) => typeof l['alert_id'] === 'number').length >= 20, 5000), 'every stored alert is logged');
  } finally {
    if (holder.inTransaction) holder.prepare('ROLLBACK').run();
    holder.close();
    await m.agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('issue 19 #5: the database deleted while running: the agent notices, recreates it with every alert, and stores the next ones there', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-deleted-'));
  const m = await startMarkerAgent(dir, MARKER);
  try {
    await m.fire(10, 'first');
    assert.ok(await m.until(() => m.stored('first') === 10, 10000));
    for (const f of [m.db, m.db + '-wal', m.db + '-shm']) rmSync(f, { force: true });
    await m.fire(20, 'second');
    assert.ok(await m.until(() => existsSync(m.db) && m.stored('second') === 20, 15000), 'the 20 alerts after the deletion are in the file at the path');
    assert.equal(m.stored('first'), 10, 'the alerts stored before the deletion are kept');
    assert.ok(await m.until(() => m.status()['alertStore']['recoveries'] >= 1, 3000));
    assert.equal(statSync(m.db).mode & 0o777, 0o600);
  } finally {
    await m.agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('issue 19 #5: the database replaced by mv: the agent reopens the new file and merges its own alerts into it', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-replaced-'));
  const m = await startMarkerAgent(dir, MARKER);
  try {
    await m.fire(5, 'mine');
    assert.ok(await m.until(() => m.stored('mine') === 5, 10000));
    const other = join(dir, 'other', 'alerts.db');
    const s = SqliteAlertStore.open(other);
    s.insert(sampleMatch(1));
    s.close();
    renameSync(other, m.db);
    // The agent notices within a second even with nothing to write.
    assert.ok(await m.until(() => m.status()['alertStore']['recoveries'] >= 1, 5000), 'the replacement was noticed');
    await m.fire(5, 'after');
    assert.ok(await m.until(() => m.stored('after') === 5, 15000), `${m.stored('after')} of 5 alerts after the replacement in the file at the path`);
    assert.equal(m.stored('mine'), 5, "the agent's earlier alerts are in the file readers see");
    assert.equal(m.stored(), 11, "plus the replacement's own alert");
  } finally {
    await m.agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
