// Builds helper frames byte by byte, following native/linux/src/vigil-record.h, for decoder tests.
import { FRAME_KIND_CODES, FRAME_MAGIC, FRAME_VERSION } from '../../../src/collectors/linux/ebpf-layout.js';
import type { FrameKind } from '../../../src/collectors/linux/ebpf-layout.js';

export function frame(kind: FrameKind | number, payload: Buffer, version = FRAME_VERSION, magic = FRAME_MAGIC): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt32LE(magic, 0);
  h.writeUInt16LE(version, 4);
  h.writeUInt16LE(typeof kind === 'number' ? kind : FRAME_KIND_CODES[kind], 6);
  h.writeUInt32LE(payload.length, 8);
  return Buffer.concat([h, payload]);
}

export function hello(bootToEpochNs: bigint): Buffer {
  const p = Buffer.alloc(32);
  p.writeBigInt64LE(bootToEpochNs, 0);
  p.writeBigUInt64LE(8n << 20n, 8);
  p.writeUInt32LE(10, 16);
  p.writeUInt32LE(100, 20);
  p.writeUInt32LE(4242, 24);
  return p;
}

export interface ProcFields {
  timeNs: bigint;
  startTicks: bigint;
  parentStartTicks: bigint;
  startBootNs: bigint;
  pid: number;
  ppid: number;
  uid: number;
  comm: string;
  ttyNr: number;
}

export const PROC: ProcFields = {
  timeNs: 5_000_000_000n,
  startTicks: 499n,
  parentStartTicks: 12n,
  startBootNs: 4_990_000_000n,
  pid: 1234,
  ppid: 1000,
  uid: 1001,
  comm: 'true',
  ttyNr: 0x8803, // /dev/pts/3: major 136, minor 3
};

/** vg_hdr + vg_proc (96 bytes) followed by `body`. */
export function record(kind: FrameKind, body: Buffer, f: ProcFields = PROC): Buffer {
  const p = Buffer.alloc(96);
  p.writeUInt16LE(FRAME_KIND_CODES[kind], 0);
  p.writeUInt32LE(96 + body.length, 4);
  p.writeBigUInt64LE(f.timeNs, 8);
  p.writeBigUInt64LE(f.startTicks, 16);
  p.writeBigUInt64LE(f.parentStartTicks, 24);
  p.writeBigUInt64LE(f.startBootNs, 32);
  p.writeUInt32LE(f.pid, 40);
  p.writeUInt32LE(f.pid, 44);
  p.writeUInt32LE(f.ppid, 48);
  for (const at of [52, 56, 60, 64]) p.writeUInt32LE(f.uid, at);
  p.writeUInt32LE(f.pid, 68);
  p.writeUInt32LE(1, 72);
  p.writeUInt32LE(f.ttyNr, 76);
  p.write(f.comm, 80, 15, 'utf8');
  return Buffer.concat([p, body]);
}

/** Paths as the kernel walk writes them: components leaf first, each NUL-terminated ("" is the root). */
export function leafFirst(path: string): string {
  return path.split('/').filter((c) => c !== '').reverse().map((c) => c + '\0').join('');
}

/** struct vg_exec + data: executable, argv, cwd (both paths given leaf first), then the execve filename. */
export function execBody(exeLeafFirst: string, argv: string, cwdLeafFirst: string, argvTrueLen?: number, flags = 0, filename = ''): Buffer {
  const ex = Buffer.from(exeLeafFirst);
  const av = Buffer.from(argv);
  const cw = Buffer.from(cwdLeafFirst);
  const fn = Buffer.from(filename);
  const b = Buffer.alloc(16);
  b.writeUInt32LE(argvTrueLen ?? av.length, 0);
  b.writeUInt16LE(av.length, 4);
  b.writeUInt16LE(ex.length, 6);
  b.writeUInt16LE(cw.length, 8);
  b.writeUInt16LE(flags, 10);
  b.writeUInt16LE(fn.length, 12);
  return Buffer.concat([b, ex, av, cw, fn]);
}

export function netBody(family: number, protocol: number, saddr: number[], sport: number, daddr: number[], dport: number, result: number): Buffer {
  const b = Buffer.alloc(48);
  b.writeUInt16LE(family, 0);
  b[2] = protocol;
  b.writeUInt16LE(sport, 4);
  b.writeUInt16LE(dport, 6);
  b.writeInt32LE(result, 8);
  Buffer.from(saddr).copy(b, 16);
  Buffer.from(daddr).copy(b, 32);
  return b;
}

export interface FileBodyFields {
  action: number;
  flags?: number;
  dir?: string;
  name?: string;
  odir?: string;
  oname?: string;
  result?: number;
  mode?: number;
  ino?: bigint;
  size?: bigint;
  uid?: number;
  gid?: number;
}

/** struct vg_file (48 bytes) + its four segments. */
export function fileBody(f: FileBodyFields): Buffer {
  const segs = [f.dir ?? '', f.name ?? '', f.odir ?? '', f.oname ?? ''].map((s) => Buffer.from(s, 'utf8'));
  const b = Buffer.alloc(48);
  b.writeUInt8(f.action, 0);
  b.writeUInt16LE(f.flags ?? 0, 2);
  segs.forEach((s, i) => b.writeUInt16LE(s.length, 4 + 2 * i));
  b.writeInt32LE(f.result ?? 0, 12);
  b.writeUInt32LE(f.mode ?? 0, 16);
  b.writeUInt32LE(f.uid ?? 0, 20);
  b.writeUInt32LE(f.gid ?? 0, 24);
  b.writeBigUInt64LE(f.ino ?? 0n, 32);
  b.writeBigUInt64LE(f.size ?? 0n, 40);
  return Buffer.concat([b, ...segs]);
}
