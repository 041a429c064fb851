import { MAX_EVENT_DEPTH } from '../ecs/event-depth.js';

/** Only `LineProjector.forFields` constructs one (it refuses unsafe paths first): the constructor asks for this module's key. */
const FOR_FIELDS: unique symbol = Symbol('LineProjector.forFields');

/**
 * Reads a raw NDJSON line without `JSON.parse`: checks that it is one JSON object that `JSON.parse` accepts
 * (`valid`), or builds from it a sparse object holding only the fields a query reads (`project`), so that
 * `vigil hunt` can run the query's filters, keys and time on most lines at a fraction of a full parse and
 * parse in full only the events it prints.
 *
 * Both are strict: a line they accept is one `JSON.parse` accepts (RFC 8259 grammar on the bytes; a byte
 * sequence that is not UTF-8 only ever occurs inside a string, where decoding makes it U+FFFD, which JSON
 * allows). When they are not sure (a syntax error, a value that is not an object, nesting deeper than
 * `MAX_EVENT_DEPTH`) they decline and the caller parses the line as before, so errors, their messages and
 * their line numbers are `JSON.parse`'s own.
 *
 * A projection holds, for every field path, everything the field getter (`compileFieldGetter`) can visit on
 * the way: nested objects, literal dotted keys (`"process.name"`, `"process": {"parent.name": ...}`), arrays
 * of objects; a duplicate key keeps its last value, as `JSON.parse` does. The value at the end of a path is
 * the whole value, parsed. Anything else the getter could read resolves the same on both (to `undefined`):
 * a scalar where an object is needed is kept as `null`, a field the query does not read is absent.
 */
export class LineProjector {
  readonly #root: KeyNode;

  constructor(key: typeof FOR_FIELDS, root: KeyNode) {
    if (key !== FOR_FIELDS) throw new TypeError('LineProjector: use LineProjector.forFields()');
    this.#root = root;
  }

  /** Null when a path cannot be projected safely (a `__proto__` segment, a U+FFFD in a name). */
  static forFields(paths: Iterable<string>): LineProjector | null {
    const root = new KeyNode();
    for (const path of paths) {
      if (path.includes('\ufffd') || path.split('.').includes('__proto__')) return null;
      root.add(path.split('.'), 0);
    }
    return new LineProjector(FOR_FIELDS, root);
  }

  /** Whether `buf[s, e)` is one JSON object `JSON.parse` accepts, nested at most `MAX_EVENT_DEPTH` levels. */
  valid(buf: Buffer, s: number, e: number): boolean {
    const i = skipWs(buf, s, e);
    if (buf[i] !== OPEN_OBJECT) return false;
    const j = skipObject(buf, i, e, 1);
    return j >= 0 && skipWs(buf, j, e) === e;
  }

