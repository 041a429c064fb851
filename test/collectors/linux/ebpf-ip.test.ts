import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIp } from '../../../src/collectors/linux/ebpf-ip.js';

const v6 = (groups: number[]): Buffer => {
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(g, i * 2));
  return b;
};

const rows: Array<[string, number, Buffer, string, 'ipv4' | 'ipv6']> = [
  ['ipv4', 2, Buffer.from([192, 168, 0, 1, ...new Array(12).fill(0)]), '192.168.0.1', 'ipv4'],
  ['unspecified', 10, v6([0, 0, 0, 0, 0, 0, 0, 0]), '::', 'ipv6'],
  ['loopback', 10, v6([0, 0, 0, 0, 0, 0, 0, 1]), '::1', 'ipv6'],
  ['documentation prefix', 10, v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]), '2001:db8::1', 'ipv6'],
  ['longest zero run wins', 10, v6([1, 0, 0, 1, 0, 0, 0, 1]), '1:0:0:1::1', 'ipv6'],
  ['first of equal runs wins', 10, v6([1, 0, 0, 1, 1, 0, 0, 1]), '1::1:1:0:0:1', 'ipv6'],
  ['a single zero group is not compressed', 10, v6([1, 0, 2, 3, 4, 5, 6, 7]), '1:0:2:3:4:5:6:7', 'ipv6'],
  ['trailing zeros', 10, v6([0xfe80, 1, 0, 0, 0, 0, 0, 0]), 'fe80:1::', 'ipv6'],
  ['v4-mapped becomes ipv4', 10, v6([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]), '127.0.0.1', 'ipv4'],
  // negative: a v4-compatible (deprecated) address is not v4-mapped
  ['v4-compatible stays ipv6', 10, v6([0, 0, 0, 0, 0, 0, 0x7f00, 1]), '::7f00:1', 'ipv6'],
];

for (const [name, family, bytes, ip, fam] of rows) {
  test(`decodeIp: ${name}`, () => {
    assert.deepEqual(decodeIp(family, bytes, 0), { family: fam, ip });
  });
}
