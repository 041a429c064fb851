import { ProcParseError } from './proc-parse-error.js';

/** The fields of `/proc/<pid>/status` Vigil uses. */
export interface PidStatus {
  readonly name?: string;
  readonly tgid?: number;
  readonly ppid?: number;
  /** Real, effective, saved, filesystem. */
  readonly uids?: readonly [number, number, number, number];
  readonly gids?: readonly [number, number, number, number];
}

function ids(value: string, offset: number): [number, number, number, number] {
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 4 || parts.some((p) => !/^\d+$/.test(p))) {
    throw new ProcParseError('PROC_STATUS_BAD_LINE', `id list ${JSON.stringify(value)}`, offset);
  }
  return parts.map(Number) as [number, number, number, number];
}

/** Parses the `Key:\tvalue` lines of `/proc/<pid>/status`; unknown keys are ignored. */
export function parsePidStatus(text: string): PidStatus {
  const out: { -readonly [K in keyof PidStatus]: PidStatus[K] } = {};
  let offset = 0;
  for (const line of text.split('\n')) {
    const at = offset;
    offset += line.length + 1;
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ProcParseError('PROC_STATUS_BAD_LINE', `no key in ${JSON.stringify(line)}`, at);
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);
    switch (key) {
      case 'Name': out.name = value.trim(); break;
      case 'Tgid': out.tgid = Number(value.trim()); break;
      case 'PPid': out.ppid = Number(value.trim()); break;
      case 'Uid': out.uids = ids(value, at); break;
      case 'Gid': out.gids = ids(value, at); break;
      default: break;
    }
  }
  return out;
}