  /**
   * The key tree, flattened for the C projector (`nativeProjector`): node 0 is the root; an entry's `next`
   * is the index of the node below it (-1 for a path's end, kept whole).
   */
  keyTree(): Array<Array<{ readonly name: string; readonly whole: boolean; readonly next: number }>> {
    const nodes: Array<Array<{ name: string; whole: boolean; next: number }>> = [];
    const visit = (node: KeyNode): number => {
      const at = nodes.length;
      const entries: Array<{ name: string; whole: boolean; next: number }> = [];
      nodes.push(entries);
      for (const k of node.keys) entries.push({ name: k.name, whole: k.whole, next: k.next === null ? -1 : visit(k.next) });
      return at;
    };
    visit(this.#root);
    return nodes;
  }

  /** The sparse object of the line, or null when it is not sure (the caller parses the line in full). */
  project(buf: Buffer, s: number, e: number): Record<string, unknown> | null {
    const i = skipWs(buf, s, e);
    if (buf[i] !== OPEN_OBJECT) return null;
    const out: Record<string, unknown> = {};
    const j = projectObject(buf, i, e, 1, this.#root, out);
    return j >= 0 && skipWs(buf, j, e) === e ? out : null;
  }
}

/** The keys of one object level worth keeping: a key that ends a path (`whole`) or leads further (`next`). */
class KeyNode {
  readonly keys: KeyEntry[] = [];
  /** The entries by the UTF-8 length of their name (most keys of a line are told apart by length alone). */
  byLength: Array<KeyEntry[] | undefined> = [];

  add(parts: readonly string[], i: number): void {
    // `a.b.c` from level i: key `a` then `b.c` below, key `a.b` then `c` below, or key `a.b.c` itself.
    for (let j = i; j < parts.length; j++) {
      const name = parts.slice(i, j + 1).join('.');
      let entry = this.keys.find((k) => k.name === name);
      if (entry === undefined) {
        entry = { name, bytes: Buffer.from(name, 'utf8'), whole: false, next: null };
        this.keys.push(entry);
        (this.byLength[entry.bytes.length] ??= []).push(entry);
      }
      if (j === parts.length - 1) {
        entry.whole = true;
        entry.next = null;
      } else if (!entry.whole) {
        entry.next ??= new KeyNode();
        entry.next.add(parts, j + 1);
      }
    }
  }

  /** The entry for the key written at `buf[s, e)` (between its quotes), or undefined. */
  find(buf: Buffer, s: number, e: number, escaped: boolean): KeyEntry | undefined {
    const keys = this.keys;
    if (escaped) {
      const name = JSON.parse(buf.toString('utf8', s - 1, e + 1)) as string;
      return keys.find((k) => k.name === name);
    }
    const len = e - s;
    const ofLength = this.byLength[len];
    if (ofLength === undefined) return undefined;
    for (let k = 0; k < ofLength.length; k++) {
      const entry = ofLength[k]!;
      const bytes = entry.bytes;
      let x = 0;
      while (x < len && bytes[x] === buf[s + x]) x++;
      if (x === len) return entry;
    }
    return undefined;
  }
}

interface KeyEntry {
  readonly name: string;
  readonly bytes: Buffer;
  whole: boolean;
  next: KeyNode | null;
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

const table = (bytes: Iterable<number>): Uint8Array => {
  const t = new Uint8Array(256);
  for (const b of bytes) t[b] = 1;
  return t;
};
const codes = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const WS = table(codes(' \t\n\r'));
/** Bytes that end the fast run of a string: the quote, the backslash, control characters. */
const STRING_STOP = table([...Array.from({ length: 0x20 }, (_, i) => i), QUOTE, BACKSLASH]);
const ESCAPE = table(codes('"\\/bfnrt'));
const HEX = table(codes('0123456789abcdefABCDEF'));
const DIGIT = table(codes('0123456789'));

function skipWs(b: Buffer, i: number, e: number): number {
  while (i < e && WS[b[i]!] === 1) i++;
  return i;
}

/**
 * From just after an opening quote to just after the closing one; -1 when not a valid string. Sets `sawEscape`.
 * The fast loop needs no bound: it stops at the line's own end (a newline, a stop byte) or past the buffer.
 */
let sawEscape = false;
function skipString(b: Buffer, i: number, e: number): number {
  for (;;) {
    while (STRING_STOP[b[i]!] === 0) i++;
    if (i >= e) return -1;
    const c = b[i++]!;
    if (c === QUOTE) return i;
    if (c !== BACKSLASH) return -1;
    sawEscape = true;
    if (i >= e) return -1;
    const x = b[i++]!;
    if (x === 0x75) {
      if (i + 4 > e || HEX[b[i]!]! + HEX[b[i + 1]!]! + HEX[b[i + 2]!]! + HEX[b[i + 3]!]! !== 4) return -1;
      i += 4;
    } else if (ESCAPE[x] !== 1) return -1;
  }
}

function skipDigits(b: Buffer, i: number, e: number): number {
  while (i < e && DIGIT[b[i]!] === 1) i++;
  return i;
}

function skipNumber(b: Buffer, i: number, e: number): number {
  if (b[i] === 0x2d) i++;
  if (i >= e) return -1;
  const c = b[i]!;
  if (c === 0x30) i++;
  else if (c >= 0x31 && c <= 0x39) i = skipDigits(b, i + 1, e);
  else return -1;
  if (i < e && b[i] === 0x2e) {
    if (i + 1 >= e || DIGIT[b[i + 1]!] !== 1) return -1;
    i = skipDigits(b, i + 1, e);
  }
  if (i < e && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < e && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    if (i >= e || DIGIT[b[i]!] !== 1) return -1;
    i = skipDigits(b, i, e);
  }
  return i;
}

function skipWord(b: Buffer, i: number, e: number, word: readonly number[]): number {
  if (i + word.length > e) return -1;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return -1;
  return i + word.length;
}
const TRUE = codes('true');
const FALSE = codes('false');
const NULL = codes('null');

/** Skips one value at `i` (no leading space); `d` is the nesting depth of the container holding it. */
function skipValue(b: Buffer, i: number, e: number, d: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i + 1, e);
  if (c === OPEN_OBJECT) return skipObject(b, i, e, d + 1);
  if (c === OPEN_ARRAY) return skipArray(b, i, e, d + 1);
  if (c === 0x74) return skipWord(b, i, e, TRUE);
  if (c === 0x66) return skipWord(b, i, e, FALSE);
  if (c === 0x6e) return skipWord(b, i, e, NULL);
  return skipNumber(b, i, e);
}

/** An object at `i` (its `{`) at depth `d`; returns the index after its `}`, or -1. */
function skipObject(b: Buffer, i: number, e: number, d: number): number {
  if (d > MAX_EVENT_DEPTH) return -1;
  i = skipWs(b, i + 1, e);
  if (i >= e) return -1;
  if (b[i] === CLOSE_OBJECT) return i + 1;
  for (;;) {
    if (b[i] !== QUOTE) return -1;
    i = skipString(b, i + 1, e);
    if (i < 0) return -1;
    i = skipWs(b, i, e);
    if (b[i] !== COLON || i >= e) return -1;
    i = skipWs(b, i + 1, e);
    if (i >= e) return -1;
    i = skipValue(b, i, e, d);
    if (i < 0) return -1;
    i = skipWs(b, i, e);
    if (i >= e) return -1;
    const c = b[i];
    if (c === CLOSE_OBJECT) return i + 1;
    if (c !== COMMA) return -1;
    i = skipWs(b, i + 1, e);
    if (i >= e) return -1;
  }
}

function skipArray(b: Buffer, i: number, e: number, d: number): number {
  if (d > MAX_EVENT_DEPTH) return -1;
  i = skipWs(b, i + 1, e);
  if (i >= e) return -1;
  if (b[i] === CLOSE_ARRAY) return i + 1;
  for (;;) {
    i = skipValue(b, i, e, d);
    if (i < 0) return -1;
    i = skipWs(b, i, e);
    if (i >= e) return -1;
    const c = b[i];
    if (c === CLOSE_ARRAY) return i + 1;
    if (c !== COMMA) return -1;
    i = skipWs(b, i + 1, e);
    if (i >= e) return -1;
  }
}

/** The value at `b[s, e)` (already checked), as `JSON.parse` gives it; `escaped`: it holds a backslash. */
export function valueAt(b: Buffer, s: number, e: number, escaped: boolean): unknown {
  const c = b[s];
  if (c === QUOTE && !escaped) return utf8(b, s + 1, e - 1);
  if (c === OPEN_ARRAY && !escaped) {
    // An array of plain strings (`["process"]`, `["start"]`): the common shape, read without JSON.parse.
    const out: string[] = [];
    let i = skipWs(b, s + 1, e);
    if (b[i] === CLOSE_ARRAY) return out;
    for (;;) {
      if (b[i] !== QUOTE) return JSON.parse(utf8(b, s, e));
      const end = skipString(b, i + 1, e);
      out.push(utf8(b, i + 1, end - 1));
      i = skipWs(b, end, e);
      if (b[i] === CLOSE_ARRAY) return out;
      i = skipWs(b, i + 1, e); // a comma: the value was checked already
    }
  }
  return JSON.parse(utf8(b, s, e));
}

type Slicing = Buffer & { utf8Slice?: (s: number, e: number) => string; latin1Slice?: (s: number, e: number) => string };

/**
 * `buf.toString('utf8', s, e)`, for short ASCII strings from a small cache (the same few values, `process`,
 * `start`, host and user names, recur on every line): no decode, no new string. A slot is checked byte for
 * byte against the string it holds, so a collision only costs a decode.
 */
const INTERN_MAX = 32;
const internSlots: string[] = new Array<string>(4096).fill('');
function utf8(b: Buffer, s: number, e: number): string {
  const len = e - s;
  if (len <= INTERN_MAX) {
    let h = len;
    let ascii = 0;
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      ascii |= c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    if (ascii < 0x80) {
      const slot = (h ^ (h >>> 15)) & 4095;
      const hit = internSlots[slot]!;
      if (hit.length === len) {
        let k = 0;
        while (k < len && hit.charCodeAt(k) === b[s + k]) k++;
        if (k === len) return hit;
      }
      const str = (b as Slicing).latin1Slice?.(s, e) ?? b.toString('latin1', s, e);
      internSlots[slot] = str;
      return str;
    }
  }
  return (b as Slicing).utf8Slice?.(s, e) ?? b.toString('utf8', s, e);
}

/** Like `skipObject`, keeping in `out` the keys `node` names. */
function projectObject(b: Buffer, i: number, e: number, d: number, node: KeyNode, out: Record<string, unknown>): number {
  if (d > MAX_EVENT_DEPTH) return -1;
  i = skipWs(b, i + 1, e);
  if (i >= e) return -1;
  if (b[i] === CLOSE_OBJECT) return i + 1;
  for (;;) {
    if (b[i] !== QUOTE) return -1;
    const keyStart = i + 1;
    sawEscape = false;
    i = skipString(b, keyStart, e);
    if (i < 0) return -1;
    const entry = node.find(b, keyStart, i - 1, sawEscape);
    i = skipWs(b, i, e);
    if (b[i] !== COLON || i >= e) return -1;
    i = skipWs(b, i + 1, e);
    if (i >= e) return -1;
    if (entry === undefined) i = skipValue(b, i, e, d);
    else i = projectMember(b, i, e, d, entry, out);
    if (i < 0) return -1;
    i = skipWs(b, i, e);
    if (i >= e) return -1;
    const c = b[i];
    if (c === CLOSE_OBJECT) return i + 1;
    if (c !== COMMA) return -1;
    i = skipWs(b, i + 1, e);
    if (i >= e) return -1;
  }
}

/** The value of a kept key: whole at the end of a path, else projected further (`null` for a scalar). */
function projectMember(b: Buffer, i: number, e: number, d: number, entry: KeyEntry, out: Record<string, unknown>): number {
  const start = i;
  if (entry.whole) {
    sawEscape = false;
    i = skipValue(b, i, e, d);
    if (i >= 0) out[entry.name] = valueAt(b, start, i, sawEscape);
    return i;
  }
  const c = b[i];
  if (c === OPEN_OBJECT) {
    const o: Record<string, unknown> = {};
    out[entry.name] = o;
    return projectObject(b, i, e, d + 1, entry.next!, o);
  }
  if (c === OPEN_ARRAY) {
    const a: unknown[] = [];
    out[entry.name] = a;
    return projectArray(b, i, e, d + 1, entry.next!, a);
  }
  out[entry.name] = null;
  return skipValue(b, i, e, d);
}

/** An array on the way to a path's end: its objects and arrays projected, its scalars kept as `null`. */
function projectArray(b: Buffer, i: number, e: number, d: number, node: KeyNode, out: unknown[]): number {
  if (d > MAX_EVENT_DEPTH) return -1;
  i = skipWs(b, i + 1, e);
  if (i >= e) return -1;
  if (b[i] === CLOSE_ARRAY) return i + 1;
  for (;;) {
    const c = b[i];
    if (c === OPEN_OBJECT) {
      const o: Record<string, unknown> = {};
      out.push(o);
      i = projectObject(b, i, e, d + 1, node, o);
    } else if (c === OPEN_ARRAY) {
      const a: unknown[] = [];
      out.push(a);
      i = projectArray(b, i, e, d + 1, node, a);
    } else {
      out.push(null);
      i = skipValue(b, i, e, d);
    }
    if (i < 0) return -1;
    i = skipWs(b, i, e);
    if (i >= e) return -1;
    const n = b[i];
    if (n === CLOSE_ARRAY) return i + 1;
    if (n !== COMMA) return -1;
    i = skipWs(b, i + 1, e);
    if (i >= e) return -1;
  }
}
