import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePidStat } from '../../../src/collectors/linux/proc-pid-stat.js';
import { parsePidStatus } from '../../../src/collectors/linux/proc-pid-status.js';
import { parseCmdline } from '../../../src/collectors/linux/proc-cmdline.js';
import { parseKernelStat } from '../../../src/collectors/linux/proc-kernel-stat.js';
import { decodeProcNetAddress, parseProcNet } from '../../../src/collectors/linux/proc-net.js';
import { ProcParseError } from '../../../src/collectors/linux/proc-parse-error.js';

// 52 fields as Linux 6.x prints them; field 22 (start time) is 12345, ppid 1, pgrp 100, session 100.
const tail = 'S 1 100 100 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 1000 10 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0';

const statRows: Array<[string, string, { comm: string; startTicks: string; ppid: number; state: string } | string]> = [
  ['plain', `42 (sleep) ${tail}`, { comm: 'sleep', startTicks: '12345', ppid: 1, state: 'S' }],
  ['comm with spaces and parens', `42 (a) (b c)) ${tail}`, { comm: 'a) (b c)', startTicks: '12345', ppid: 1, state: 'S' }],
  ['comm that looks like fields', `42 (1 2 3) 4) ${tail}`, { comm: '1 2 3) 4', startTicks: '12345', ppid: 1, state: 'S' }],
  ['empty comm', `42 () ${tail}`, { comm: '', startTicks: '12345', ppid: 1, state: 'S' }],
  ['zombie', `42 (defunct) ${tail.replace(/^S/, 'Z')}`, { comm: 'defunct', startTicks: '12345', ppid: 1, state: 'Z' }],
  ['trailing newline', `42 (x) ${tail}\n`, { comm: 'x', startTicks: '12345', ppid: 1, state: 'S' }],
  // negative rows
  ['no parentheses', `42 sleep ${tail}`, 'PROC_STAT_NO_COMM'],
  ['truncated after comm', '42 (sleep) S 1 100', 'PROC_STAT_SHORT'],
  ['bad pid', `x42 (sleep) ${tail}`, 'PROC_STAT_BAD_NUMBER'],
  ['non-numeric start time', `42 (sleep) ${tail.replace(' 12345 ', ' soon ')}`, 'PROC_STAT_BAD_NUMBER'],
  ['empty', '', 'PROC_STAT_NO_COMM'],
];

for (const [name, text, expected] of statRows) {
  test(`parsePidStat: ${name}`, () => {
    if (typeof expected === 'string') {
      assert.throws(() => parsePidStat(text), (e: unknown) => e instanceof ProcParseError && e.code === expected);
      return;
    }
    const s = parsePidStat(text);
    assert.equal(s.pid, 42);
    assert.equal(s.comm, expected.comm);
    assert.equal(s.startTicks, expected.startTicks);
    assert.equal(s.ppid, expected.ppid);
    assert.equal(s.state, expected.state);
    assert.equal(s.pgrp, 100);
    assert.equal(s.session, 100);
    assert.equal(s.numThreads, 1);
  });
}

test('parsePidStat: the real /proc/self/stat names this process and its parent', () => {
  const s = parsePidStat(readFileSync('/proc/self/stat', 'utf8'));
  assert.equal(s.pid, process.pid);
  assert.equal(s.ppid, process.ppid);
  assert.match(s.startTicks, /^\d+$/);
});

const statusRows: Array<[string, string, object | string]> = [
  ['uids and gids', 'Name:\tsleep\nTgid:\t42\nPPid:\t1\nUid:\t1000\t0\t0\t0\nGid:\t100\t101\t101\t101\n', { name: 'sleep', tgid: 42, ppid: 1, uids: [1000, 0, 0, 0], gids: [100, 101, 101, 101] }],
  ['unknown keys ignored', 'Name:\tx\nVmRSS:\t  100 kB\nSigQ:\t0/1\n', { name: 'x' }],
  // negative rows
  ['line without key', 'Name:\tx\ngarbage\n', 'PROC_STATUS_BAD_LINE'],
  ['short uid list', 'Uid:\t1000\t0\n', 'PROC_STATUS_BAD_LINE'],
  ['non-numeric gid', 'Gid:\ta\tb\tc\td\n', 'PROC_STATUS_BAD_LINE'],
];
for (const [name, text, expected] of statusRows) {
  test(`parsePidStatus: ${name}`, () => {
    if (typeof expected === 'string') {
      assert.throws(() => parsePidStatus(text), (e: unknown) => e instanceof ProcParseError && e.code === expected);
    } else {
      assert.deepEqual(parsePidStatus(text), expected);
    }
  });
}

const cmdlineRows: Array<[string, string, string[]]> = [
  ['argv', 'sleep\x0030\x00', ['sleep', '30']],
  ['empty argument kept', 'a\x00\x00b\x00', ['a', '', 'b']],
  ['no trailing NUL (argv rewritten)', 'nginx: worker process', ['nginx: worker process']],
  ['zombie / kernel thread', '', []],
];
for (const [name, text, expected] of cmdlineRows) {
  test(`parseCmdline: ${name}`, () => {
    assert.deepEqual(parseCmdline(Buffer.from(text)), expected);
  });
}

