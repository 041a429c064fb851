import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { PsLsofCollector } from '../../../src/collectors/darwin/ps-lsof-collector.js';
import { readHostIdentity } from '../../../src/collectors/host-identity.js';
import type { RawEvent } from '../../../src/collectors/raw-event.js';
import { EventLog, PYTHON, startChild, startTicksOf } from '../linux/procfs-test-helpers.js';

const whyNot = await PsLsofCollector.probe();

test('ps-lsof for real on this machine: already_running, exec with args, a loopback connect with its pid and port, accept, exit, disconnect', { skip: whyNot ?? false, timeout: 30_000 }, async (t) => {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  const port = (server.address() as { port: number }).port;

  const before = startChild('sleep', ['57']);
  t.after(before.dispose);
  const log = new EventLog();
  const c = new PsLsofCollector({ host: readHostIdentity('linux'), intervalMs: 100, networkIntervalMs: 200 });
  await c.start(log.sink);
  t.after(() => c.stop());

  const snap = log.events.find((e) => e.kind === 'snapshot' && e.process.pid === before.pid);
  assert.ok(snap, 'a process running before start is a snapshot (already_running)');
  assert.equal(snap!.process.startKey, startTicksOf(before.pid), 'Linux startKey: /proc/<pid>/stat field 22, as procfs and eBPF compute it');
  assert.deepEqual(snap!.process.args, ['sleep', '57']);
  assert.equal(snap!.platform, 'linux');
  assert.equal(snap!.backend, 'ps-lsof');

  const code = `import socket,time; s=socket.create_connection(("127.0.0.1",${port})); time.sleep(60)`;
  const py = startChild(PYTHON, ['-c', code]);
  t.after(py.dispose);
  const exec = await log.waitFor((e) => (e.kind === 'exec' || e.kind === 'fork') && e.process.pid === py.pid, 10_000, 'exec of python3');
  assert.equal(exec.kind, 'exec');
  assert.match(exec.process.executable ?? '', /^\/usr\/bin\/python3/, 'the executable from ps -o exe');
  assert.equal(exec.process.args![0], PYTHON);
  assert.equal(exec.process.args!.join(' '), `${PYTHON} -c ${code}`, 'its args (argv joined by ps, split back at spaces)');
  assert.equal(exec.process.ppid, process.pid);
  assert.equal(exec.process.startKey, startTicksOf(py.pid));
  assert.equal(exec.process.cwd, process.cwd(), 'working directory from lsof -d cwd');
  assert.equal(snap!.process.cwd, process.cwd());

  const connect = await log.waitFor((e) => e.kind === 'connect' && e.process.pid === py.pid, 10_000, 'connect of python3');
  assert.ok(connect.kind === 'connect');
  assert.deepEqual(connect.destination, { ip: '127.0.0.1', port });
  assert.equal(connect.source?.ip, '127.0.0.1');
  assert.equal(connect.transport, 'tcp');
  assert.equal(connect.family, 'ipv4');
  assert.equal(connect.result, 0);
  assert.equal(connect.process.startKey, exec.process.startKey, 'the connect names the same process instance');

  const accept = await log.waitFor((e) => e.kind === 'accept' && e.process.pid === process.pid, 5000, 'accept by this test process');
  assert.ok(accept.kind === 'accept');
  assert.equal(accept.destination.port, port);
  assert.equal(accept.source?.port, connect.source?.port);
  assert.equal(log.events.filter((e) => e.kind === 'connect' && e.process.pid === process.pid && e.destination.port === connect.source?.port).length, 0, 'the server side is not a connect');

  await py.dispose();
  await log.waitFor((e) => e.kind === 'exit' && e.process.pid === py.pid, 5000, 'exit of python3');
  const disc = await log.waitFor((e) => e.kind === 'disconnect' && e.process.pid === py.pid, 5000, 'disconnect of python3');
  assert.ok(disc.kind === 'disconnect');
  assert.equal(disc.destination.port, port);

  const s = c.stats();
  assert.equal(s.backend, 'ps-lsof');
  assert.ok(s.polls >= 3);
  assert.equal(s.failedPolls, 0);
  assert.equal(s.malformed, 0);
  assert.equal(s.events, log.events.length);
  assert.ok(s.network.polls >= 2);
  assert.equal(typeof s.missed, 'number');
  assert.equal(log.events.filter((e: RawEvent) => e.process.pid !== process.pid && (e.process.args?.[0] === 'ps' || e.process.args?.[0] === 'lsof') && e.process.ppid === process.pid).length, 0, "the collector's own ps/lsof runs are not reported");
});

test('ps-lsof: probe says why when lsof is missing; start rejects with the reason', async () => {
  assert.match((await PsLsofCollector.probe({ lsofPath: '/nonexistent/lsof' }))!, /lsof cannot run: TOOL_NOT_FOUND/);
  assert.match((await PsLsofCollector.probe({ psPath: '/nonexistent/ps' }))!, /ps cannot run: TOOL_NOT_FOUND/);
});
