import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EbpfFrameReader } from '../../../src/collectors/linux/ebpf-frame-reader.js';
import { EbpfFrameError } from '../../../src/collectors/linux/ebpf-frame-error.js';
import { FRAME_VERSION } from '../../../src/collectors/linux/ebpf-layout.js';
import { frame } from './ebpf-record-fixtures.js';

function collect(reader: EbpfFrameReader, chunks: Buffer[]): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (const c of chunks) reader.push(c, (f) => out.push([f.kind, f.payload.toString('latin1')]));
  return out;
}

const stream = Buffer.concat([
  frame('stats', Buffer.from('a'.repeat(24))),
  frame('exec', Buffer.from('b'.repeat(300))),
  frame('fork', Buffer.alloc(0)),
  frame('hello', Buffer.from('c'.repeat(32))),
]);
const expected: Array<[number, string]> = [
  [17, 'a'.repeat(24)],
  [1, 'b'.repeat(300)],
  [2, ''],
  [16, 'c'.repeat(32)],
];

test('frames come out whole whatever the chunking', () => {
  for (const size of [1, 5, 11, 12, 13, 64, 299, 1000, stream.length]) {
    const chunks: Buffer[] = [];
    for (let at = 0; at < stream.length; at += size) chunks.push(stream.subarray(at, at + size));
    const reader = new EbpfFrameReader();
    assert.deepEqual(collect(reader, chunks), expected, `chunk size ${size}`);
    assert.equal(reader.offset, stream.length);
  }
});

test('a frame larger than the carry buffer grows it', () => {
  const big = frame('exec', Buffer.alloc(100_000, 7));
  const reader = new EbpfFrameReader();
  const got = collect(reader, [big.subarray(0, 10), big.subarray(10, 70_000), big.subarray(70_000)]);
  assert.equal(got.length, 1);
  assert.equal(got[0]?.[1].length, 100_000);
});

const bad: Array<[string, Buffer, string]> = [
  ['wrong magic', frame('exec', Buffer.alloc(4), FRAME_VERSION, 0xdeadbeef), 'VG_EBPF_BAD_MAGIC'],
  ['wrong version', frame('exec', Buffer.alloc(4), FRAME_VERSION + 1), 'VG_EBPF_BAD_VERSION'],
  ['absurd length', (() => { const f = frame('exec', Buffer.alloc(4)); f.writeUInt32LE(1 << 30, 8); return f; })(), 'VG_EBPF_FRAME_TOO_LARGE'],
];

for (const [name, bytes, code] of bad) {
  test(`rejects ${name} with ${code} and the stream offset`, () => {
    const reader = new EbpfFrameReader();
    const good = frame('fork', Buffer.alloc(96));
    assert.throws(
      () => collect(reader, [good, bytes]),
      (e: unknown) => e instanceof EbpfFrameError && e.code === code && e.offset === good.length,
    );
  });
}
