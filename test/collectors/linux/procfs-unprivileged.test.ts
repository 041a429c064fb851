import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { RawEvent } from '../../../src/collectors/raw-event.js';
import { firstLine, PY_CLIENT, PY_SERVER, PYTHON, startChild } from './procfs-test-helpers.js';
import { unprivilegedPaths } from '../../helpers/unprivileged-install.js';

// Runs as nobody: starts the procfs collector, makes one connection of its own, prints events and stats.
// The collector module is imported from a package nobody can reach (a copy when the checkout is under a 0700
// directory, as in CI).
const script = (collectorModule: string) => `
import { spawn } from 'node:child_process';
import { ProcfsCollector } from ${JSON.stringify(collectorModule)};
const [port] = process.argv.slice(1);
const events = [];
const c = new ProcfsCollector({ intervalMs: 50 });
await c.start((e) => events.push(e));
const client = spawn(${JSON.stringify(PYTHON)}, ['-c', ${JSON.stringify(PY_CLIENT)}, '127.0.0.1', port], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((r) => client.stdout.once('data', r));
await new Promise((r) => setTimeout(r, 400));
const stats = c.stats();
await c.stop();
client.kill('SIGKILL');
process.stdout.write(JSON.stringify({ uid: process.getuid(), clientPid: client.pid, events, stats }));
`;

const whyNot = process.getuid?.() !== 0 ? 'needs root to drop to nobody' : spawnSync('setpriv', ['--version']).status !== 0 ? 'setpriv missing' : false;

test('procfs works unprivileged (as nobody): sees all processes, its own sockets, and counts what it cannot attribute', { skip: whyNot }, async (t) => {
  const sleeper = startChild('sleep', ['30']); // root's
  t.after(sleeper.dispose);
  const server = startChild(PYTHON, ['-c', PY_SERVER, '127.0.0.1']); // root's listener
  t.after(server.dispose);
  const port = await firstLine(server.child);
  const nobody = unprivilegedPaths();
  const collectorModule = nobody.distSrc('collectors', 'linux', 'procfs-collector.js');
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', script(collectorModule), port], { encoding: 'utf8', timeout: 20000, cwd: nobody.root });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { uid: number; clientPid: number; events: RawEvent[]; stats: Record<string, number> };
  assert.equal(out.uid, 65534);
  // root's sleep: visible, with argv from cmdline, but its executable link is root's secret
  const snap = out.events.find((e) => e.kind === 'snapshot' && e.process.pid === sleeper.pid);
  assert.ok(snap, 'root process seen as already_running');
  assert.deepEqual(snap.process.args, ['sleep', '30']);
  assert.equal(snap.process.comm, 'sleep');
  assert.equal(snap.process.executable, undefined);
  // its own client's connection is attributed
  const conn = out.events.find((e) => e.kind === 'connect' && e.process.pid === out.clientPid);
  assert.ok(conn && conn.kind === 'connect', 'own connection attributed');
  assert.equal(conn.destination.port, Number(port));
  // root's server accepted it, but nobody cannot read root's fds: counted, never attributed to a wrong pid
  assert.ok(!out.events.some((e) => e.kind === 'accept' && e.process.pid !== server.pid));
  assert.ok(out.stats['unattributed']! >= 1, `unattributed ${out.stats['unattributed']}`);
  assert.equal(out.stats['missed'], out.stats['forks']! - out.stats['seen']!);
});
