import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { runHunt, type HuntOptions } from '../../src/cli/hunt.js';
import { nativeLineScan } from '../../src/eql/native-line-scan.js';

/**
 * Helpers of the differential tests: `vigil hunt` with the prefilter (or the parse workers) on and off must
 * print the same thing; a randomized corpus of fuzzed queries over generated events to run them on.
 */
export interface Outcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly skipped: number;
}

/** The input in chunks of `chunk` bytes (lines cut across chunks, many runs in flight). */
function chunked(input: string, chunk: number): Buffer[] {
  const buf = Buffer.from(input, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) out.push(buf.subarray(i, i + chunk));
  return out;
}

export async function hunt(options: HuntOptions, input: string, prefilter: boolean, chunk = 1 << 20): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const summary = await runHunt(
    { ...options, prefilter },
    { stdin: Readable.from(chunked(input, chunk)), stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s), isTTY: false } },
  );
  return { exitCode: summary.exitCode, stdout, stderr, skipped: summary.skipped };
}

/**
 * Runs with the prefilter off, then on in small chunks (runs too short for the prefilter to tune itself or
 * decline: every selection is its raw reasoning) and in one chunk (tuned, may decline). Returns the lines
 * skipped in small chunks.
 */
export async function same(options: HuntOptions, input: string): Promise<number> {
  const off = await hunt(options, input, false);
  assert.equal(off.skipped, 0);
  let skipped = 0;
  // With the C line scanner (where it is built) and with the JavaScript checks and search it stands in for.
  const ways = nativeLineScan() === null ? [false] : [true, false];
  for (const [chunk, nativeScan] of [1500, 1 << 20].flatMap((c) => ways.map((n) => [c, n] as const))) {
    // In small chunks, kept lines also go through the spill file (a budget of 2000 bytes in memory).
    const on = await hunt({ ...options, nativeScan, ...(chunk === 1500 ? { keptLineBytes: 2000 } : {}) }, input, true, chunk);
    const what = `${options.query} (chunks of ${chunk} bytes, ${nativeScan ? 'C' : 'JavaScript'} line scan)`;
    assert.equal(on.exitCode, off.exitCode, what);
    assert.equal(on.stderr, off.stderr, what);
    assert.equal(on.stdout, off.stdout, what);
    if (chunk === 1500 && !nativeScan) skipped += on.skipped;
  }
  return skipped;
}

// ---- a randomized corpus: fuzzed queries over generated events -------------------------------------------

/** Values chosen to stress the prefilter's reasoning: case, numbers as text, escapes, case-folding characters. */
const STRINGS = [
  'curl', 'CURL', 'Curl', 'curl.exe', '/usr/bin/curl', 'python3', 'PYTHON', 'base64', 'ba se', 'process', 'network',
  '1', '10', '1.0', 'true', 'True', 'false', '', 'a"b', 'a\\b', 'a/b', 'x\u0001y', 'na\u00efve', 'stra\u00dfe',
  'STRASSE', '\u212aey', 'key', '\u017ftart', 'start', 'I\u0307d', '\u0130d', 'id', 'caf\u00e9', 'CAF\u00c9', 'tab\there',
];
const SCALARS: unknown[] = [1, 10, 1.5, 0, -3, true, false, null, 1e21];
const FIELDS = ['process.name', 'process.args', 'user.name', 'file.path', 'a.b', 'flag', 'n'];
const CATEGORIES = ['process', 'network', 'file'];

export type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function randomValue(r: Rand): unknown {
  const x = r();
  if (x < 0.6) return pick(r, STRINGS);
  if (x < 0.8) return pick(r, SCALARS);
  return [pick(r, STRINGS), pick(r, [...STRINGS, ...SCALARS])];
}

/** JSON text with some characters of strings written as `\u` escapes (and `/` as `\/`), as other writers do. */
function encode(r: Rand, doc: unknown): string {
  const text = JSON.stringify(doc);
  if (r() < 0.7) return text;
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && inString) {
      const n = text[i + 1] === 'u' ? 6 : 2; // keep an escape whole
      out += text.slice(i, i + n);
      i += n - 1;
      continue;
    }
    if (c === '"') inString = !inString;
    else if (inString && r() < 0.15) {
      out += c === '/' && r() < 0.5 ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      continue;
    }
    out += c;
  }
  return out;
}

/** Digits `d` spelled another way: `10` as `1.0e1`, `10.0`, `100E-1`. */
function respell(r: Rand, d: string): string {
  const sci = d.length > 1 ? `${d[0]}.${d.slice(1)}e${d.length - 1}` : `${d}.0e0`;
  return pick(r, [sci, `${d}.0`, d === '0' ? '0E+0' : `${d}0E-1`]);
}

/**
 * Lines that are not events: blank, not JSON, and object-shaped (`{...}`) but broken inside, some holding a
 * query's texts and some none, so that a skipped line is still checked and reported (or a deep one counted).
 */
const MALFORMED = [
  '', 'not json', '{"truncated":', '[1,2]', '   ', '{"a":1,}', '{"process":{"name":"curl"} "x":1}', '{"user":{"name":"bob"}}}',
  '{"n":01}', '{"s":"tab\there"}', '{"s":"\\q"}', '{"event":{"category":["process"]},}', '{"a":tru}', '{ }', '{"a":[1,]}',
  `{"d":${'['.repeat(70)}${']'.repeat(70)}}`, '{"a":1} {"b":2}', '{"a":"\\u12"}', '{"k":NaN}', '{"process":{"name":"CURL"},"x":.5}',
];

