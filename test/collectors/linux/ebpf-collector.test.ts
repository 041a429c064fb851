// Live tests of the eBPF collector on this kernel (root, BTF, helper built); they skip with the probe's reason
// elsewhere. Everything started here is stopped here: servers closed, children reaped, helpers detached.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { defaultHelperPath, EbpfCollector } from '../../../src/collectors/linux/ebpf-collector.js';
import type { RawAccept, RawConnect, RawDisconnect, RawEvent, RawExec } from '../../../src/collectors/raw-event.js';
import { bpfProgramIds, bpfProgramsOf, parseStat, procStat, run, waitFor } from './ebpf-live-helpers.js';
import { unprivilegedPaths } from '../../helpers/unprivileged-install.js';

const skipReason = await EbpfCollector.probe();
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const MAX_KEPT = 500_000;

describe('EbpfCollector (live)', { skip: skipReason ?? false }, () => {
  const collector = new EbpfCollector();
  const events: RawEvent[] = [];
  const execs = (): RawExec[] => events.filter((e): e is RawExec => e.kind === 'exec');

  before(async () => {
    await collector.start((e) => {
      if (events.length < MAX_KEPT) events.push(e);
    });
  });
  after(async () => {
    await collector.stop();
  });

  test('a burst of 1000 /bin/true execs: every one, with args, parent and start keys matching /proc', async () => {
    const token = randomBytes(6).toString('hex');
    const script = `cat /proc/$$/stat; i=0; while [ $i -lt 1000 ]; do /bin/true vigil-ebpf-burst ${token} $i; i=$((i+1)); done; ` +
      'for j in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do cat /proc/self/stat; done';
    const r = await run('/bin/sh', ['-c', script]);
    assert.equal(r.code, 0);
    const lines = r.stdout.trim().split('\n').map(parseStat);
    const sh = lines[0]!;
    assert.equal(sh.pid, r.pid);
    const mine = (): RawExec[] => execs().filter((e) => e.process.args?.[1] === 'vigil-ebpf-burst' && e.process.args[2] === token);
    const cats = (): RawExec[] => execs().filter((e) => e.process.ppid === sh.pid && e.process.comm === 'cat');
    await waitFor('1000 burst execs and 21 cats', () => mine().length >= 1000 && cats().length >= 21);

    const shExec = execs().find((e) => e.process.pid === sh.pid);
    assert.ok(shExec, 'the shell exec itself');
    assert.equal(shExec.process.startKey, sh.startTicks, 'shell startKey = /proc/<pid>/stat field 22');
    assert.equal(shExec.process.ppid, process.pid);

    const seen = new Set<string>();
    for (const e of mine()) {
      assert.equal(e.process.executable, realpathSync('/bin/true'), 'the path the kernel resolved, not /bin/true as given');
      assert.equal(e.process.args?.length, 4);
      assert.equal(e.process.ppid, sh.pid);
      assert.equal(e.process.parentStartKey, sh.startTicks);
      assert.match(e.process.startKey, /^\d+$/);
      assert.equal(e.process.argsTruncated, undefined);
      seen.add(e.process.args?.[3] ?? '');
    }
    assert.equal(mine().length, 1000, 'each exec exactly once');
    assert.equal(seen.size, 1000);

    // Short-lived processes checked against their own /proc/self/stat.
    for (const cat of lines.slice(1)) {
      const e = cats().find((x) => x.process.pid === cat.pid);
      assert.ok(e, `exec of cat ${cat.pid}`);
      assert.equal(e.process.startKey, cat.startTicks, `cat ${cat.pid} startKey`);
      assert.equal(e.process.ppid, cat.ppid);
    }
    // Forks and exits of the burst carry the same identity.
    const burstPids = new Set(mine().map((e) => e.process.pid));
    await waitFor('exits of the burst', () => events.filter((e) => e.kind === 'exit' && burstPids.has(e.process.pid)).length >= 1000);
    const forks = events.filter((e) => e.kind === 'fork' && burstPids.has(e.process.pid));
    assert.ok(forks.length >= 1000);
    assert.equal(collector.stats().lost, 0);
  });

  test('seq 200 | xargs -P8 -n1 base64 --version: 200 execs under xargs', async () => {
    const r = await run('/bin/sh', ['-c', 'seq 200 | xargs -P8 -n1 base64 --version >/dev/null']);
    assert.equal(r.code, 0);
    const xargs = (): RawExec | undefined => execs().find((e) => e.process.ppid === r.pid && e.process.comm === 'xargs');
    const b64 = (): RawExec[] => execs().filter((e) => e.process.ppid === xargs()?.process.pid && e.process.comm === 'base64');
    await waitFor('200 base64 execs', () => b64().length >= 200);
    const x = xargs()!;
    assert.deepEqual(x.process.args, ['xargs', '-P8', '-n1', 'base64', '--version']);
    const ns = new Set<string>();
    for (const e of b64()) {
      assert.equal(e.process.executable, '/usr/bin/base64');
      assert.deepEqual(e.process.args?.slice(0, 2), ['base64', '--version']);
      assert.equal(e.process.parentStartKey, x.process.startKey);
      ns.add(e.process.args?.[2] ?? '');
    }
    assert.equal(b64().length, 200);
    assert.equal(ns.size, 200);
  });

  describe('loopback connections', () => {
    const servers: Server[] = [];
    const ports = new Map<string, number>();
    before(async () => {
      for (const host of ['127.0.0.1', '::1']) {
        const server = createServer((socket) => socket.destroy());
        await new Promise<void>((resolve) => server.listen(0, host, resolve));
        servers.push(server);
        ports.set(host, (server.address() as { port: number }).port);
      }
    });
    after(async () => {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    });

    const clients: Array<[string, (host: string, port: number) => [string, string[]]]> = [
      ['python3', (host, port) => [PYTHON, ['-c', 'import socket,sys\ns=socket.create_connection((sys.argv[1], int(sys.argv[2])))\ns.close()', host, String(port)]]],
      ['node', (host, port) => [process.execPath, ['-e', `require('net').connect(${port}, '${host}').on('connect', function () { this.end(); })`]]],
    ];
    for (const [name, argv] of clients) {
      for (const host of ['127.0.0.1', '::1']) {
        test(`${name} connecting to ${host}: connect with pid, destination and port; accept with the server's pid; disconnects`, async () => {
          const port = ports.get(host)!;
          const [cmd, args] = argv(host, port);
          const r = await run(cmd, args);
          assert.equal(r.code, 0);
          const connect = (): RawConnect | undefined =>
            events.find((e): e is RawConnect => e.kind === 'connect' && e.process.pid === r.pid && e.destination.port === port);
          await waitFor(`connect from ${name}`, () => connect() !== undefined);
          const c = connect()!;
          assert.deepEqual(c.destination, { ip: host, port });
          assert.equal(c.family, host === '::1' ? 'ipv6' : 'ipv4');
          assert.equal(c.transport, 'tcp');
          assert.ok(c.result === 0 || c.result === -115, `result ${c.result}`);
          assert.equal(c.source?.ip, host);
          const sport = c.source?.port;
          const accept = (): RawAccept | undefined =>
            events.find((e): e is RawAccept => e.kind === 'accept' && e.source?.port === sport && e.destination.port === port);
          await waitFor('accept by the test server', () => accept() !== undefined);
          const a = accept()!;
          assert.equal(a.process.pid, process.pid, 'the server side is attributed to the server');
          assert.deepEqual(a.source, { ip: host, port: sport });
          assert.deepEqual(a.destination, { ip: host, port });
          // Both ends close: each side's own process reports its disconnect, oriented like its connect/accept.
          const disconnect = (pid: number): RawDisconnect | undefined =>
            events.find((e): e is RawDisconnect => e.kind === 'disconnect' && e.process.pid === pid && e.destination.port === port && e.source?.port === sport);
          await waitFor('disconnects of both ends', () => disconnect(r.pid) !== undefined && disconnect(process.pid) !== undefined);
          assert.deepEqual(disconnect(r.pid)?.source, { ip: host, port: sport });
          assert.deepEqual(disconnect(process.pid)?.source, { ip: host, port: sport });
          assert.deepEqual(disconnect(process.pid)?.destination, { ip: host, port });
          assert.equal(disconnect(process.pid)?.inbound, true);
          assert.equal(disconnect(r.pid)?.inbound, undefined);
        });
      }
    }
  });

  test('a connect to a public address inside unshare -n fails with -ENETUNREACH and is reported', async () => {
    const r = await run('unshare', ['-n', PYTHON, '-c', 'import socket\ns=socket.socket()\ntry:\n s.connect(("1.1.1.1", 443))\nexcept OSError as e:\n print(e.errno)']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), '101');
    const connect = (): RawConnect | undefined =>
      events.find((e): e is RawConnect => e.kind === 'connect' && e.process.pid === r.pid && e.destination.ip === '1.1.1.1');
    await waitFor('the failed connect', () => connect() !== undefined);
    const c = connect()!;
    assert.deepEqual(c.destination, { ip: '1.1.1.1', port: 443 });
    assert.equal(c.result, -101);
    assert.equal(c.source, undefined);
  });

  test('a long-running process: startKey and parent identity equal /proc/<pid>/stat', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const pid = child.pid!;
      await waitFor('exec of sleep', () => execs().some((e) => e.process.pid === pid));
      const e = execs().find((x) => x.process.pid === pid)!;
      const stat = procStat(pid);
      assert.equal(e.process.startKey, stat.startTicks);
      assert.equal(e.process.ppid, process.pid);
      assert.equal(e.process.parentStartKey, procStat(process.pid).startTicks);
      assert.deepEqual(e.process.args, ['sleep', '30']);
      assert.equal(e.process.cwd, process.cwd());
      assert.ok(Math.abs((e.process.startTimeMs ?? 0) - Date.now()) < 10_000, 'start time is wall-clock epoch ms');
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
    }
  });

  test('long argv is cut at 16 KiB with the true length reported', async () => {
    const long = 'x'.repeat(20_000);
    const r = await run('/bin/true', ['vigil-long', long]);
    await waitFor('exec with long argv', () => execs().some((e) => e.process.pid === r.pid));
    const e = execs().find((x) => x.process.pid === r.pid)!;
    assert.equal(e.process.argsTruncated, true);
    assert.equal(e.process.argsBytes, '/bin/true'.length + 1 + 'vigil-long'.length + 1 + long.length + 1);
    assert.equal(e.process.args?.[1], 'vigil-long');
    assert.ok((e.process.args?.[2]?.length ?? 0) > 16_000);
  });
});

