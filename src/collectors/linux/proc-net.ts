import { endianness } from 'node:os';
import { ipFromBytes } from '../ip-address.js';
import { ProcParseError } from './proc-parse-error.js';
import type { Transport } from '../raw-event.js';

/** TCP states as `/proc/net/tcp*` prints them (include/net/tcp_states.h). */
export const TCP_STATES = {
  '01': 'established', '02': 'syn_sent', '03': 'syn_recv', '04': 'fin_wait1', '05': 'fin_wait2', '06': 'time_wait',
  '07': 'close', '08': 'close_wait', '09': 'last_ack', '0A': 'listen', '0B': 'closing', '0C': 'new_syn_recv',
} as const;
export type TcpState = (typeof TCP_STATES)[keyof typeof TCP_STATES];

export interface ProcNetRow {
  readonly transport: Transport;
  readonly family: 'ipv4' | 'ipv6';
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
  /** The raw two-hex-digit state; `tcpState` names it for TCP. UDP uses 07 (unconnected) and 01 (connected). */
  readonly state: string;
  readonly tcpState?: TcpState;
  readonly uid: number;
  /** Socket inode (0 for sockets no longer owned by a file, e.g. TIME_WAIT). */
  readonly inode: number;
}

const LITTLE = endianness() === 'LE';

/** One 32-bit word as the kernel prints it (%08X of the host-order value) -> its 4 bytes in memory order. */
function wordBytes(hex: string, out: number[]): void {
  const v = parseInt(hex, 16);
  const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  out.push(...(LITTLE ? b.reverse() : b));
}

/**
 * Decodes `ADDR:PORT` from `/proc/net/{tcp,udp}` (8 hex digits) or `{tcp6,udp6}` (32 hex digits). An IPv4-mapped
 * address of a dual-stack socket (`::ffff:127.0.0.1` in tcp6) is IPv4, as the eBPF collector reports it.
 */
export function decodeProcNetAddress(text: string, offset = 0): { ip: string; port: number; family: 'ipv4' | 'ipv6' } {
  const m = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(text);
  if (!m) throw new ProcParseError('PROC_NET_BAD_ADDRESS', `address ${JSON.stringify(text)}`, offset);
  const hex = m[1]!;
  const port = parseInt(m[2]!, 16);
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 8) wordBytes(hex.slice(i, i + 8), bytes);
  return { ...ipFromBytes(bytes), port };
}

/** Parses one of `/proc/net/{tcp,tcp6,udp,udp6}`. The header line is checked; each row must have inode. */
export function parseProcNet(text: string, transport: Transport): ProcNetRow[] {
  const lines = text.split('\n');
  const header = lines[0] ?? '';
  if (!/^\s*sl\s+local_address\s+rem(ote)?_address\s+st\b/.test(header) || !/\binode\b/.test(header)) {
    throw new ProcParseError('PROC_NET_BAD_HEADER', `header ${JSON.stringify(header.slice(0, 60))}`, 0);
  }
  const rows: ProcNetRow[] = [];
  let offset = header.length + 1;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const at = offset;
    offset += line.length + 1;
    if (line.trim() === '') continue;
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
    if (f.length < 10 || !/^\d+:$/.test(f[0]!)) throw new ProcParseError('PROC_NET_BAD_ROW', `row ${JSON.stringify(line.slice(0, 60))}`, at);
    const local = decodeProcNetAddress(f[1]!, at);
    const remote = decodeProcNetAddress(f[2]!, at);
    const state = f[3]!.toUpperCase();
    if (!/^[0-9A-F]{2}$/.test(state) || !/^\d+$/.test(f[7]!) || !/^\d+$/.test(f[9]!)) {
      throw new ProcParseError('PROC_NET_BAD_ROW', `row ${JSON.stringify(line.slice(0, 60))}`, at);
    }
    const tcpState = transport === 'tcp' ? (TCP_STATES as Record<string, TcpState>)[state] : undefined;
    rows.push({
      transport,
      family: local.family,
      localIp: local.ip,
      localPort: local.port,
      remoteIp: remote.ip,
      remotePort: remote.port,
      state,
      ...(tcpState !== undefined ? { tcpState } : {}),
      uid: Number(f[7]),
      inode: Number(f[9]),
    });
  }
  return rows;
}
