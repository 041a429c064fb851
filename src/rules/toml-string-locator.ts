/**
 * Finds where a string value sits in a TOML source, character by character, so that a position inside the
 * decoded value (an EQL diagnostic in a rule's `query`) can be reported in the rule file.
 *
 * This is a position scanner, not a TOML parser: it runs on sources smol-toml has already accepted, tracks
 * table headers and keys, skips values it does not care about (multi-line strings and arrays included), and
 * decodes the one string it is asked for with all four TOML quotings (`'''`, `"""`, `'`, `"`), the newline
 * trimmed after an opening triple quote, escapes, and line-ending backslashes.
 */

/** The decoded value and, for each of its UTF-16 units, the source offset it came from (+1 entry: the end). */
export interface LocatedString {
  readonly value: string;
  readonly offsets: readonly number[];
  /** Source offset of the key the value belongs to. */
  readonly keyOffset: number;
}

const BARE_KEY = /[A-Za-z0-9_-]/;

class Scanner {
  i = 0;
  constructor(readonly s: string) {}

  /** Skips spaces, tabs, newlines and comments. */
  skipBlank(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.i++;
      else if (c === '#') this.skipLine();
      else break;
    }
  }

  skipSpaces(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }

  skipLine(): void {
    const nl = this.s.indexOf('\n', this.i);
    this.i = nl < 0 ? this.s.length : nl + 1;
  }

  /** Reads a dotted key up to (not past) `stop`. */
  readKey(stop: string): string[] {
    const keys: string[] = [];
    const s = this.s;
    for (;;) {
      this.skipSpaces();
      const c = s[this.i];
      if (c === undefined || c === stop || c === '\n') return keys;
      if (c === '"' || c === "'") {
        keys.push(this.readString().value);
      } else {
        const start = this.i;
        while (this.i < s.length && BARE_KEY.test(s[this.i]!)) this.i++;
        if (this.i === start) {
          this.i++; // not a key character: let the caller resync
          return keys;
        }
        keys.push(s.slice(start, this.i));
      }
      this.skipSpaces();
      if (s[this.i] === '.') this.i++;
    }
  }

  /** Skips one value (string, array, inline table, or scalar) and the rest of its line. */
  skipValue(): void {
    const s = this.s;
    const c = s[this.i];
    if (c === '"' || c === "'") {
      this.skipString();
    } else if (c === '[' || c === '{') {
      let depth = 0;
      while (this.i < s.length) {
        const d = s[this.i]!;
        if (d === '"' || d === "'") {
          this.skipString();
          continue;
        }
        if (d === '#') {
          this.skipLine();
          continue;
        }
        if (d === '[' || d === '{') depth++;
        else if (d === ']' || d === '}') depth--;
        this.i++;
        if (depth === 0) break;
      }
    }
    this.skipLine();
  }

  /** Moves past the string starting at the cursor without decoding it (values nobody asked for). */
  skipString(): void {
    const s = this.s;
    const q = s[this.i]!;
    const triple = s.startsWith(q + q + q, this.i);
    if (!triple) {
      let j = this.i + 1;
      while (j < s.length && s[j] !== q && s[j] !== '\n') j += q === '"' && s[j] === '\\' ? 2 : 1;
      this.i = Math.min(s.length, j + 1);
      return;
    }
    let j = this.i + 3;
    for (;;) {
      const end = s.indexOf(q + q + q, j);
      if (end < 0) {
        this.i = s.length;
        return;
      }
      let slashes = 0;
      while (q === '"' && s[end - 1 - slashes] === '\\') slashes++;
      if (slashes % 2 === 1) {
        j = end + 1;
        continue;
      }
      let k = end + 3;
      while (s[k] === q && k < end + 5) k++;
      this.i = k;
      return;
    }
  }

  /** Reads the string starting at the cursor, recording the source offset of every decoded unit. */
  readString(): { value: string; offsets: number[] } {
    const s = this.s;
    const q = s[this.i]!;
    const triple = s.startsWith(q + q + q, this.i);
    const basic = q === '"';
    const out: string[] = [];
    const offsets: number[] = [];
    this.i += triple ? 3 : 1;
    if (triple) {
      if (s[this.i] === '\n') this.i++;
      else if (s[this.i] === '\r' && s[this.i + 1] === '\n') this.i += 2;
    }
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === q) {
        if (!triple) {
          this.i++;
          break;
        }
        let run = 0;
        while (s[this.i + run] === q) run++;
        if (run >= 3) {
          for (let k = 0; k < run - 3; k++) {
            out.push(q);
            offsets.push(this.i + k);
          }
          this.i += run;
          break;
        }
        for (let k = 0; k < run; k++) {
          out.push(q);
          offsets.push(this.i + k);
        }
        this.i += run;
        continue;
      }
      if (basic && c === '\\') {
        this.#readEscape(out, offsets, triple);
        continue;
      }
      if (!triple && c === '\n') break; // unterminated single-line string: stop at the line end
      out.push(c);
      offsets.push(this.i);
      this.i++;
    }
    offsets.push(this.i - (triple ? 3 : 1));
    return { value: out.join(''), offsets };
  }

  #readEscape(out: string[], offsets: number[], multiline: boolean): void {
    const s = this.s;
    const at = this.i;
    const e = s[at + 1];
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', e: '\x1b' };
    if (e !== undefined && e in simple) {
      out.push(simple[e]!);
      offsets.push(at);
      this.i += 2;
      return;
    }
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const code = Number.parseInt(s.slice(at + 2, at + 2 + hexLen), 16);
      const text = Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      for (let k = 0; k < text.length; k++) {
        out.push(text[k]!);
        offsets.push(at);
      }
      this.i += 2 + hexLen;
      return;
    }
    if (multiline) {
      // Line-ending backslash: drop it and every space, tab and newline after it.
      let j = at + 1;
      while (s[j] === ' ' || s[j] === '\t') j++;
      if (s[j] === '\n' || (s[j] === '\r' && s[j + 1] === '\n')) {
        while (j < s.length && (s[j] === ' ' || s[j] === '\t' || s[j] === '\r' || s[j] === '\n')) j++;
        this.i = j;
        return;
      }
    }
    out.push('\\');
    offsets.push(at);
    this.i++;
  }
}

/**
 * Locates the string at one of `keyPaths` (e.g. `[['rule', 'query']]`), the first found in source order.
 * Returns null when none is found (the caller then reports the key's table, or line 1).
 */
export function locateTomlString(source: string, keyPaths: ReadonlyArray<readonly string[]>): LocatedString | null {
  const wanted = new Set(keyPaths.map((p) => p.join('\u0000')));
  const sc = new Scanner(source);
  let table: string[] = [];
  while (sc.i < source.length) {
    sc.skipBlank();
    if (sc.i >= source.length) break;
    if (source[sc.i] === '[') {
      const arrayTable = source[sc.i + 1] === '[';
      sc.i += arrayTable ? 2 : 1;
      table = sc.readKey(']');
      sc.skipLine();
      continue;
    }
    const keyOffset = sc.i;
    const keys = sc.readKey('=');
    if (source[sc.i] !== '=') {
      sc.skipLine();
      continue;
    }
    sc.i++;
    sc.skipSpaces();
    const c = source[sc.i];
    if (wanted.has([...table, ...keys].join('\u0000')) && (c === '"' || c === "'")) {
      const { value, offsets } = sc.readString();
      return { value, offsets, keyOffset };
    }
    sc.skipValue();
  }
  return null;
}
