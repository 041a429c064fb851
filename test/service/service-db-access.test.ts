import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unprivilegedPaths } from '../helpers/unprivileged-install.js';

const GID = 65534; // stands in for the `vigil` group

const skip = process.platform !== 'linux' || process.geteuid?.() !== 0 ? 'needs Linux and root (to play the service and a group member)' : false;

/**
 * What the unit sets up (root uid, Group=vigil, UMask=0027, StateDirectoryMode=0750), played for real: the agent
 * writes the alert database with the store's service mode (0640) while a member of the group, not root, reads
 * it read-only (as `vigil notify` and `vigil alerts` do) and a user outside the group cannot.
 */
test('the service database is readable by the group while the agent writes, and by no one else', { skip, timeout: 60_000 }, async () => {
  const base = mkdtempSync(join(tmpdir(), 'vigil-svcdb-'));
  chmodSync(base, 0o755);
  const state = join(base, 'state');
  mkdirSync(state, { mode: 0o750 });
  chownSync(state, 0, GID);
  chmodSync(state, 0o750);
  const db = join(state, 'alerts.db');
  // Writer and readers import the store from a package uid 65534 can reach (a copy when the checkout is under a
  // 0700 directory, as in CI), so that only the database's own modes decide who reads it.
  const nobody = unprivilegedPaths();
  const openDb = pathToFileURL(nobody.distSrc('alerts', 'open-database.js')).href;
  writeFileSync(join(base, 'writer.mjs'), `
import { openDatabase } from ${JSON.stringify(openDb)};
process.umask(0o027);
const db = openDatabase(process.argv[2], { fileMode: 0o640 });
db.exec('create table t(x)');
db.prepare('insert into t values (1)').run();
process.stdout.write('ready\\n');
process.stdin.once('data', () => { db.prepare('insert into t values (2)').run(); process.stdout.write('wrote\\n'); });
process.stdin.once('end', () => db.close());
`);
  writeFileSync(join(base, 'reader.mjs'), `
import { openDatabase } from ${JSON.stringify(openDb)};
const db = openDatabase(process.argv[2], { readonly: true });
process.stdout.write(String(db.prepare('select count(*) as c from t').get().c));
`);
  const writer = spawn('setpriv', [`--regid=${GID}`, '--clear-groups', process.execPath, join(base, 'writer.mjs'), db], { stdio: ['pipe', 'pipe', 'inherit'], cwd: nobody.root });
  try {
    await once(writer.stdout!, 'data');
    for (const f of ['alerts.db', 'alerts.db-wal', 'alerts.db-shm']) {
      const st = statSync(join(state, f));
      assert.equal(st.mode & 0o777, 0o640, f);
      assert.equal(st.gid, GID, f);
    }
    const read = (groups: string[]) =>
      spawnSync('setpriv', ['--reuid=65534', `--regid=${GID}`, ...groups, process.execPath, join(base, 'reader.mjs'), db], { encoding: 'utf8', cwd: nobody.root });
    const member = read(['--clear-groups']);
    assert.equal(member.status, 0, member.stderr);
    assert.equal(member.stdout, '1');
    writer.stdin!.write('go\n');
    await once(writer.stdout!, 'data');
    assert.equal(read(['--clear-groups']).stdout, '2', 'a live reader sees new alerts');
    const outsider = spawnSync('setpriv', ['--reuid=65534', '--regid=65533', '--clear-groups', process.execPath, join(base, 'reader.mjs'), db], { encoding: 'utf8', cwd: nobody.root });
    assert.notEqual(outsider.status, 0);
    assert.match(outsider.stderr, /ALERTS_DB|EACCES|unable to open|permission/i);
  } finally {
    writer.stdin!.end();
    await once(writer, 'exit');
    rmSync(base, { recursive: true, force: true });
  }
});
