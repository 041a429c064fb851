import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { EbpfCollector } from '../../src/collectors/linux/ebpf-collector.js';
import { readHostIdentity } from '../../src/collectors/host-identity.js';
import type { EcsEvent } from '../../src/ecs/ecs-event.js';
import { computeEntityId } from '../../src/normalize/entity-id.js';
import { Normalizer } from '../../src/normalize/normalizer.js';
import { firstLine, NODE_CLIENT, PY_CLIENT, PY_SERVER, PYTHON, startChild, startTicksOf } from '../collectors/linux/procfs-test-helpers.js';

// The acceptance items, checked on the ECS documents (eBPF collector -> normalizer).
const whyNot = await EbpfCollector.probe();
const host = readHostIdentity('linux');

interface Doc {
  event: { action: string; outcome?: string; category: string[] };
  process: { pid: number; entity_id: string; name?: string; executable?: string; args?: string[]; parent?: { entity_id?: string; pid?: number; name?: string } };
  destination?: { ip: string; port: number };
  source?: { ip: string; port: number };
}

/** Runs a shell command without blocking the event loop (the collector keeps draining meanwhile). */
function sh(script: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout }));
  });
}

/** Waits until `count()` reaches `want` (or the timeout), polling. */
async function until(count: () => number, want: number, timeoutMs = 15000): Promise<void> {
  const t0 = Date.now();
  while (count() < want && Date.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 50));
}

async function live(t: { after: (fn: () => unknown) => void }): Promise<{ docs: Doc[]; lost: () => number }> {
  const n = new Normalizer({ host, agent: { id: 'test', version: '0' } });
  const docs: Doc[] = [];
  const c = new EbpfCollector();
  await c.start((raw) => {
    const d: EcsEvent | null = n.normalize(raw);
    if (d) docs.push(d as unknown as Doc);
  });
  t.after(() => c.stop());
  return { docs, lost: () => c.stats().lost };
}

const eid = (pid: number) => computeEntityId(host.hostId, host.bootId, pid, startTicksOf(pid));

test('1000 /bin/true execs: every exec in ECS with args, parent and entity ids', { skip: whyNot ?? false }, async (t) => {
  const { docs, lost } = await live(t);
  const burst = await sh('echo $$; i=0; while [ $i -lt 1000 ]; do /bin/true vigil-burst $i; i=$((i+1)); done');
  assert.equal(burst.code, 0);
  const shPid = Number(burst.stdout.trim());
  const isBurst = (d: Doc) => d.event.action === 'exec' && d.process.args?.[1] === 'vigil-burst';
  await until(() => docs.filter(isBurst).length, 1000);
  const execs = docs.filter(isBurst);
  assert.equal(lost(), 0, 'no record lost');
  assert.equal(execs.length, 1000);
  const shDoc = docs.find((d) => d.event.action === 'exec' && d.process.pid === shPid);
  assert.ok(shDoc, 'the shell exec');
  const seen = new Set<string>();
  for (const d of execs) {
    // the eBPF helper reports the resolved executable, as /proc/<pid>/exe does (/bin is a symlink on merged-/usr)
    assert.equal(d.process.executable, realpathSync('/bin/true'));
    assert.equal(d.process.name, 'true');
    assert.equal(d.process.args!.length, 3);
    assert.equal(d.process.parent?.pid, shPid);
    assert.equal(d.process.parent?.entity_id, shDoc.process.entity_id);
    assert.equal(d.process.parent?.name, basename(realpathSync('/bin/sh')));
    seen.add(d.process.args![2]!);
    assert.match(d.process.entity_id, /^[A-Za-z0-9+/]{32}$/);
  }
  assert.equal(seen.size, 1000, 'each iteration once');
  assert.equal(new Set(execs.map((d) => d.process.entity_id)).size, 1000, 'distinct entity ids');
});

