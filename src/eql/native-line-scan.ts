import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { LineRun } from '../line-splitter.js';
import { packageRoot } from '../package-root.js';
import { valueAt, type LineProjector } from './line-projector.js';

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
  /** A projector for a key tree packed by `nativeProjector`. */
  compileProjector(spec: Uint8Array): NativeProjector;
  /** Writes the records of the line's projection into `out`; their count (a multiple of 4), or -1 (the JavaScript projector decides). */
  projectLine(projector: NativeProjector, buf: Uint8Array, s: number, e: number, out: Int32Array): number;
}

declare const SEARCHER: unique symbol;
export type NativeSearcher = { readonly [SEARCHER]: true };
declare const PROJECTOR: unique symbol;
export type NativeProjector = { readonly [PROJECTOR]: true };

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
/** Bytes of one text at most (the C searcher refuses a longer one). */
export const NATIVE_MAX_TEXT_BYTES = 1 << 20;

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

/** Room for records at most (ints): a line needing more is projected by `LineProjector#project`. */
const MAX_RECORD_INTS = 1 << 20;
const R_VALUE = 1;
const R_OBJECT = 2;
const R_ARRAY = 3;
const R_NULL = 4;
const R_ELEM_OBJECT = 5;
const R_ELEM_ARRAY = 6;
const R_ELEM_NULL = 7;

/**
 * `LineProjector#project` with its walk in C: the C projector writes what to keep as records (see
 * native/hunt/src/line_scan.c) and this builds the sparse object from them, with the same values
 * (`valueAt`) in the same order (a duplicate key keeps its last value). Undefined where C gives up (a syntax
 * error, too deep, an escaped key in a projected object): the caller runs `LineProjector#project`.
 */
export function nativeProjector(native: NativeLineScan, projector: LineProjector): (buf: Buffer, s: number, e: number) => Record<string, unknown> | undefined {
  const tree = projector.keyTree();
  const names: string[] = [];
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32LE(tree.length, 0);
  parts.push(count);
  for (const entries of tree) {
    const n = Buffer.alloc(4);
    n.writeUInt32LE(entries.length, 0);
    parts.push(n);
    for (const en of entries) {
      const name = Buffer.from(en.name, 'utf8');
      const h = Buffer.alloc(9);
      h[0] = en.whole ? 1 : 0;
      h.writeInt32LE(en.next, 1);
      h.writeUInt32LE(name.length, 5);
      parts.push(h, name);
      names.push(en.name);
    }
  }
  const handle = native.compileProjector(Buffer.concat(parts));
  let records = new Int32Array(4096);
  return (buf, s, e) => {
    let n = native.projectLine(handle, buf, s, e, records);
    // Maybe out of room: once more with room for the line (a record per 2 bytes at most), bounded (4 MiB).
    const room = Math.min(MAX_RECORD_INTS, 8 * (e - s + 8));
    if (n < 0 && records.length < room) {
      records = new Int32Array(room);
      n = native.projectLine(handle, buf, s, e, records);
    }
    if (n < 0) return undefined;
    const root: Record<string, unknown> = {};
    const stack: unknown[] = [];
    let cur: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < n; i += 4) {
      const op = records[i]!;
      if (op === R_VALUE) {
        const end = records[i + 3]!;
        (cur as Record<string, unknown>)[names[records[i + 1]!]!] = valueAt(buf, records[i + 2]!, end >>> 1, (end & 1) === 1);
      } else if (op === R_OBJECT || op === R_ARRAY) {
        const next: Record<string, unknown> | unknown[] = op === R_OBJECT ? {} : [];
        (cur as Record<string, unknown>)[names[records[i + 1]!]!] = next;
        stack.push(cur);
        cur = next;
      } else if (op === R_NULL) (cur as Record<string, unknown>)[names[records[i + 1]!]!] = null;
      else if (op === R_ELEM_OBJECT || op === R_ELEM_ARRAY) {
        const next: Record<string, unknown> | unknown[] = op === R_ELEM_OBJECT ? {} : [];
        (cur as unknown[]).push(next);
        stack.push(cur);
        cur = next;
      } else if (op === R_ELEM_NULL) (cur as unknown[]).push(null);
      else cur = stack.pop() as Record<string, unknown> | unknown[];
    }
    return root;
  };
}
