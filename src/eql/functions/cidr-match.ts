import ipaddr from 'ipaddr.js';
import type { FunctionSpec } from './function-spec.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses `a.b.c.d/n` or `x::/n` (a bare address is a /32 or /128). Returns null when malformed. */
export function parseCidr(text: string): Range | null {
  try {
    if (text.includes('/')) return ipaddr.parseCIDR(text);
    const addr = ipaddr.parse(text);
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(text)) return null;
  const a = ipaddr.parse(text);
  return a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
}

/** True when `ip` falls in any of `ranges`; null for a missing or unparseable address. */
export function cidrMatch(ip: unknown, ranges: readonly Range[]): boolean | null {
  if (typeof ip !== 'string') return null;
  const addr = parseAddress(ip);
  if (addr === null) return null;
  for (const [net, bits] of ranges) {
    if (net.kind() === addr.kind() && addr.match(net as never, bits)) return true;
  }
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
