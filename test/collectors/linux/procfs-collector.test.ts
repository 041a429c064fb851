import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ProcfsCollector } from '../../../src/collectors/linux/procfs-collector.js';
import { readHostIdentity } from '../../../src/collectors/host-identity.js';
import type { RawEvent } from '../../../src/collectors/raw-event.js';
import { EventLog, firstLine, NODE_CLIENT, PY_CLIENT, PY_SERVER, PYTHON, startChild, startTicksOf } from './procfs-test-helpers.js';

const host = readHostIdentity('linux');

test('procfs: a process running before start is reported already_running with /proc start ticks as startKey', async (t) => {
  const sleeper = startChild('sleep', ['30']);
  t.after(sleeper.dispose);
  await new Promise((r) => setTimeout(r, 50)); // let it exec
  const log = new EventLog();
  const c = new ProcfsCollector({ host, intervalMs: 50, network: false });
  await c.start(log.sink);
  t.after(() => c.stop());
  const e = await log.waitFor((x) => x.kind === 'snapshot' && x.process.pid === sleeper.pid, 2000, 'snapshot of sleep');
  assert.equal(e.process.startKey, startTicksOf(sleeper.pid));
  assert.deepEqual(e.process.args, ['sleep', '30']);
  assert.equal(e.process.ppid, process.pid);
  assert.equal(e.process.parentStartKey, startTicksOf(process.pid));
  assert.equal(e.process.executable, '/usr/bin/sleep');
  assert.equal(e.backend, 'procfs');
});

test('procfs: a new long-running process gets exec, and exit when it is killed', async (t) => {
  const log = new EventLog();
  const c = new ProcfsCollector({ host, intervalMs: 50, network: false });
  await c.start(log.sink);
  t.after(() => c.stop());
  const py = startChild(PYTHON, ['-c', 'import time; print("up", flush=True); time.sleep(60)']);
  t.after(py.dispose);
  await firstLine(py.child);
  const exec = await log.waitFor((x) => x.kind === 'exec' && x.process.pid === py.pid, 3000, 'exec of python3');
  assert.equal(exec.process.startKey, startTicksOf(py.pid));
  assert.deepEqual(exec.process.args, [PYTHON, '-c', 'import time; print("up", flush=True); time.sleep(60)']);
  assert.match(exec.process.executable ?? '', /python3/);
  await py.dispose();
  const exit = await log.waitFor((x) => x.kind === 'exit' && x.process.pid === py.pid, 3000, 'exit of python3');
  assert.equal(exit.process.startKey, exec.process.startKey);
});

for (const addr of ['127.0.0.1', '::1']) {
  test(`procfs: python3 and node connecting to ${addr}: connection_attempted with the client pid, accepted with the server pid`, async (t) => {
    const log = new EventLog();
    const c = new ProcfsCollector({ host, intervalMs: 50 });
    await c.start(log.sink);
    t.after(() => c.stop());
    const server = startChild(PYTHON, ['-c', PY_SERVER, addr]);
    t.after(server.dispose);
    const port = Number(await firstLine(server.child));
    const pyClient = startChild(PYTHON, ['-c', PY_CLIENT, addr, String(port)]);
    t.after(pyClient.dispose);
    const nodeClient = startChild(process.execPath, ['-e', NODE_CLIENT, addr, String(port)]);
    t.after(nodeClient.dispose);
    await Promise.all([firstLine(pyClient.child), firstLine(nodeClient.child)]);
    for (const client of [pyClient, nodeClient]) {
      const conn = await log.waitFor((x) => x.kind === 'connect' && x.process.pid === client.pid, 3000, `connect of ${client.pid}`);
      assert.equal(conn.kind, 'connect');
      if (conn.kind !== 'connect') return;
      assert.equal(conn.destination.port, port);
      assert.equal(conn.destination.ip, addr);
      assert.equal(conn.family, addr === '::1' ? 'ipv6' : 'ipv4');
      assert.equal(conn.transport, 'tcp');
      assert.equal(conn.result, 0);
      assert.equal(conn.process.startKey, startTicksOf(client.pid));
      const acc = await log.waitFor((x) => x.kind === 'accept' && x.process.pid === server.pid && x.source?.port === conn.source?.port, 3000, 'accept by the server');
      assert.equal(acc.kind === 'accept' && acc.destination.port, port);
    }
    // closing the client: a disconnect for its connection
    await pyClient.dispose();
    await log.waitFor((x) => x.kind === 'disconnect' && x.process.pid === pyClient.pid, 3000, 'disconnect of the python client');
  });
}

test('procfs: a burst of short-lived execs: what it misses is reported, not hidden', async (t) => {
  const log = new EventLog();
  const c = new ProcfsCollector({ host, intervalMs: 100, network: false });
  await c.start(log.sink);
  t.after(() => c.stop());
  const before = c.stats();
  const r = spawnSync('sh', ['-c', 'i=0; while [ $i -lt 300 ]; do /bin/true; i=$((i+1)); done']);
  assert.equal(r.status, 0);
  await new Promise((res) => setTimeout(res, 300));
  const after = c.stats();
  const trues = log.events.filter((e: RawEvent) => (e.kind === 'exec' || e.kind === 'fork') && e.process.comm === 'true').length;
  const forks = after.forks - before.forks;
  assert.ok(forks >= 300, `the kernel counted ${forks} forks`);
  assert.ok(trues < 300, 'polling cannot see every /bin/true');
  // every fork is either seen or counted missed
  assert.equal(after.missed, after.forks - after.seen);
  assert.ok(after.missed >= 300 - trues, `missed ${after.missed} >= unseen ${300 - trues}`);
  assert.equal(after.lost, 0);
});

test('procfs: probe fails with a reason when /proc is not there', async () => {
  assert.match((await ProcfsCollector.probe('/nonexistent-proc')) ?? '', /cannot read/);
  assert.equal(await ProcfsCollector.probe(), null);
});