test('parseKernelStat: btime and processes; missing lines rejected', () => {
  assert.deepEqual(parseKernelStat('cpu  1 2 3\nbtime 1700000000\nprocesses 8812\nprocs_running 1\n'), { btime: 1700000000, processes: 8812 });
  assert.throws(() => parseKernelStat('cpu 1\nprocesses 3\n'), (e: unknown) => e instanceof ProcParseError && e.code === 'PROC_KSTAT_MISSING');
  assert.throws(() => parseKernelStat('btime 1\n'), (e: unknown) => e instanceof ProcParseError && e.code === 'PROC_KSTAT_MISSING');
  const real = parseKernelStat(readFileSync('/proc/stat', 'utf8'));
  assert.ok(real.processes > 0 && real.btime > 1_000_000_000);
});

// Addresses as a little-endian kernel prints them (this machine is x86-64).
const addressRows: Array<[string, string, { ip: string; port: number } | null]> = [
  ['ipv4 loopback', '0100007F:1F90', { ip: '127.0.0.1', port: 8080 }],
  ['ipv4 any', '00000000:0016', { ip: '0.0.0.0', port: 22 }],
  ['ipv4 public', '01010101:01BB', { ip: '1.1.1.1', port: 443 }],
  ['ipv6 loopback', '00000000000000000000000001000000:0050', { ip: '::1', port: 80 }],
  ['ipv6 any', '00000000000000000000000000000000:0000', { ip: '::', port: 0 }],
  // A dual-stack socket's IPv4 peer: IPv4, as the eBPF collector writes it.
  ['ipv4-mapped', '0000000000000000FFFF00000100007F:1F90', { ip: '127.0.0.1', port: 8080 }],
  ['ipv6 global', 'B80D0120000000000000000001000000:0035', { ip: '2001:db8::1', port: 53 }],
  // negative rows
  ['too short', '0100007:1F90', null],
  ['no port', '0100007F', null],
  ['not hex', '0100007G:1F90', null],
];
for (const [name, text, expected] of addressRows) {
  test(`decodeProcNetAddress: ${name}`, () => {
    if (expected === null) {
      assert.throws(() => decodeProcNetAddress(text), (e: unknown) => e instanceof ProcParseError && e.code === 'PROC_NET_BAD_ADDRESS');
    } else {
      const d = decodeProcNetAddress(text);
      assert.deepEqual({ ip: d.ip, port: d.port }, expected);
    }
  });
}

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
test('parseProcNet: listen, established and syn_sent rows; uid and inode', () => {
  const text = [
    TCP_HEADER,
    '   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0000000000000000 100 0 0 10 0',
    '   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 2222 1 0000000000000000 20 4 30 10 -1',
    '   2: 0100007F:C351 01010101:01BB 02 00000000:00000000 01:00000064 00000002     0        0 3333 2 0000000000000000 100 0 0 10 -1',
    '',
  ].join('\n');
  const rows = parseProcNet(text, 'tcp');
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((r) => r.tcpState), ['listen', 'established', 'syn_sent']);
  assert.deepEqual(rows[1], {
    transport: 'tcp', family: 'ipv4', localIp: '127.0.0.1', localPort: 50000, remoteIp: '127.0.0.1', remotePort: 8080,
    state: '01', tcpState: 'established', uid: 1000, inode: 2222,
  });
  assert.equal(rows[2]!.remoteIp, '1.1.1.1');
});

test('parseProcNet: udp header (with ref pointer drops) and a connected row', () => {
  const text = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n' +
    '  100: 0100007F:A000 0100007F:0035 01 00000000:00000000 00:00000000 00000000     0        0 4444 2 0000000000000000 0\n';
  const rows = parseProcNet(text, 'udp');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.tcpState, undefined);
  assert.equal(rows[0]!.remotePort, 53);
});

const badNet: Array<[string, string, string]> = [
  ['wrong header', 'hello\n', 'PROC_NET_BAD_HEADER'],
  ['short row', `${TCP_HEADER}\n   0: 0100007F:C350 0100007F:1F90 01\n`, 'PROC_NET_BAD_ROW'],
  ['bad state', `${TCP_HEADER}\n   0: 0100007F:C350 0100007F:1F90 ZZ 0:0 0:0 0 0 0 5 1\n`, 'PROC_NET_BAD_ROW'],
  ['bad address', `${TCP_HEADER}\n   0: 0100007F:C35 0100007F:1F90 01 0:0 0:0 0 0 0 5 1\n`, 'PROC_NET_BAD_ADDRESS'],
];
for (const [name, text, code] of badNet) {
  test(`parseProcNet rejects: ${name}`, () => {
    assert.throws(() => parseProcNet(text, 'tcp'), (e: unknown) => e instanceof ProcParseError && e.code === code);
  });
}

test('parseProcNet: the real /proc/net tables of this machine parse', () => {
  for (const [file, transport] of [['tcp', 'tcp'], ['tcp6', 'tcp'], ['udp', 'udp'], ['udp6', 'udp']] as const) {
    let text: string;
    try {
      text = readFileSync(`/proc/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    const rows = parseProcNet(text, transport);
    for (const r of rows) assert.ok(r.localPort >= 0 && r.localPort < 65536);
  }
});
