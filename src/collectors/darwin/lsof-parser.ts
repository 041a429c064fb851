import type { RawEndpoint, Transport } from '../raw-event.js';

/**
 * lsof's field output for internet sockets. Vigil runs `lsof -nP -w -i -F pcRuftPTn0` (see LSOF_ARGS): every
 * field it reads is requested explicitly (lsof adds `p` and `f` anyway; `-F` without letters would give a
 * different default set per version). `-n -P`: numeric addresses and ports; `-w`: no warnings on stderr;
 * `0`: each field ends with NUL and each process or file set with NL. lsof exits 1 when nothing matched
 * (no socket at all), which is an empty result, not an error.
 * Fields: p pid, c command, R ppid, u uid (process sets); f fd, t type (IPv4/IPv6), P protocol (TCP/UDP),
 * n name (`local`, `local->remote`), T TCP info (`TST=ESTABLISHED`, `TQR=0`, `TQS=0`; one field each).
 */
export const LSOF_ARGS = ['-nP', '-w', '-i', '-F', 'pcRuftPTn0'] as const;

export interface LsofSocket {
  readonly pid: number;
  readonly command?: string;
  readonly ppid?: number;
  readonly uid?: number;
  readonly fd: string;
  readonly family: 'ipv4' | 'ipv6';
  readonly transport: Transport;
  readonly local?: LsofAddress;
  readonly remote?: LsofAddress;
  /** `TST=` value: LISTEN, SYN_SENT, ESTABLISHED, ... (TCP only; absent for UDP). */
  readonly tcpState?: string;
}

/** An endpoint as lsof names it; `ip` is `*` for a wildcard address. */
export interface LsofAddress extends RawEndpoint {
  readonly wildcard: boolean;
}

/** `127.0.0.1:80`, `[::1]:80`, `*:5353`, `[fe80::1%lo0]:80` -> address (ports `*` become 0). */
export function parseLsofAddress(text: string): LsofAddress | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+|\*)$/.exec(text);
  if (m === null) return undefined;
  const ip = (m[1] ?? m[2]!).replace(/%.*$/, '');
  const port = m[3] === '*' ? 0 : Number(m[3]);
  return { ip, port, wildcard: ip === '*' || ip === '0.0.0.0' || ip === '::' };
}

export interface LsofParseResult {
  readonly sockets: LsofSocket[];
  /** File sets that lacked a required field or had an unparsable name (counted as malformed). */
  readonly malformed: number;
}

interface Pending {
  fd?: string;
  type?: string;
  protocol?: string;
  name?: string;
  state?: string;
}

/**
 * Parses `lsof -F` output. Accepts NUL- or newline-terminated fields (both appear in lsof's documentation);
 * identifiers it does not know are ignored, as lsof(8) asks of field-output readers.
 */
export function parseLsofFields(text: string): LsofParseResult {
  const sockets: LsofSocket[] = [];
  let malformed = 0;
  let proc: { pid: number; command?: string; ppid?: number; uid?: number } | null = null;
  let file: Pending | null = null;
  const flush = (): void => {
    if (file === null || proc === null) return;
    const f = file;
    file = null;
    const transport = f.protocol === 'TCP' ? 'tcp' : f.protocol === 'UDP' ? 'udp' : undefined;
    const family = f.type === 'IPv4' ? 'ipv4' : f.type === 'IPv6' ? 'ipv6' : undefined;
    if (transport === undefined || family === undefined) return; // other protocols (ICMP, raw): not connections
    if (f.fd === undefined || f.name === undefined) {
      malformed++;
      return;
    }
    const [l, r] = f.name.split('->');
    const local = l === undefined ? undefined : parseLsofAddress(l);
    const remote = r === undefined ? undefined : parseLsofAddress(r);
    if (local === undefined || (r !== undefined && remote === undefined)) {
      malformed++;
      return;
    }
    sockets.push({
      pid: proc.pid, fd: f.fd, family, transport, local,
      ...(remote !== undefined ? { remote } : {}),
      ...(f.state !== undefined ? { tcpState: f.state } : {}),
      ...(proc.command !== undefined ? { command: proc.command } : {}),
      ...(proc.ppid !== undefined ? { ppid: proc.ppid } : {}),
      ...(proc.uid !== undefined ? { uid: proc.uid } : {}),
    });
  };
  for (const field of text.split(/[\0\n]/)) {
    if (field === '') continue;
    const id = field[0]!;
    const value = field.slice(1);
    switch (id) {
      case 'p':
        flush();
        proc = /^\d+$/.test(value) ? { pid: Number(value) } : null;
        if (proc === null) malformed++;
        break;
      case 'f':
        flush();
        file = { fd: value };
        break;
      case 'c':
        if (proc !== null && file === null) proc.command = value;
        break;
      case 'R':
        if (proc !== null && file === null && /^\d+$/.test(value)) proc.ppid = Number(value);
        break;
      case 'u':
        if (proc !== null && file === null && /^\d+$/.test(value)) proc.uid = Number(value);
        break;
      case 't':
        if (file !== null) file.type = value;
        break;
      case 'P':
        if (file !== null) file.protocol = value;
        break;
      case 'n':
        if (file !== null) file.name = value;
        break;
      case 'T':
        if (file !== null && value.startsWith('ST=')) file.state = value.slice(3);
        break;
      default:
        break;
    }
  }
  flush();
  return { sockets, malformed };
}
