import type { EcsEvent } from '../ecs/ecs-event.js';
import type { LineScan } from '../ecs/event-reader.js';
import { compileQuery, type CompiledQuery, type CompiledSequenceQuery, type CompiledStage } from '../eql/index.js';
import { sequenceKeysOf, simpleKeyId } from '../sequence/sequence-key.js';
import { KeptLines } from './hunt-sparse-events.js';

/**
 * Later-stage lines of a `sequence by K` that cannot join, dropped before their projection.
 *
 * A later stage only extends a partial sequence of its own join key, and partial sequences start at the first
 * stage only. A selected line whose category cannot satisfy the first stage's is therefore read first on its
 * key, time and category alone (a small projection): when one of its later-stage keys is held by a first-stage
 * candidate, it is projected in full and goes on as before; otherwise it is held (its small projection and
 * its line, bounded) until the whole input is read, since events are ordered by time and not by line and a
 * first-stage event with that key may come further down. At the end, a held line whose key some first-stage
 * candidate holds is projected and kept (under its input index, so the order is unchanged); the others are
 * dropped: no partial sequence of their key ever exists, so the matcher would pass over them.
 *
 * Only for queries where that holds plainly: a sequence without `until` and without missing-event stages, a
 * first stage with a category, every stage keyed by plain required fields. A line whose time is unreadable
 * (counted by the hunt) is projected at once, as before; the small projection decides nothing it could not
 * (it accepts only lines the full projection's checks accept: valid JSON at most 64 levels deep).
 */
const DEFERRED = Symbol('vigil.hunt.deferred');

/** Bytes of held lines kept in memory; past it they go to a temporary file, as kept lines do. */
const HELD_MEMORY_BYTES = 64 * 1024 * 1024;

type Deferred = EcsEvent & { [DEFERRED]?: true };

const PLAIN_FIELD = /^[A-Za-z_@][A-Za-z0-9_@]*(\.[A-Za-z_@][A-Za-z0-9_@]*)*$/;

export interface LaterStageFields {
  readonly categoryField: string;
  readonly timestampField: string;
}

export class LaterStageLines {
  /** Lines read on their key only (later-stage lines not yet known to join). */
  deferred = 0;
  /** Of those, the lines dropped at the end: no first-stage candidate holds their key. */
  dropped = 0;

  readonly #first: CompiledStage;
  readonly #later: readonly CompiledStage[];
  readonly #firstCategory: (e: EcsEvent) => boolean;
  readonly #small: LineScan;
  readonly #full: LineScan;
  readonly #firstKeys = new Set<string>();
  /**
   * Held lines, in parallel: the input index, the place in the input file (-1: copied into `#lines`), the
   * length, and either the key id (one later stage, a plain key, a line of the file: nothing else is kept, so
   * tens of thousands of held lines cost a few arrays) or the small projection itself.
   */
  readonly #heldIndex: number[] = [];
  readonly #heldAt: number[] = [];
  readonly #heldLength: number[] = [];
  readonly #heldKey: (string | EcsEvent)[] = [];
  /** The lines of held events not read from a file (stdin, or joined from two chunks). */
  readonly #lines: KeptLines;
  /**
   * Where a line of the input lies in its file (-1: not known, e.g. a line joined from two chunks or stdin),
   * and a read of the file there. A held line of the file is read again when it joins rather than copied.
   */
  fileOffset: (buf: Buffer, s: number) => number = () => -1;
  readFile: ((at: number, length: number) => Buffer) | null = null;

  private constructor(query: CompiledSequenceQuery, firstCategory: (e: EcsEvent) => boolean, small: LineScan, full: LineScan, heldBytes: number) {
    this.#first = query.stages[0]!;
    this.#later = query.stages.slice(1);
    this.#firstCategory = firstCategory;
    this.#small = small;
    this.#full = full;
    this.#lines = new KeptLines(heldBytes);
  }

  /** The key fields to project first, or null when the query is not one this applies to. */
  static keyFields(query: CompiledQuery, f: LaterStageFields): string[] | null {
    if (query.kind !== 'sequence' || query.until !== null || query.stages.length < 2) return null;
    const first = query.stages[0]!;
    if (first.category === null || !/^[a-z_][a-z0-9_]*$/.test(first.category)) return null;
    const fields = new Set<string>([f.categoryField, f.timestampField]);
    for (const stage of query.stages) {
      if (stage.missing || stage.keys.length === 0 || stage.keyOptional.some((o) => o)) return null;
      for (const name of stage.keyNames) {
        if (!PLAIN_FIELD.test(name) || !query.fields.includes(name)) return null;
        fields.add(name);
      }
    }
    return [...fields];
  }

