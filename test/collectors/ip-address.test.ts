import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipFromBytes, normalizeIp } from '../../src/collectors/ip-address.js';
import { decodeProcNetAddress } from '../../src/collectors/linux/proc-net.js';

const v6 = (groups: number[]): number[] => groups.flatMap((g) => [g >> 8, g & 0xff]);

/** The one IP normalization of every collector (ipaddr.js): RFC 5952 text, IPv4-mapped IPv6 as IPv4. */
const rows: Array<[string, number[], string, 'ipv4' | 'ipv6']> = [
  ['ipv4', [192, 168, 0, 1], '192.168.0.1', 'ipv4'],
  ['unspecified', v6([0, 0, 0, 0, 0, 0, 0, 0]), '::', 'ipv6'],
  ['loopback', v6([0, 0, 0, 0, 0, 0, 0, 1]), '::1', 'ipv6'],
  ['documentation prefix', v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]), '2001:db8::1', 'ipv6'],
  ['longest zero run wins', v6([1, 0, 0, 1, 0, 0, 0, 1]), '1:0:0:1::1', 'ipv6'],
  ['first of equal runs wins', v6([1, 0, 0, 1, 1, 0, 0, 1]), '1::1:1:0:0:1', 'ipv6'],
  ['a single zero group is not compressed', v6([1, 0, 2, 3, 4, 5, 6, 7]), '1:0:2:3:4:5:6:7', 'ipv6'],
  ['trailing zeros', v6([0xfe80, 1, 0, 0, 0, 0, 0, 0]), 'fe80:1::', 'ipv6'],
  ['lowercase hex', v6([0x2001, 0xdb8, 0xabcd, 0, 0, 0, 0, 0xef]), '2001:db8:abcd::ef', 'ipv6'],
  ['v4-mapped becomes ipv4', v6([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]), '127.0.0.1', 'ipv4'],
  // negative: a v4-compatible (deprecated) address is not v4-mapped
  ['v4-compatible stays ipv6', v6([0, 0, 0, 0, 0, 0, 0x7f00, 1]), '::7f00:1', 'ipv6'],
];

for (const [name, bytes, ip, family] of rows) {
  test(`ipFromBytes / normalizeIp: ${name}`, () => {
    assert.deepEqual(ipFromBytes(bytes), { family, ip });
    assert.deepEqual(ipFromBytes(Buffer.from(bytes)), { family, ip });
    assert.deepEqual(normalizeIp(ip), { family, ip }, 'text round-trips');
  });
}

test('normalizeIp: text forms, zones, and what is no address', () => {
  assert.deepEqual(normalizeIp('::FFFF:10.0.0.1'), { family: 'ipv4', ip: '10.0.0.1' });
  assert.deepEqual(normalizeIp('2001:0DB8:0000:0000:0000:0000:0000:0001'), { family: 'ipv6', ip: '2001:db8::1' });
  assert.deepEqual(normalizeIp('fe80::1%lo0'), { family: 'ipv6', ip: 'fe80::1' });
  for (const bad of ['', '*', 'localhost', '127.1', '1.2.3.4.5', '::g', '256.0.0.1']) assert.equal(normalizeIp(bad), null, bad);
});

test('procfs and eBPF agree on a dual-stack connection to ::ffff:127.0.0.1: destination.ip and network.type', () => {
  // tcp6 row text for ::ffff:127.0.0.1 (a little-endian kernel), and the 16 bytes the eBPF helper sends.
  const procfs = decodeProcNetAddress('0000000000000000FFFF00000100007F:1F90');
  const ebpf = ipFromBytes(v6([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]));
  assert.deepEqual({ ip: procfs.ip, family: procfs.family }, ebpf);
  assert.deepEqual(ebpf, { ip: '127.0.0.1', family: 'ipv4' });
});