describe('EbpfCollector lifecycle (live)', { skip: skipReason ?? false }, () => {
  test('stop detaches everything: no BPF program of the helper is left', async () => {
    const c = new EbpfCollector();
    await c.start(() => undefined);
    let ids: number[] = [];
    try {
      const pid = c.helperState().pid!;
      ids = bpfProgramsOf(pid);
      assert.ok(ids.length >= 7, `the helper holds its programs (${ids.length})`);
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      assert.match(status, /^CapEff:\s*0+$/m, 'attached, the helper runs without capabilities');
      assert.match(status, /^NoNewPrivs:\s*1$/m);
      assert.ok(ids.every((id) => bpfProgramIds().has(id)), 'bpftool lists them while it runs');
    } finally {
      await c.stop();
    }
    const left = bpfProgramIds();
    assert.deepEqual(ids.filter((id) => left.has(id)), []);
  });

  /** Starts the helper, waits for its first frame, stops it with `stop`: it must exit 0 and leave no program. */
  async function exitsCleanly(args: string[], stdin: 'pipe' | 'ignore', stop: (child: ChildProcess) => void): Promise<void> {
    const child = spawn(defaultHelperPath(), args, { stdio: [stdin, 'pipe', 'inherit'] });
    const closed = new Promise((r) => child.once('close', r));
    let ids: number[] = [];
    try {
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      child.stdout!.resume();
      ids = bpfProgramsOf(child.pid!);
      assert.ok(ids.length >= 7, `the helper holds its programs (${ids.length})`);
      stop(child);
      assert.equal(await closed, 0);
    } finally {
      child.kill('SIGKILL');
      await closed;
    }
    const left = bpfProgramIds();
    assert.deepEqual(ids.filter((id) => left.has(id)), []);
  }

  test('the helper exits cleanly when stdin closes', () => exitsCleanly([], 'pipe', (child) => child.stdin!.end()));

  test('the helper exits cleanly on SIGTERM alone (stdin ignored)', () => exitsCleanly(['--ignore-stdin'], 'ignore', (child) => child.kill('SIGTERM')));

  test('the helper refuses to run unprivileged, with the reason and exit code 3', () => {
    // The same helper binary, at a path uid 65534 can reach (a copy when the checkout is under a 0700 directory, as in CI).
    const nobody = unprivilegedPaths();
    const r = spawnSync(nobody.helper, ['--probe'], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: nobody.root });
    assert.equal(r.status, 3);
    assert.match(r.stderr, /not root/);
  });

  test('a killed helper is restarted with backoff and events flow again', async () => {
    const logs: string[] = [];
    const c = new EbpfCollector({ log: (_level, msg) => logs.push(msg) });
    const seen: RawEvent[] = [];
    await c.start((e) => {
      if (seen.length < 100_000) seen.push(e);
    });
    try {
      const first = c.helperState().pid!;
      process.kill(first, 'SIGKILL');
      await waitFor('restart', () => c.stats().restarts === 1 && c.helperState().pid !== undefined && c.helperState().pid !== first);
      await waitFor('second hello', () => c.helperState().hello?.helperPid === c.helperState().pid);
      const r = await run('/bin/true', ['vigil-after-restart']);
      await waitFor('exec after restart', () => seen.some((e) => e.kind === 'exec' && e.process.pid === r.pid));
      assert.ok(logs.some((m) => m.includes('died')), 'the death is logged');
    } finally {
      await c.stop();
    }
  });

  test('a tiny ring buffer drained rarely loses records, and the loss is counted', async () => {
    const c = new EbpfCollector({ ringBufferBytes: 4096, drainIntervalMs: 1000 });
    await c.start(() => undefined);
    try {
      await run('/bin/sh', ['-c', 'i=0; while [ $i -lt 300 ]; do /bin/true vigil-overflow $i; i=$((i+1)); done']);
      await waitFor('a stats frame reporting loss', () => c.stats().lost > 0, 5_000);
    } finally {
      await c.stop();
    }
    assert.ok(c.stats().lost > 0);
    assert.ok(c.stats().events > 0, 'what fit was delivered');
  });

  test('a helper speaking another frame version is refused for good', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-ebpf-version-'));
    const fake = join(dir, 'vigil-ebpf');
    try {
      // A hello frame header with version 99 ("VIGL", 99, kind 16, length 0), then wait for stdin EOF.
      writeFileSync(fake, "#!/bin/sh\nprintf 'VIGL\\143\\000\\020\\000\\000\\000\\000\\000'\ncat >/dev/null\n", { mode: 0o755 });
      const c = new EbpfCollector({ helperPath: fake });
      await assert.rejects(c.start(() => undefined), /VG_EBPF_BAD_VERSION/);
      assert.equal(c.stats().restarts, 0);
      await c.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('start rejects with the reason when the helper is missing, and probe says why', async () => {
    await assert.rejects(new EbpfCollector({ helperPath: '/nonexistent/vigil-ebpf' }).start(() => undefined), /did not attach/);
    assert.match((await EbpfCollector.probe('/nonexistent/vigil-ebpf')) ?? '', /not built/);
  });
});

test('options are validated', () => {
  assert.throws(() => new EbpfCollector({ ringBufferBytes: 3000 }), RangeError);
  assert.throws(() => new EbpfCollector({ drainIntervalMs: 0 }), RangeError);
});
