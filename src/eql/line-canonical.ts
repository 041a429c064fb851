import { isUtf8 } from 'node:buffer';

/**
 * Whether `buf[s, e)` is exactly the text `JSON.stringify(JSON.parse(text))` gives back, so that `vigil hunt`
 * can print a matching line as it is instead of parsing and writing it again. True only for a JSON object
 * written compactly (no space outside strings), in UTF-8, with strings escaped as `JSON.stringify` escapes
 * them (`\"`, `\\`, `\b \f \n \r \t`, `\u00xx` for the other control characters; never `\/`, never another
 * `\u`), numbers as JavaScript writes them (`String(Number(t)) === t`: no `1.0`, `1e2`, `-0`), and no key that
 * `JSON.parse` would move or merge (a duplicate key, an array-index key such as `"7"`, which objects list
 * first). Anything else is false: the line is then parsed and written as before.
 */
export function isCanonicalJson(buf: Buffer, s: number, e: number): boolean {
  if (buf[s] !== 0x7b || !isUtf8(buf.subarray(s, e))) return false;
  return object(buf, s, e) === e;
}

/** A canonical object at `i`; the index after it, or -1. */
function object(b: Buffer, i: number, e: number): number {
  i++;
  if (b[i] === 0x7d) return i + 1;
  const keys: string[] = [];
  for (;;) {
    if (b[i] !== 0x22) return -1;
    const end = string(b, i + 1, e);
    if (end < 0) return -1;
    const key = b.toString('latin1', i + 1, end - 1);
    if (isArrayIndex(key)) return -1;
    keys.push(key);
    i = end;
    if (b[i] !== 0x3a) return -1;
    i = value(b, i + 1, e);
    if (i < 0) return -1;
    if (b[i] === 0x7d) return keys.length < 2 || new Set(keys).size === keys.length ? i + 1 : -1;
    if (b[i] !== 0x2c) return -1;
    i++;
  }
}

function array(b: Buffer, i: number, e: number): number {
  i++;
  if (b[i] === 0x5d) return i + 1;
  for (;;) {
    i = value(b, i, e);
    if (i < 0) return -1;
    if (b[i] === 0x5d) return i + 1;
    if (b[i] !== 0x2c) return -1;
    i++;
  }
}

function value(b: Buffer, i: number, e: number): number {
  if (i >= e) return -1;
  const c = b[i]!;
  if (c === 0x22) return string(b, i + 1, e);
  if (c === 0x7b) return object(b, i, e);
  if (c === 0x5b) return array(b, i, e);
  if (c === 0x74) return word(b, i, e, 'true');
  if (c === 0x66) return word(b, i, e, 'false');
  if (c === 0x6e) return word(b, i, e, 'null');
  let j = i;
  while (j < e && NUMBER_BYTE[b[j]!] === 1) j++;
  if (j === i) return -1;
  const text = b.toString('latin1', i, j);
  return String(Number(text)) === text ? j : -1;
}

function word(b: Buffer, i: number, e: number, w: string): number {
  if (i + w.length > e) return -1;
  for (let k = 0; k < w.length; k++) if (b[i + k] !== w.charCodeAt(k)) return -1;
  return i + w.length;
}

/** From after an opening quote to after the closing one, escapes as `JSON.stringify` writes them; -1 otherwise. */
function string(b: Buffer, i: number, e: number): number {
  while (i < e) {
    const c = b[i++]!;
    if (c === 0x22) return i;
    if (c < 0x20) return -1;
    if (c !== 0x5c) continue;
    const x = b[i++];
    if (x === 0x75) {
      // Only `\u00xx` (lower-case hex) for a control character without a short escape.
      if (i + 4 > e || b[i] !== 0x30 || b[i + 1] !== 0x30) return -1;
      const hi = b[i + 2]!;
      const lo = LOWER_HEX[b[i + 3]!]!;
      if ((hi !== 0x30 && hi !== 0x31) || lo < 0 || SHORT_ESCAPED.has((hi - 0x30) * 16 + lo)) return -1;
      i += 4;
    } else if (x === undefined || !SHORT_ESCAPES.has(x)) return -1;
  }
  return -1;
}

/** `"7"`: a key objects list before the others, whatever the order in the text. */
function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  const c = key.charCodeAt(0);
  if (c < 0x30 || c > 0x39 || (c === 0x30 && key.length > 1)) return false;
  for (let k = 1; k < key.length; k++) {
    const d = key.charCodeAt(k);
    if (d < 0x30 || d > 0x39) return false;
  }
  return Number(key) < 4294967295;
}

const NUMBER_BYTE = new Uint8Array(256);
for (const ch of '0123456789+-.eE') NUMBER_BYTE[ch.charCodeAt(0)] = 1;
const LOWER_HEX = new Int8Array(256).fill(-1);
for (const [k, ch] of [...'0123456789abcdef'].entries()) LOWER_HEX[ch.charCodeAt(0)] = k;
/** The escapes `JSON.stringify` writes after a backslash: `" \ b f n r t`. */
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x62, 0x66, 0x6e, 0x72, 0x74]);
/** Control characters with a short escape (never written as `\u00xx`). */
const SHORT_ESCAPED = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);
