import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsEvent } from '../ecs/ecs-event.js';
import type { LineScan } from '../ecs/event-reader.js';
import { isCanonicalJson } from '../eql/line-canonical.js';
import type { LineProjector } from '../eql/line-projector.js';
import { lineOffsets, nativeLineScan, nativeProjector, type NativeLineScan } from '../eql/native-line-scan.js';

/**
 * Sparse events for `vigil hunt`: a line the prefilter selects is read by a `LineProjector` into an object
 * holding only the fields the query reads, with its raw line attached under a symbol (invisible to field
 * getters, `Object.values` and `JSON.stringify`). The filters, keys, time and matcher run on the sparse
 * object; the events printed are parsed in full from the line (`fullEvent`), with `JSON.parse` on the same
 * text as without projection, or printed from the line as is when it is already what `JSON.stringify` writes.
 */
const SOURCE = Symbol('vigil.hunt.line');

/** The line: a view of the input chunk, a copy, or a place in the spill file. */
interface Source {
  buf: Buffer | null;
  s: number;
  e: number;
}

type Sparse = EcsEvent & { [SOURCE]?: Source };

/** The reader's `scan` for a projector: projected events carry a view of their line (copied by `retain`). */
export function sparseScan(projector: LineProjector, native: NativeLineScan | null = nativeLineScan()): LineScan {
  const inC = native === null ? null : nativeProjector(native, projector);
  return {
    valid: (buf, s, e) => projector.valid(buf, s, e),
    ...(native === null ? {} : { validRun: (run, sel, out) => native.validLines(run.buf, lineOffsets(run), run.starts.length, sel, out) }),
    project: (buf, s, e) => {
      const event = (inC?.(buf, s, e) ?? projector.project(buf, s, e)) as Sparse | null;
      // A symbol key: no field getter, Object.values, JSON.stringify or for-in sees it.
      if (event !== null) event[SOURCE] = { buf, s, e };
      return event;
    },
  };
}

/** Lines kept in memory at most; past this, kept lines go to a temporary file (a 5 GB hunt stays bounded). */
const DEFAULT_MEMORY_BYTES = 16 * 1024 * 1024;

/**
 * The lines of the sparse events a hunt keeps past their input chunk (which can then be freed): copied while
 * they fit in `memoryBytes`, then appended to a spill file in a private temporary directory, read back when
 * printed. `close` removes the file.
 */
export class KeptLines {
  #inMemory = 0;
  #spill: { dir: string; fd: number; size: number } | null = null;
  /** Lines written to the spill file (for reports and tests). */
  spilled = 0;

  readonly #memoryBytes: number;

  constructor(memoryBytes = DEFAULT_MEMORY_BYTES) {
    this.#memoryBytes = memoryBytes;
  }

  /**
   * The event to keep: a sparse one with its line copied or spilled; with `fields` false (nothing reads its
   * fields any more: an event query's hit, already timed) an empty stand-in holding just the line.
   */
  retain(event: EcsEvent, fields = true): EcsEvent {
    const src = (event as Sparse)[SOURCE];
    if (src === undefined || src.buf === null) return event;
    const kept: Sparse = fields ? (event as Sparse) : {};
    const len = src.e - src.s;
    if (this.#inMemory + len <= this.#memoryBytes) {
      const copy = Buffer.allocUnsafe(len);
      src.buf.copy(copy, 0, src.s, src.e);
      this.#inMemory += len;
      kept[SOURCE] = { buf: copy, s: 0, e: len };
      return kept;
    }
    if (this.#spill === null) {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-hunt-'));
      this.#spill = { dir, fd: openSync(join(dir, 'lines'), 'w+', 0o600), size: 0 };
    }
    const spill = this.#spill;
    let written = 0;
    while (written < len) written += writeSync(spill.fd, src.buf, src.s + written, len - written, spill.size + written);
    kept[SOURCE] = { buf: null, s: spill.size, e: spill.size + len };
    spill.size += len;
    this.spilled++;
    return kept;
  }

  /** Whether the event is a projection of its line (so the line nests at most MAX_EVENT_DEPTH levels). */
  projected(event: EcsEvent): boolean {
    return (event as Sparse)[SOURCE] !== undefined;
  }

  /** The bytes of an event's line, or null for an event that is not sparse. */
  line(event: EcsEvent): { buf: Buffer; s: number; e: number } | null {
    const src = (event as Sparse)[SOURCE];
    if (src === undefined) return null;
    if (src.buf !== null) return { buf: src.buf, s: src.s, e: src.e };
    const buf = Buffer.allocUnsafe(src.e - src.s);
    let read = 0;
    while (read < buf.length) {
      const n = readSync(this.#spill!.fd, buf, read, buf.length - read, src.s + read);
      if (n === 0) throw new Error('the hunt spill file is shorter than written');
      read += n;
    }
    return { buf, s: 0, e: buf.length };
  }

  /** The whole event: a sparse one parsed in full from its line, any other as is. */
  fullEvent(event: EcsEvent): EcsEvent {
    const l = this.line(event);
    return l === null ? event : (JSON.parse(l.buf.toString('utf8', l.s, l.e)) as EcsEvent);
  }

  /**
   * The JSON text of a sparse event when its line is exactly what `JSON.stringify` would write for it (so it
   * can be printed as is, without a parse and a stringify); null for any other event.
   */
  canonicalText(event: EcsEvent): string | null {
    const l = this.line(event);
    return l !== null && isCanonicalJson(l.buf, l.s, l.e) ? l.buf.toString('utf8', l.s, l.e) : null;
  }

  close(): void {
    if (this.#spill === null) return;
    closeSync(this.#spill.fd);
    rmSync(this.#spill.dir, { recursive: true, force: true });
    this.#spill = null;
  }
}
