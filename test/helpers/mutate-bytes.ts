/** A line with one byte of `pool` replaced in, inserted, or a byte removed, at a random place. */
export function mutateBytes(r: () => number, s: Buffer, pool: readonly number[]): Buffer {
  const at = Math.floor(r() * (s.length + 1));
  const b = pool[Math.floor(r() * pool.length)]!;
  const x = r();
  if (x < 0.4) return Buffer.concat([s.subarray(0, at), Buffer.from([b]), s.subarray(at + 1)]);
  if (x < 0.7) return Buffer.concat([s.subarray(0, at), Buffer.from([b]), s.subarray(at)]);
  return Buffer.concat([s.subarray(0, at), s.subarray(at + 1)]);
}
