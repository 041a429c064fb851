import ipaddr from 'ipaddr.js';

/** An address as collectors report it: `network.type` and the `*.ip` text. */
export interface NormalizedIp {
  readonly family: 'ipv4' | 'ipv6';
  readonly ip: string;
}

function fromAddress(addr: ipaddr.IPv4 | ipaddr.IPv6): NormalizedIp {
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return { family: 'ipv4', ip: v6.toIPv4Address().toString() };
    return { family: 'ipv6', ip: v6.toRFC5952String() };
  }
  return { family: 'ipv4', ip: addr.toString() };
}

/**
 * The one normalization of every IP a collector produces (ipaddr.js): IPv6 as RFC 5952 text, and an
 * IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, what a dual-stack socket shows) written as IPv4 with
 * `network.type: ipv4`, as Elastic Defend does. 4 or 16 bytes in network order.
 */
export function ipFromBytes(bytes: ArrayLike<number>): NormalizedIp {
  // The common case, without building an object: an IPv4 address.
  if (bytes.length === 4) return { family: 'ipv4', ip: `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}` };
  return fromAddress(ipaddr.fromByteArray(Array.from(bytes)));
}

/** An address in text (a zone `%eth0` dropped), normalized as ipFromBytes does; null when it is no address. */
export function normalizeIp(text: string): NormalizedIp | null {
  const bare = text.replace(/%.*$/, '');
  // Four-part decimal only: ipaddr.js would also take the legacy "127.1" / "0x7f.1" forms, no collector's text.
  if (!ipaddr.IPv4.isValidFourPartDecimal(bare) && !ipaddr.IPv6.isValid(bare)) return null;
  return fromAddress(ipaddr.parse(bare));
}
