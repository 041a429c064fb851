import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EbpfRecordDecoder } from '../../../src/collectors/linux/ebpf-record-decoder.js';
import type { DecodedFrame } from '../../../src/collectors/linux/ebpf-record-decoder.js';
import { FRAME_KIND_CODES } from '../../../src/collectors/linux/ebpf-layout.js';
import type { RawEvent } from '../../../src/collectors/raw-event.js';
import { execBody, fileBody, hello, leafFirst, netBody, PROC, record } from './ebpf-record-fixtures.js';

const BOOT_TO_EPOCH_NS = 1_700_000_000_000_000_000n;

function ready(): EbpfRecordDecoder {
  const d = new EbpfRecordDecoder();
  const h = d.decode(FRAME_KIND_CODES.hello, hello(BOOT_TO_EPOCH_NS));
  assert.equal(h.type, 'hello');
  return d;
}

function event(d: DecodedFrame): RawEvent {
  assert.equal(d.type, 'event', d.type === 'malformed' ? d.reason : '');
  return (d as { event: RawEvent }).event;
}

test('exec: identity, times, terminal, argv, cwd and the executable walked in the kernel', () => {
  const e = event(ready().decode(FRAME_KIND_CODES.exec, record('exec', execBody('run\0bin\0home\0', 'run\0-x\0a b\0', 'bin\0home\0'))));
  assert.equal(e.kind, 'exec');
  assert.equal(e.backend, 'ebpf');
  assert.equal(e.platform, 'linux');
  assert.equal(e.timeMs, 1_700_000_005_000);
  assert.deepEqual(e.process, {
    pid: 1234,
    startKey: '499',
    startTimeMs: 1_700_000_004_990,
    ppid: 1000,
    parentStartKey: '12',
    comm: 'true',
    uid: 1001,
    gid: 1001,
    euid: 1001,
    egid: 1001,
    groupLeaderPid: 1234,
    sessionLeaderPid: 1,
    tty: 0x8803,
    executable: '/home/bin/run',
    args: ['run', '-x', 'a b'],
    cwd: '/home/bin',
  });
});

test('exec: one decoder over execs that repeat, change and return to an executable and cwd (each decoded right)', () => {
  const d = ready();
  const paths = ['/usr/bin/true', '/usr/bin/true', '/usr/bin/tru', '/bin/true', '/', '/usr/bin/true', '/usr/bin/trux', '/usr/bin/true'];
  const cwds = ['/home/u', '/home/u', '/home/v', '/', '/', '/home/u', '/home/u', '/tmp'];
  for (let i = 0; i < paths.length; i++) {
    const e = event(d.decode(FRAME_KIND_CODES.exec, record('exec', execBody(paths[i] === '/' ? '' : leafFirst(paths[i]!), 'x\0', cwds[i] === '/' ? '' : leafFirst(cwds[i]!)))));
    const got = e.process as unknown as Record<string, unknown>;
    assert.equal(got['executable'], paths[i], `exec ${i}`);
    assert.equal(got['cwd'], cwds[i], `exec ${i}`);
  }
});

const execRows: Array<[string, Buffer, Partial<Record<'args' | 'cwd' | 'argsTruncated' | 'argsBytes' | 'executable', unknown>>]> = [
  ['cwd at the root', execBody(leafFirst('/usr/bin/true'), 'true\0', ''), { cwd: '/', executable: '/usr/bin/true' }],
  ['truncated argv keeps the partial last arg and the true length', execBody(leafFirst('/bin/x'), 'x\0aaa', 'tmp\0', 70000), { args: ['x', 'aaa'], argsTruncated: true, argsBytes: 70000 }],
  ['argv with an empty argument', execBody(leafFirst('/bin/x'), 'x\0\0y\0', 'tmp\0'), { args: ['x', '', 'y'] }],
  ['cwd cut by the kernel walk is left out', execBody(leafFirst('/opt/rel'), 'rel\0', 'c\0b\0', undefined, 2), { cwd: undefined, executable: '/opt/rel' }],
  ['argv unreadable', execBody(leafFirst('/bin/x'), '', 'tmp\0', 0, 1), { args: [], argsTruncated: true, argsBytes: 0 }],
  ['executable walk cut: the execve filename, resolved against the cwd', execBody('c\0b\0', 'run\0', leafFirst('/home/u'), undefined, 4, './run'), { executable: '/home/u/run', cwd: '/home/u' }],
  ['executable walk cut, absolute filename', execBody('', 'true\0', '', undefined, 4, '/bin/true'), { executable: '/bin/true' }],
  ['executable and cwd walks cut: a relative filename stays as given', execBody('', 'rel\0', '', undefined, 4 | 2, 'rel'), { executable: 'rel', cwd: undefined }],
  ['executable walk cut and no filename: no executable', execBody('', 'x\0', '', undefined, 4), { executable: undefined, args: ['x'] }],
];
for (const [name, body, want] of execRows) {
  test(`exec: ${name}`, () => {
    const e = event(ready().decode(FRAME_KIND_CODES.exec, record('exec', body)));
    const got = e.process as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
  });
}

