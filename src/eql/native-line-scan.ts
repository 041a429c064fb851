import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { LineRun } from '../line-splitter.js';
import { packageRoot } from '../package-root.js';

/**
 * The C line scanner (native/hunt, built by `npm run build` where a C compiler exists): the per-byte work of
 * `vigil hunt` — the JSON-grammar check of the lines the prefilter passes over and the prefilter's text
 * search — done in C for whole runs of lines. Its results are exactly those of the JavaScript code it stands
 * in for (`LineProjector#valid`, the prefilter's finders); tests hold both to each other. When it is absent
 * (no compiler, another platform) or `VIGIL_NATIVE_LINE_SCAN=0`, the JavaScript code runs.
 */
export interface NativeLineScan {
  /** For each line i with `sel[i] === 0`: `out[i] = 1` when it is one JSON object `LineProjector#valid` accepts, else 0. */
  validLines(buf: Uint8Array, offsets: Int32Array, n: number, sel: Uint8Array, out: Uint8Array): void;
  /** A searcher for a condition on texts, packed by `packTexts`. */
  compileTexts(spec: Uint8Array): NativeSearcher;
  /** Sets `out[i] = 1` for each line holding a forcing text or on which the searcher's condition holds (others left as they are). */
  markLines(searcher: NativeSearcher, buf: Uint8Array, offsets: Int32Array, n: number, out: Uint8Array): void;
}

declare const SEARCHER: unique symbol;
export type NativeSearcher = { readonly [SEARCHER]: true };

export const NATIVE_LINE_SCAN_PATH = join(packageRoot, 'native', 'hunt', 'build', 'vigil_line_scan.node');

let loaded: NativeLineScan | null | undefined;

/** The C scanner, or null when it is not built here or turned off (`VIGIL_NATIVE_LINE_SCAN=0`). */
export function nativeLineScan(): NativeLineScan | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.env.VIGIL_NATIVE_LINE_SCAN === '0') return null;
  try {
    loaded = createRequire(import.meta.url)(NATIVE_LINE_SCAN_PATH) as NativeLineScan;
  } catch {
    loaded = null; // not built: the JavaScript path
  }
  return loaded;
}

/** A text to search: its bytes, ASCII case-insensitive or not, whether it must not be followed by `:` (a key), its leaf. */
export interface NativeText {
  readonly bytes: Buffer;
  readonly ci: boolean;
  readonly notKey: boolean;
  /** The leaf of the condition it makes true (0 to NATIVE_MAX_LEAVES - 1). */
  readonly leaf: number;
  /** A line holding it is marked whatever the condition (it could hide a text: a `\u` escape). */
  readonly forcing: boolean;
}

/**
 * The searcher's condition: a postfix program of `kind << 24 | argument` ops. Leaf: pushes whether the line
 * holds a text of leaf `argument`; And / Or: pops `argument` values, pushes their `and` / `or`.
 */
export const NativeOp = { Leaf: 0, And: 1, Or: 2, True: 3, False: 4 } as const;
export const NATIVE_MAX_LEAVES = 1024;
export const NATIVE_MAX_OPS = 8192;

/**
 * The searcher spec: the condition (op count, then the ops, u32 each); then per text a flags byte
 * (1: case-insensitive, 2: not a key, 4: forcing), its leaf (u16), its length (u32), its bytes. Little-endian.
 */
export function packTexts(ops: readonly number[], texts: readonly NativeText[]): Buffer {
  const head = Buffer.alloc(4 + 4 * ops.length);
  head.writeUInt32LE(ops.length, 0);
  ops.forEach((op, i) => head.writeUInt32LE(op >>> 0, 4 + 4 * i));
  const parts: Buffer[] = [head];
  for (const t of texts) {
    const h = Buffer.alloc(7);
    h[0] = (t.ci ? 1 : 0) | (t.notKey ? 2 : 0) | (t.forcing ? 4 : 0);
    h.writeUInt16LE(t.leaf, 1);
    h.writeUInt32LE(t.bytes.length, 3);
    parts.push(h, t.bytes);
  }
  return Buffer.concat(parts);
}

let lastRun: LineRun | null = null;
let lastOffsets = new Int32Array(2048);

/** The start and end offsets of a run's lines, interleaved (the last run's are reused). */
export function lineOffsets(run: LineRun): Int32Array {
  if (run === lastRun) return lastOffsets;
  const { starts, ends } = run;
  const n = starts.length;
  if (lastOffsets.length < 2 * n) lastOffsets = new Int32Array(Math.max(2 * n, 2 * lastOffsets.length));
  const o = lastOffsets;
  for (let i = 0; i < n; i++) {
    o[2 * i] = starts[i]!;
    o[2 * i + 1] = ends[i]!;
  }
  lastRun = run;
  return o;
}
