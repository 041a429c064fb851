import ipaddr from 'ipaddr.js';
import type { FunctionSpec } from './function-spec.js';

/**
 * A CIDR block as four 32-bit words (IPv4 uses word 0 only) and a prefix length, so that matching an address is
 * a few integer masks rather than an object walk per range.
 */
interface Range {
  readonly v6: boolean;
  readonly words: Uint32Array;
  readonly bits: number;
}

function wordsOf(addr: ipaddr.IPv4 | ipaddr.IPv6): Uint32Array {
  const bytes = addr.toByteArray();
  const words = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < words.length; i++) {
    words[i] = ((bytes[4 * i]! << 24) | (bytes[4 * i + 1]! << 16) | (bytes[4 * i + 2]! << 8) | bytes[4 * i + 3]!) >>> 0;
  }
  return words;
}

/** Parses `a.b.c.d/n` or `x::/n` (a bare address is a /32 or /128). Returns null when malformed. */
export function parseCidr(text: string): Range | null {
  try {
    const [addr, bits] = text.includes('/') ? ipaddr.parseCIDR(text) : (() => {
      const a = ipaddr.parse(text);
      return [a, a.kind() === 'ipv4' ? 32 : 128] as const;
    })();
    return { v6: addr.kind() === 'ipv6', words: wordsOf(addr), bits };
  } catch {
    return null;
  }
}

/** Strict dotted-decimal IPv4 (the shape collectors write) to a 32-bit word, without allocating; -1 otherwise. */
function parseDottedQuad(s: string): number {
  let word = 0;
  let octet = -1;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (octet < 0 || dots === 3) return -1;
      word = word * 256 + octet;
      octet = -1;
      dots++;
    } else if (c >= 48 && c <= 57) {
      octet = octet < 0 ? c - 48 : octet * 10 + (c - 48);
      if (octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || octet < 0) return -1;
  return word * 256 + octet;
}

const SCRATCH_V4 = new Uint32Array(1);

/** The address as words (IPv4-mapped IPv6 becomes IPv4), or null when it is not an address. */
function addressWords(text: string): Uint32Array | null {
  const v4 = parseDottedQuad(text);
  if (v4 >= 0) {
    SCRATCH_V4[0] = v4;
    return SCRATCH_V4;
  }
  if (!ipaddr.isValid(text)) return null;
  const a = ipaddr.parse(text);
  return wordsOf(a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a);
}

function inRange(words: Uint32Array, r: Range): boolean {
  if ((words.length === 4) !== r.v6) return false;
  let bits = r.bits;
  for (let i = 0; i < words.length && bits > 0; i++, bits -= 32) {
    const mask = bits >= 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
    if (((words[i]! & mask) >>> 0) !== ((r.words[i]! & mask) >>> 0)) return false;
  }
  return true;
}

/** True when `ip` falls in any of `ranges`; null for a missing or unparseable address. */
export function cidrMatch(ip: unknown, ranges: readonly Range[]): boolean | null {
  if (typeof ip !== 'string') return null;
  const words = addressWords(ip);
  if (words === null) return null;
  for (const r of ranges) if (inRange(words, r)) return true;
  return false;
}

export const CIDR_MATCH_FUNCTION: FunctionSpec = {
  name: 'cidrMatch', minArgs: 2, maxArgs: Infinity, argTypes: ['string', 'string'], returns: 'boolean', caseInsensitive: false,
  constantFrom: 1,
  make: (ctx) => {
    const ranges: Range[] = [];
    for (const c of ctx.constants.slice(1)) {
      if (typeof c === 'string') {
        const r = parseCidr(c);
        if (r !== null) ranges.push(r);
      }
    }
    return (a) => cidrMatch(a[0], ranges);
  },
};