test('exit: exit status and signal deaths', () => {
  const d = ready();
  const status = (s: number): unknown => {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(s, 0);
    return (event(d.decode(FRAME_KIND_CODES.exit, record('exit', b))) as { exitCode?: number }).exitCode;
  };
  assert.equal(status(0), 0);
  assert.equal(status(3 << 8), 3);
  assert.equal(status(9), 137);
});

test('fork: the child with its parent start key', () => {
  const e = event(ready().decode(FRAME_KIND_CODES.fork, record('fork', Buffer.alloc(0))));
  assert.equal(e.kind, 'fork');
  assert.equal(e.process.parentStartKey, '12');
});

const ttyRows: Array<[string, number, number]> = [
  ['no controlling terminal', 0, 0],
  ['/dev/pts/3 (136, 3)', 0x8803, 34819],
  ['/dev/tty1 (4, 1)', 0x0401, 1025],
  ['/dev/pts/300 (136, 300): minor bits above 8 move to bit 20', (300 & 0xff) | (136 << 8) | ((300 & ~0xff) << 12), 1083436],
];
for (const [name, ttyNr, want] of ttyRows) {
  test(`tty: ${name} is passed through as /proc stat field 7 encodes it`, () => {
    const e = event(ready().decode(FRAME_KIND_CODES.fork, record('fork', Buffer.alloc(0), { ...PROC, ttyNr })));
    assert.equal(e.process.tty, want);
  });
}

const v6loop = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3];
const doc = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1];
const pad = (a: number[]): number[] => [...a, ...new Array(16 - a.length).fill(0)];

const inboundFlag = (b: Buffer): Buffer => {
  b.writeUInt16LE(1, 2);
  return b;
};

const netRows: Array<[string, 'connect' | 'accept' | 'disconnect', Buffer, object]> = [
  ['ipv4 connect', 'connect', netBody(2, 6, pad([127, 0, 0, 1]), 40000, pad([127, 0, 0, 2]), 8080, 0),
    { family: 'ipv4', transport: 'tcp', source: { ip: '127.0.0.1', port: 40000 }, destination: { ip: '127.0.0.2', port: 8080 }, result: 0 }],
  ['failed connect has no source', 'connect', netBody(2, 6, pad([]), 0, pad([1, 1, 1, 1]), 443, -101),
    { family: 'ipv4', destination: { ip: '1.1.1.1', port: 443 }, result: -101, source: undefined }],
  ['ipv6 udp connect', 'connect', netBody(10, 17, v6loop, 5353, doc, 53, 0),
    { family: 'ipv6', transport: 'udp', source: { ip: '::1', port: 5353 }, destination: { ip: '2001:db8::1:0:0:1', port: 53 } }],
  ['v4-mapped accept is ipv4, remote peer as source', 'accept', netBody(10, 6, mapped, 80, mapped, 51000, 5),
    { family: 'ipv4', source: { ip: '10.1.2.3', port: 51000 }, destination: { ip: '10.1.2.3', port: 80 } }],
  ['outbound disconnect: local end as source', 'disconnect', netBody(2, 6, pad([127, 0, 0, 1]), 40000, pad([127, 0, 0, 2]), 8080, 0),
    { family: 'ipv4', transport: 'tcp', source: { ip: '127.0.0.1', port: 40000 }, destination: { ip: '127.0.0.2', port: 8080 } }],
];
const inboundDisconnect = inboundFlag(record('disconnect', netBody(10, 6, v6loop, 8080, doc, 40000, 0)));
for (const [name, kind, body, want] of netRows) {
  test(`network: ${name}`, () => {
    const e = event(ready().decode(FRAME_KIND_CODES[kind], record(kind, body))) as unknown as Record<string, unknown>;
    assert.equal(e['kind'], kind);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(e[k], v, k);
  });
}

test('network: inbound disconnect is oriented like its accept', () => {
  const e = event(ready().decode(FRAME_KIND_CODES.disconnect, inboundDisconnect)) as unknown as Record<string, unknown>;
  assert.equal(e['kind'], 'disconnect');
  assert.deepEqual(e['source'], { ip: '2001:db8::1:0:0:1', port: 40000 });
  assert.deepEqual(e['destination'], { ip: '::1', port: 8080 });
  assert.equal(e['inbound'], true);
});

const malformed: Array<[string, (d: EbpfRecordDecoder) => DecodedFrame, RegExp]> = [
  ['unknown kind', (d) => d.decode(99, Buffer.alloc(200)), /unknown frame kind 99/],
  ['short exec', (d) => d.decode(FRAME_KIND_CODES.exec, Buffer.alloc(100)), /exec frame of 100 bytes/],
  ['exec lengths beyond the record', (d) => d.decode(FRAME_KIND_CODES.exec, record('exec', execBody('x\0', 'x\0', '')).subarray(0, 113)), /exceed/],
  ['exec filename beyond the record', (d) => d.decode(FRAME_KIND_CODES.exec, record('exec', execBody('', 'x\0', '', undefined, 4, '/bin/x')).subarray(0, 116)), /exceed/],
  ['unknown family', (d) => d.decode(FRAME_KIND_CODES.connect, record('connect', netBody(1, 0, pad([]), 0, pad([]), 0, 0))), /address family 1/],
  ['event before hello', () => new EbpfRecordDecoder().decode(FRAME_KIND_CODES.fork, record('fork', Buffer.alloc(0))), /before hello/],
];
for (const [name, run, reason] of malformed) {
  test(`malformed: ${name}`, () => {
    const d = run(ready());
    assert.equal(d.type, 'malformed');
    assert.match((d as { reason: string }).reason, reason);
  });
}

