import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readHostIdentity } from '../../../src/collectors/host-identity.js';
import { listPids, readProcProcess } from '../../../src/collectors/linux/procfs-process-reader.js';
import { firstLine, PYTHON, startChild, startTicksOf } from './procfs-test-helpers.js';

const host = readHostIdentity('linux');

test('readProcProcess: a live process, with argv, executable, cwd, ids and the stat start key', () => {
  const r = readProcProcess('/proc', process.pid, host);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.process.startKey, startTicksOf(process.pid));
  assert.equal(r.process.executable, process.execPath);
  assert.equal(r.process.cwd, process.cwd());
  assert.equal(r.process.uid, process.getuid!());
  assert.equal(r.process.ppid, process.ppid);
  assert.ok(Math.abs(r.process.startTimeMs! - (Date.now() - process.uptime() * 1000)) < 2000, 'start time near this process start');
  assert.equal(r.kernelThread, false);
});

test('readProcProcess: a zombie keeps its comm and start key but has no argv or executable', async (t) => {
  // the parent forks a child that exits at once and is never reaped
  const parent = startChild(PYTHON, ['-c', 'import os,time\npid=os.fork()\nif pid==0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(30)']);
  t.after(parent.dispose);
  const zpid = Number(await firstLine(parent.child));
  let r = readProcProcess('/proc', zpid, host);
  for (let i = 0; i < 50 && r.ok && r.stat.state !== 'Z'; i++) {
    await new Promise((res) => setTimeout(res, 20));
    r = readProcProcess('/proc', zpid, host);
  }
  assert.ok(r.ok, 'zombie still readable');
  if (!r.ok) return;
  assert.equal(r.stat.state, 'Z');
  assert.equal(r.process.args, undefined);
  assert.equal(r.process.executable, undefined);
  assert.match(r.process.comm ?? '', /python/);
  assert.equal(r.process.ppid, parent.pid);
  assert.match(r.process.startKey, /^\d+$/);
});

test('readProcProcess: a vanished pid is "gone", not an error', async () => {
  const child = startChild('true', []);
  await new Promise((r) => child.child.once('exit', r));
  const r = readProcProcess('/proc', child.pid, host);
  assert.deepEqual([r.ok, !r.ok && r.reason], [false, 'gone']);
});

test('readProcProcess: kernel threads are flagged', () => {
  const kthreadd = readProcProcess('/proc', 2, host);
  assert.ok(kthreadd.ok && kthreadd.kernelThread);
  assert.ok(listPids('/proc').includes(1));
});
