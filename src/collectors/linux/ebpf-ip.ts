import { AF_INET } from './ebpf-layout.js';

export interface DecodedIp {
  readonly family: 'ipv4' | 'ipv6';
  readonly ip: string;
}

function ipv4(buf: Buffer, at: number): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}

/** RFC 5952 text: lowercase hex, the longest run (>= 2) of zero groups compressed to `::`. */
function ipv6(buf: Buffer, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(buf.readUInt16BE(at + i * 2));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function isV4Mapped(buf: Buffer, at: number): boolean {
  for (let i = 0; i < 10; i++) if (buf[at + i] !== 0) return false;
  return buf[at + 10] === 0xff && buf[at + 11] === 0xff;
}

/** A 16-byte address slot as the kernel stores it; IPv4-mapped IPv6 addresses are reported as IPv4. */
export function decodeIp(family: number, buf: Buffer, at: number): DecodedIp {
  if (family === AF_INET) return { family: 'ipv4', ip: ipv4(buf, at) };
  if (isV4Mapped(buf, at)) return { family: 'ipv4', ip: ipv4(buf, at + 12) };
  return { family: 'ipv6', ip: ipv6(buf, at) };
}