  /**
   * For a hunt reading lines through `full`: `small` projects `keyFields(query)`. Null when the query is not
   * one this applies to.
   */
  static create(query: CompiledQuery, f: LaterStageFields, small: LineScan | null, full: LineScan | undefined, heldBytes = HELD_MEMORY_BYTES): LaterStageLines | null {
    if (small === null || full === undefined || LaterStageLines.keyFields(query, f) === null || query.kind !== 'sequence') return null;
    let firstCategory: (e: EcsEvent) => boolean;
    try {
      // The first stage's category check alone, compiled as the stage's own is (it reads the category field only).
      const q = compileQuery(`${query.stages[0]!.category} where true`, { categoryField: f.categoryField, timestampField: f.timestampField });
      if (q.kind !== 'event') return null;
      firstCategory = q.stage.filter;
    } catch {
      return null;
    }
    return new LaterStageLines(query, firstCategory, small, full, heldBytes);
  }

  /** The reader's scan: a selected line that cannot be a first-stage event comes back as its small projection. */
  scan(): LineScan {
    const full = this.#full;
    const small = this.#small;
    return {
      ...full,
      project: (buf, s, e) => {
        const ev = small.project(buf, s, e) as Deferred | null;
        if (ev === null || this.#firstCategory(ev)) return full.project(buf, s, e);
        ev[DEFERRED] = true;
        return ev;
      },
    };
  }

  isDeferred(event: EcsEvent): boolean {
    return (event as Deferred)[DEFERRED] === true;
  }

  /** A kept event that may be a first-stage one: its first-stage keys join from now on. */
  noteKept(event: EcsEvent): void {
    if (!this.#firstCategory(event)) return;
    const simple = simpleKeyId(this.#first, event);
    if (simple !== null) this.#firstKeys.add(simple);
    else for (const k of sequenceKeysOf(this.#first, event)) this.#firstKeys.add(k.id);
  }

  /**
   * A deferred event read at `index` (its line still in its input chunk): the event to take now (projected in
   * full) when its time is unreadable or its key already joins, else null (held to the end).
   */
  hold(event: EcsEvent, index: number, readTime: (e: EcsEvent) => number | null): EcsEvent | null {
    if (readTime(event) === null || this.#joins(event)) return this.#project(this.#lines.line(event));
    this.deferred++;
    const line = this.#lines.line(event)!;
    const at = this.readFile === null ? -1 : this.fileOffset(line.buf, line.s);
    const simple = at >= 0 && this.#later.length === 1 ? simpleKeyId(this.#later[0]!, event) : null;
    this.#heldIndex.push(index);
    this.#heldAt.push(at);
    this.#heldLength.push(line.e - line.s);
    this.#heldKey.push(simple ?? (at < 0 ? this.#lines.retain(event) : event));
    return null;
  }

  /** After the input: each held event whose key a first-stage candidate holds, projected in full. */
  *joining(): Generator<{ event: EcsEvent; index: number }> {
    for (let i = 0; i < this.#heldIndex.length; i++) {
      const key = this.#heldKey[i]!;
      if (typeof key === 'string' ? !this.#firstKeys.has(key) : !this.#joins(key)) {
        this.dropped++;
        continue;
      }
      const at = this.#heldAt[i]!;
      if (at < 0) {
        yield { event: this.#project(this.#lines.line(key as EcsEvent)), index: this.#heldIndex[i]! };
        continue;
      }
      const buf = this.readFile!(at, this.#heldLength[i]!);
      const full = this.#project({ buf, s: 0, e: buf.length });
      // The same bytes give the same key; a file rewritten under the hunt would not.
      if (!this.#joins(full)) throw new Error('the input changed while it was read');
      yield { event: full, index: this.#heldIndex[i]! };
    }
  }

  close(): void {
    this.#lines.close();
  }

  #joins(event: EcsEvent): boolean {
    // A key of plain strings or numbers has the id sequenceKeysOf gives it, without allocating tuples.
    for (const stage of this.#later) {
      const simple = simpleKeyId(stage, event);
      if (simple !== null) {
        if (this.#firstKeys.has(simple)) return true;
      } else {
        for (const k of sequenceKeysOf(stage, event)) if (this.#firstKeys.has(k.id)) return true;
      }
    }
    return false;
  }

  /** The line's full projection, or its parse when the projector declines (the small one accepted it: valid JSON). */
  #project(line: { buf: Buffer; s: number; e: number } | null): EcsEvent {
    if (line === null) throw new Error('a held hunt event lost its line');
    return this.#full.project(line.buf, line.s, line.e) ?? (JSON.parse(line.buf.toString('utf8', line.s, line.e)) as EcsEvent);
  }
}