test('seq 200 | xargs -P8 -n1 base64 --version: 200 execs with their xargs parent', { skip: whyNot ?? false }, async (t) => {
  const { docs, lost } = await live(t);
  const r = await sh('seq 200 | xargs -P8 -n1 base64 --version > /dev/null');
  assert.equal(r.code, 0);
  await until(() => docs.filter((d) => d.event.action === 'exec' && d.process.name === 'base64').length, 200);
  assert.equal(lost(), 0);
  const xargs = docs.find((d) => d.event.action === 'exec' && d.process.name === 'xargs' && d.process.args?.includes('base64'));
  assert.ok(xargs);
  const execs = docs.filter((d) => d.event.action === 'exec' && d.process.name === 'base64' && d.process.parent?.entity_id === xargs.process.entity_id);
  assert.equal(execs.length, 200);
  const nums = new Set(execs.map((d) => d.process.args?.[2]));
  assert.equal(nums.size, 200);
  for (const d of execs) assert.deepEqual(d.process.args?.slice(0, 2), ['base64', '--version']);
});

for (const addr of ['127.0.0.1', '::1']) {
  test(`python3 and node connecting to ${addr}: connection_attempted / connection_accepted in ECS with the right pids and entity ids`, { skip: whyNot ?? false }, async (t) => {
    const { docs } = await live(t);
    const server = startChild(PYTHON, ['-c', PY_SERVER, addr]);
    t.after(server.dispose);
    const port = Number(await firstLine(server.child));
    const py = startChild(PYTHON, ['-c', PY_CLIENT, addr, String(port)]);
    t.after(py.dispose);
    const nd = startChild(process.execPath, ['-e', NODE_CLIENT, addr, String(port)]);
    t.after(nd.dispose);
    await Promise.all([firstLine(py.child), firstLine(nd.child)]);
    const wanted = (d: Doc) => (d.event.action === 'connection_attempted' && (d.process.pid === py.pid || d.process.pid === nd.pid)) || (d.event.action === 'connection_accepted' && d.process.pid === server.pid);
    await until(() => docs.filter(wanted).length, 4, 5000);
    for (const client of [py, nd]) {
      const c = docs.find((d) => d.event.action === 'connection_attempted' && d.process.pid === client.pid && d.destination?.port === port);
      assert.ok(c, `connection_attempted of ${client.pid}`);
      assert.equal(c.destination!.ip, addr);
      assert.equal(c.event.outcome, 'success');
      assert.equal(c.process.entity_id, eid(client.pid));
      const a = docs.find((d) => d.event.action === 'connection_accepted' && d.process.pid === server.pid && d.source?.port === c.source?.port);
      assert.ok(a, 'connection_accepted by the server');
      assert.equal(a.process.entity_id, eid(server.pid));
      assert.equal(a.destination?.port, port);
    }
  });
}

test('unshare -n: an attempt to a public address is connection_attempted with outcome failure (no packet can exist)', { skip: whyNot ?? false }, async (t) => {
  const { docs } = await live(t);
  // a fresh network namespace with no interface up and no route: connect() fails with ENETUNREACH at once
  const r = spawnSync('unshare', ['-n', PYTHON, '-c', 'import os,socket\nprint(os.getpid(), flush=True)\ntry:\n  socket.create_connection(("1.1.1.1", 443), timeout=2)\nexcept OSError as e:\n  print(e.errno)'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [pid, errno] = r.stdout.trim().split('\n').map(Number);
  assert.equal(errno, 101, 'ENETUNREACH');
  await until(() => docs.filter((d) => d.event.action === 'connection_attempted' && d.process.pid === pid).length, 1, 5000);
  const c = docs.find((d) => d.event.action === 'connection_attempted' && d.process.pid === pid);
  assert.ok(c, 'connection_attempted');
  assert.deepEqual([c.destination?.ip, c.destination?.port], ['1.1.1.1', 443]);
  assert.equal(c.event.outcome, 'failure');
  assert.match(c.process.name ?? '', /^python3/);
});