export function randomEvents(r: Rand, n: number): string {
  const lines: string[] = [];
  let ts = 1_700_000_000_000;
  for (let i = 0; i < n; i++) {
    ts += Math.floor(r() * 3); // equal timestamps happen: the tiebreaker and input order decide
    const doc: Record<string, unknown> = { '@timestamp': ts, serial: i, event: { category: r() < 0.5 ? [pick(r, CATEGORIES)] : pick(r, CATEGORIES) } };
    const set = (path: string, v: unknown): void => {
      const parts = path.split('.');
      let o = doc;
      for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
      o[parts[parts.length - 1]!] = v;
    };
    for (const f of FIELDS) if (r() < 0.6) set(f, f === 'n' && r() < 0.7 ? pick(r, SCALARS) : randomValue(r));
    if (r() < 0.1) doc['process.name'] = pick(r, STRINGS); // a literal dotted key
    let line = encode(r, doc);
    // Numbers as other writers spell them (1.0, 1e1, 10E-1): the same value, another text.
    if (r() < 0.3) line = line.replace(/([:,[])(-?)(\d+)(?=[,\]}])/g, (_m, p: string, sign: string, d: string) => `${p}${sign}${respell(r, d)}`);
    // Keys JSON.parse moves (an array index, listed first) or merges (a duplicate, last value wins).
    if (r() < 0.04) line = `{"7":${i},${line.slice(1)}`;
    if (r() < 0.04) line = `${line.slice(0, -1)},"flag":${JSON.stringify(pick(r, STRINGS))}}`;
    lines.push(line);
    if (r() < 0.02) lines.push(pick(r, MALFORMED));
  }
  return lines.join('\n') + '\n';
}

/** Text that equals a number or a boolean: the prefilter must not require it verbatim. */
const SCALAR_TEXT = ['1', '10', '0', '1.5', '-3', 'true', 'false', '1e21', '1e+21'];
const text = (r: Rand): string => (r() < 0.25 ? pick(r, SCALAR_TEXT) : pick(r, STRINGS));
const lit = (r: Rand): string => JSON.stringify(text(r));

function pattern(r: Rand): string {
  let s = text(r);
  if (r() < 0.5) s = s.split('').map((c) => (r() < 0.3 ? c.toUpperCase() : c)).join('');
  if (s.length > 1 && r() < 0.5) {
    const at = Math.floor(r() * s.length);
    s = s.slice(0, at) + pick(r, ['*', '?']) + s.slice(at + 1);
  }
  if (r() < 0.3) s = `*${s}`;
  if (r() < 0.3) s = `${s}*`;
  return JSON.stringify(s);
}

function atom(r: Rand): string {
  const f = pick(r, FIELDS);
  const list = (): string => Array.from({ length: 1 + Math.floor(r() * 3) }, () => lit(r)).join(', ');
  switch (Math.floor(r() * 16)) {
    case 0: return `${f} == ${lit(r)}`;
    case 1: return `${lit(r)} == ${f}`;
    case 2: return `${f} != ${lit(r)}`;
    case 3: return `${f} in (${list()})`;
    case 4: return `${f} in~ (${list()})`;
    case 5: return `${f} : ${pattern(r)}`;
    case 6: return `${f} : (${pattern(r)}, ${pattern(r)})`;
    case 7: return `${f} like ${pattern(r)}`;
    case 8: return `${f} like~ (${pattern(r)}, ${pattern(r)})`;
    case 9: return `${pick(r, ['startsWith', 'endsWith', 'stringContains'])}${r() < 0.5 ? '~' : ''}(${f}, ${lit(r)})`;
    case 10: return `${f} == ${pick(r, ['1', '10', 'true', 'false', 'null', '1.0'])}`;
    case 11: return `${f} regex~ ${pattern(r).replace(/\*/g, '.*').replace(/\?/g, '.')}`;
    case 12: return `${f} > ${lit(r)}`;
    case 13: return `${f} != null`;
    case 14: return pick(r, ['true', 'false']);
    default: return `not ${f} : ${pattern(r)}`;
  }
}

export function condition(r: Rand, depth: number): string {
  if (depth <= 0 || r() < 0.4) return atom(r);
  return `(${condition(r, depth - 1)} ${r() < 0.5 ? 'and' : 'or'} ${condition(r, depth - 1)})`;
}

const filter = (r: Rand): string => `${pick(r, [...CATEGORIES, 'any'])} where ${condition(r, 2)}`;

export function randomQuery(r: Rand): string {
  const x = r();
  const pipe = r() < 0.2 ? ` | ${pick(r, ['head', 'tail'])} ${1 + Math.floor(r() * 4)}` : '';
  if (x < 0.5) return filter(r) + pipe;
  const stages = Array.from({ length: 2 + Math.floor(r() * 2) }, (_, i) => `${i > 0 && r() < 0.15 ? '!' : ''}[${filter(r)}]`);
  if (x < 0.8) {
    const until = r() < 0.3 ? ` until [${filter(r)}]` : '';
    return `sequence by user.name${r() < 0.5 ? ' with maxspan=5ms' : ''} ${stages.join(' ')}${until}${pipe}`;
  }
  return `sample by user.name ${stages.map((s) => s.replace('!', '')).join(' ')}${pipe}`;
}

