import { stringOf } from '../value-ops.js';
import type { FunctionSpec } from './function-spec.js';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : null);

/** `between(source, left, right[, greedy])`: the text between the first `left` and the next (or last) `right`. */
export function between(source: string, left: string, right: string, greedy: boolean, insensitive: boolean): string | null {
  const s = insensitive ? source.toLowerCase() : source;
  const l = insensitive ? left.toLowerCase() : left;
  const r = insensitive ? right.toLowerCase() : right;
  const at = s.indexOf(l);
  if (at < 0) return null;
  const start = at + l.length;
  const end = greedy ? s.lastIndexOf(r) : s.indexOf(r, start);
  if (end < start) return null;
  return source.slice(start, end);
}

/** `substring(source, start, end)` with Python-style negative indices, clamped. */
export function substring(source: string, start: number | null, end: number | null): string {
  const n = source.length;
  const norm = (i: number): number => (i < 0 ? Math.max(0, n + i) : Math.min(i, n));
  const s = start === null ? 0 : norm(start);
  const e = end === null ? n : norm(end);
  return e > s ? source.slice(s, e) : '';
}

export const STRING_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'between', minArgs: 3, maxArgs: 4, argTypes: ['string', 'string', 'string', 'boolean'], returns: 'string', caseInsensitive: true,
    make: (ctx) => (a) => {
      const [s, l, r] = [str(a[0]), str(a[1]), str(a[2])];
      if (s === null || l === null || r === null) return null;
      return between(s, l, r, a[3] === true, ctx.insensitive);
    },
  },
  {
    name: 'concat', minArgs: 1, maxArgs: Infinity, argTypes: ['any'], returns: 'string', caseInsensitive: false,
    make: () => (a) => {
      let out = '';
      for (const v of a) {
        const s = stringOf(v);
        if (s === null) return null;
        out += s;
      }
      return out;
    },
  },
  {
    name: 'endsWith', minArgs: 2, maxArgs: 2, argTypes: ['string', 'string'], returns: 'boolean', caseInsensitive: true,
    make: (ctx) => (a) => {
      const [s, x] = [str(a[0]), str(a[1])];
      if (s === null || x === null) return null;
      return ctx.insensitive ? s.toLowerCase().endsWith(x.toLowerCase()) : s.endsWith(x);
    },
  },
  {
    name: 'indexOf', minArgs: 2, maxArgs: 3, argTypes: ['string', 'string', 'number'], returns: 'number', caseInsensitive: true,
    make: (ctx) => (a) => {
      const [s, x] = [str(a[0]), str(a[1])];
      if (s === null || x === null) return null;
      const from = Math.max(0, int(a[2]) ?? 0);
      const i = ctx.insensitive ? s.toLowerCase().indexOf(x.toLowerCase(), from) : s.indexOf(x, from);
      return i < 0 ? null : i;
    },
  },
  {
    name: 'length', minArgs: 1, maxArgs: 1, argTypes: ['string'], returns: 'number', caseInsensitive: false,
    make: () => (a) => {
      const s = str(a[0]);
      return s === null ? null : s.length;
    },
  },
  {
    name: 'startsWith', minArgs: 2, maxArgs: 2, argTypes: ['string', 'string'], returns: 'boolean', caseInsensitive: true,
    make: (ctx) => (a) => {
      const [s, x] = [str(a[0]), str(a[1])];
      if (s === null || x === null) return null;
      return ctx.insensitive ? s.toLowerCase().startsWith(x.toLowerCase()) : s.startsWith(x);
    },
  },
  {
    name: 'string', minArgs: 1, maxArgs: 1, argTypes: ['any'], returns: 'string', caseInsensitive: false,
    make: () => (a) => stringOf(a[0]),
  },
  {
    name: 'stringContains', minArgs: 2, maxArgs: 2, argTypes: ['string', 'string'], returns: 'boolean', caseInsensitive: true,
    make: (ctx) => (a) => {
      const [s, x] = [str(a[0]), str(a[1])];
      if (s === null || x === null) return null;
      return ctx.insensitive ? s.toLowerCase().includes(x.toLowerCase()) : s.includes(x);
    },
  },
  {
    name: 'substring', minArgs: 2, maxArgs: 3, argTypes: ['string', 'number', 'number'], returns: 'string', caseInsensitive: false,
    make: () => (a) => {
      const s = str(a[0]);
      if (s === null) return null;
      return substring(s, int(a[1]), int(a[2]));
    },
  },
];
