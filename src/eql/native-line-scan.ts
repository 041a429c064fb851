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
  /** A searcher for texts packed by `packTexts`. */
  compileTexts(spec: Uint8Array): NativeSearcher;
  /** Sets `out[i] = 1` for each line holding one of the searcher's texts (other entries left as they are). */
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

/** A text to search: its bytes, ASCII case-insensitive or not, and whether it must not be followed by `:` (a key). */
export interface NativeText {
  readonly bytes: Buffer;
  readonly ci: boolean;
  readonly notKey: boolean;
}

/** The searcher spec: per text, a flags byte (1: case-insensitive, 2: not a key), its length (u32 LE), its bytes. */
export function packTexts(texts: readonly NativeText[]): Buffer {
  const parts: Buffer[] = [];
  for (const t of texts) {
    const head = Buffer.alloc(5);
    head[0] = (t.ci ? 1 : 0) | (t.notKey ? 2 : 0);
    head.writeUInt32LE(t.bytes.length, 1);
    parts.push(head, t.bytes);
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