test('stats frame', () => {
  const p = Buffer.alloc(56);
  p.writeBigUInt64LE(3n, 0);
  p.writeBigUInt64LE(10_000_000_000n, 8);
  p.writeBigUInt64LE(1n, 24);
  p.writeBigUInt64LE(500n, 32);
  p.writeBigUInt64LE(7n, 40);
  p.writeBigUInt64LE(9n, 48);
  assert.deepEqual(ready().decode(FRAME_KIND_CODES.stats, p), {
    type: 'stats',
    stats: { lost: 3, records: 10_000_000_000, writeNs: 0, fileLost: 1, openFiltered: 500, openDeduped: 7, fileSkipped: 9 },
  });
  assert.equal(ready().decode(FRAME_KIND_CODES.stats, Buffer.alloc(24)).type, 'malformed', 'a version-2 stats frame is too short');
  assert.equal(PROC.pid, 1234);
});

test('file: a walked file (creation with inode facts), a name joined to its walked directory, a rename, a failed open as requested', () => {
  const d = ready();
  const created = event(d.decode(FRAME_KIND_CODES.file, record('file', fileBody({ action: 1, flags: 8, dir: 'a.txt\0tmp\0', result: 3, mode: 0o100644, ino: 42n, size: 5n, uid: 7, gid: 8 }))));
  assert.deepEqual(
    { ...created, process: undefined },
    { kind: 'file', action: 'creation', timeMs: 1_700_000_005_000, backend: 'ebpf', platform: 'linux', process: undefined, path: '/tmp/a.txt', result: 3, threadId: 1234, inode: 42, size: 5, mode: 0o100644, uid: 7, gid: 8 },
  );
  const deleted = event(d.decode(FRAME_KIND_CODES.file, record('file', fileBody({ action: 3, dir: 'tmp\0', name: 'gone', result: -2 }))));
  assert.equal(deleted.kind === 'file' && `${deleted.action} ${deleted.path} ${deleted.result}`, 'deletion /tmp/gone -2');
  const absolute = event(d.decode(FRAME_KIND_CODES.file, record('file', fileBody({ action: 6, flags: 16, name: '/etc/x', mode: 0o600 }))));
  assert.equal(absolute.kind === 'file' && `${absolute.action} ${absolute.path} ${absolute.mode}`, `attributes_modified /etc/x ${0o600}`);
  const renamed = event(d.decode(FRAME_KIND_CODES.file, record('file', fileBody({ action: 4, dir: 'b\0', name: 'new', odir: 'a\0', oname: 'old' }))));
  assert.equal(renamed.kind === 'file' && `${renamed.path} <- ${renamed.originalPath}`, '/b/new <- /a/old');
  const failed = event(d.decode(FRAME_KIND_CODES.file, record('file', fileBody({ action: 5, flags: 64, dir: 'home\0', name: 'x/../.ssh/id_rsa', result: -13 }))));
  assert.equal(failed.kind === 'file' && failed.path, '/home/.ssh/id_rsa', 'requested: joined lexically, not resolved');
  const cut = event(d.decode(FRAME_KIND_CODES.file, record('file', fileBody({ action: 2, flags: 2 | 1, dir: 'leaf\0' }))));
  assert.equal(cut.kind === 'file' && cut.pathTruncated && cut.truncated, true);
});

test('file: one decoder over directories that repeat, change and return (each joined right)', () => {
  const d = ready();
  const dirs = ['tmp\0', 'tmp\0', 'tmq\0', 'x\0tmp\0', '', 'tmp\0', 'tmp\0'];
  const want = ['/tmp/f', '/tmp/f', '/tmq/f', '/tmp/x/f', '/f', '/tmp/f', '/tmp/f'];
  dirs.forEach((dir, i) => {
    const e = event(d.decode(FRAME_KIND_CODES.file, record('file', fileBody({ action: 1, dir, name: 'f' }))));
    assert.equal(e.kind === 'file' && e.path, want[i], `file ${i}`);
  });
});

test('file: an unknown action or lengths past the record are malformed', () => {
  const d = ready();
  assert.equal(d.decode(FRAME_KIND_CODES.file, record('file', fileBody({ action: 9 }))).type, 'malformed');
  const body = fileBody({ action: 1, dir: 'a\0' });
  body.writeUInt16LE(999, 4);
  assert.equal(d.decode(FRAME_KIND_CODES.file, record('file', body)).type, 'malformed');
  assert.equal(d.decode(FRAME_KIND_CODES.file, record('file', Buffer.alloc(10))).type, 'malformed');
});
