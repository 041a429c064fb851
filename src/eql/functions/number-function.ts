import type { FunctionSpec } from './function-spec.js';

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * `number(string[, base])`: base 10 reads integers and decimals (`3.14`, `-3.14`, `+314`); a `0x` prefix reads
 * hex when the base is 10 (default) or 16; other bases read integers. Unparseable text gives null.
 */
export function parseNumber(text: string, base: number | null): number | null {
  let s = text.trim();
  let radix = base ?? 10;
  if (!Number.isInteger(radix) || radix < 2 || radix > 36) return null;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if ((radix === 10 || radix === 16) && /^0x/i.test(s)) {
    radix = 16;
    s = s.slice(2);
  }
  if (s.length === 0) return null;
  if (radix === 10) {
    if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
    return sign * Number(s);
  }
  const allowed = DIGITS.slice(0, radix);
  let value = 0;
  for (const ch of s.toLowerCase()) {
    const d = allowed.indexOf(ch);
    if (d < 0) return null;
    value = value * radix + d;
  }
  return sign * value;
}

export const NUMBER_FUNCTION: FunctionSpec = {
  name: 'number', minArgs: 1, maxArgs: 2, argTypes: ['string', 'number'], returns: 'number', caseInsensitive: false,
  make: () => (a) => {
    const s = a[0];
    if (typeof s !== 'string') return null;
    const base = a[1];
    return parseNumber(s, typeof base === 'number' ? base : null);
  },
};
