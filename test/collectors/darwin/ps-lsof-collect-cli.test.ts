import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { PsLsofCollector } from '../../../src/collectors/darwin/ps-lsof-collector.js';
import { TELEMETRY_COVERAGE } from '../../../src/ecs/emitted-fields.js';
import { PYTHON, startChild } from '../linux/procfs-test-helpers.js';
import { ROOT } from './darwin-test-helpers.js';
import { unlistedFields } from '../../helpers/leaf-paths.js';

const cli = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const whyNot = await PsLsofCollector.probe();


test('vigil collect --backend ps-lsof: a long-running python3 started after it, connecting to 127.0.0.1, is seen with its args, pid and port', { skip: whyNot ?? false, timeout: 30_000 }, async (t) => {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  const port = (server.address() as { port: number }).port;

  const child = spawn(process.execPath, [cli, 'collect', '--backend', 'ps-lsof', '--duration', '6'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  await new Promise<void>((resolve, reject) => {
    const t0 = Date.now();
    const check = (): void => (err.includes('collecting with') ? resolve() : Date.now() - t0 > 10_000 ? reject(new Error(err)) : void setTimeout(check, 20));
    check();
  });
  const marker = `vigil-ps-lsof-${process.pid}`;
  const py = startChild(PYTHON, ['-c', `import socket,time; s=socket.create_connection(("127.0.0.1",${port})); time.sleep(60) # ${marker}`]);
  t.after(py.dispose);
  const code = await exited;
  assert.equal(code, 0, err);
  const docs = out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);

  assert.match(err, /collecting with ps-lsof/);
  const start = docs.find((d) => d.event.category[0] === 'process' && d.process.pid === py.pid);
  assert.ok(start, 'python3 process document');
  assert.ok(['exec', 'already_running'].includes(start!.event.action), start!.event.action);
  assert.equal(start!.process.args[0], PYTHON);
  assert.ok(start!.process.command_line.endsWith(`# ${marker}`), start!.process.command_line);
  assert.equal(start!.process.parent.pid, process.pid);

  const conn = docs.find((d) => d.event.action === 'connection_attempted' && d.process.pid === py.pid);
  assert.ok(conn, 'connection_attempted by python3');
  assert.equal(conn!.destination.ip, '127.0.0.1');
  assert.equal(conn!.destination.port, port);
  assert.equal(conn!.network.direction, 'egress');
  assert.equal(conn!.event.outcome, 'success');
  assert.equal(conn!.process.entity_id, start!.process.entity_id, 'one entity for the exec and its connect');

  assert.deepEqual(unlistedFields(docs, TELEMETRY_COVERAGE.linux.fieldsByCategory!), [], 'only fields listed for linux');
  const summary = JSON.parse(/summary (\{.*\})/.exec(err)![1]!);
  assert.equal(summary.backend, 'ps-lsof');
  assert.equal(summary.collector.failedPolls, 0);
  assert.equal(typeof summary.collector.missed, 'number');
});
