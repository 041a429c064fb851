import type { RawEndpoint, RawEvent, RawFile, RawProcess } from '../raw-event.js';
import { etwEventInfo, type EtwEventInfo, type EtwEventKind } from './etw-event-table.js';
import { ETW_FILE_ACTIONS, type EtwFileAction, type EtwRecord, type EtwValue } from './etw-record.js';
import { filetimeToEpochMs } from './filetime.js';
import { splitWindowsCommandLine } from './windows-command-line.js';
import { win32PathFromNt, windowsBaseName } from './windows-path.js';

/** Why a record gave no RawEvent (counted as `malformed` by the collector, by reason). */
export const ETW_SKIP_REASONS = ['unknown_event', 'bad_timestamp', 'missing_pid', 'missing_identity', 'bad_address', 'bad_file'] as const;
export type EtwSkipReason = (typeof ETW_SKIP_REASONS)[number];

export type EtwMapResult = { readonly ok: true; readonly event: RawEvent } | { readonly ok: false; readonly reason: EtwSkipReason };

const BASE = { backend: 'etw', platform: 'windows' } as const;

function num(v: EtwValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function decimal(v: EtwValue | undefined): string | undefined {
  if (typeof v === 'string' && /^\d+$/.test(v) && !/^0+$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return String(v);
  return undefined;
}

function text(v: EtwValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * startKey (collectors/raw-event.ts, windows): the process sequence number when known, else the create time
 * as FILETIME ticks. The same rule for the event's own process and its parent, so keys always agree.
 */
function startKeyOf(sequence: string | undefined, createTime: string | undefined): string | undefined {
  return sequence ?? createTime;
}

/** The process a Kernel-Process event (or a snapshot entry) describes. */
function describedProcess(r: EtwRecord): RawProcess | EtwSkipReason {
  const p = r.props;
  const e = r.enrich;
  const pid = num(p['ProcessID']);
  if (pid === undefined) return 'missing_pid';
  const createTime = decimal(p['CreateTime']) ?? decimal(e.createTime);
  const startKey = startKeyOf(decimal(p['ProcessSequenceNumber']) ?? decimal(e.processSequenceNumber), createTime);
  if (startKey === undefined) return 'missing_identity';
  const imageName = text(p['ImageName']);
  const executable = text(e.imagePath) ?? (imageName !== undefined && imageName.includes('\\') ? win32PathFromNt(imageName) : undefined);
  const ppid = num(p['ParentProcessID']);
  const parentStartKey = startKeyOf(
    decimal(p['ParentProcessSequenceNumber']) ?? decimal(e.parentSequenceNumber),
    decimal(e.parentCreateTime),
  );
  const commandLine = text(e.commandLine);
  const extra: Record<string, string | number | boolean> = {};
  const sessionId = num(p['SessionID']);
  if (sessionId !== undefined) extra['sessionId'] = sessionId;
  if (e.userSid !== undefined) extra['userSid'] = e.userSid;
  const startTimeMs = createTime === undefined ? undefined : filetimeToEpochMs(createTime);
  return {
    pid,
    startKey,
    ...(startTimeMs !== undefined ? { startTimeMs } : {}),
    ...(ppid !== undefined ? { ppid } : {}),
    ...(parentStartKey !== undefined && ppid !== undefined && ppid > 0 ? { parentStartKey } : {}),
    ...(imageName !== undefined ? { comm: windowsBaseName(imageName) } : {}),
    ...(executable !== undefined ? { executable } : {}),
    ...(commandLine !== undefined ? { commandLine, args: splitWindowsCommandLine(commandLine) } : {}),
    ...(e.userName !== undefined ? { userName: e.userName } : {}),
    ...(e.userDomain !== undefined ? { userDomain: e.userDomain } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

/** The process behind a Kernel-Network event: its PID plus the identity the addon's pid table knew. */
function networkProcess(r: EtwRecord): RawProcess | EtwSkipReason {
  return identifiedProcess(r, num(r.props['PID']));
}

/** A process known only by its pid, with the identity the addon's pid table knew (network and file events). */
function identifiedProcess(r: EtwRecord, pid: number | undefined): RawProcess | EtwSkipReason {
  if (pid === undefined) return 'missing_pid';
  const createTime = decimal(r.enrich.createTime);
  // Unknown to the addon (it could not open the process): an empty key, which normalize does not cache.
  const startKey = startKeyOf(decimal(r.enrich.processSequenceNumber), createTime) ?? '';
  const executable = text(r.enrich.imagePath);
  const startTimeMs = createTime === undefined ? undefined : filetimeToEpochMs(createTime);
  return {
    pid,
    startKey,
    ...(startTimeMs !== undefined ? { startTimeMs } : {}),
    ...(executable !== undefined ? { executable, comm: windowsBaseName(executable) } : {}),
  };
}

/**
 * An address property as text. The addon formats win:IPv4 / win:IPv6 itself; a UInt32 whose manifest lacks the
 * IPv4 out type arrives as a number holding the four network-order bytes read little-endian.
 */
function address(v: EtwValue | undefined): string | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) {
    return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24].join('.');
  }
  return text(v);
}

function endpoint(r: EtwRecord, addr: string, port: string): RawEndpoint | undefined {
  const ip = address(r.props[addr]);
  const p = num(r.props[port]);
  if (ip === undefined || p === undefined || p < 0 || p > 65535) return undefined;
  return { ip, port: p };
}

type Handler = (r: EtwRecord, info: EtwEventInfo, timeMs: number) => RawEvent | EtwSkipReason;

function processHandler(kind: 'exec' | 'snapshot'): Handler {
  return (r, _info, timeMs) => {
    const process = describedProcess(r);
    return typeof process === 'string' ? process : { ...BASE, kind, timeMs, process };
  };
}

function networkHandler(kind: 'connect' | 'accept' | 'disconnect', transport: 'tcp' | 'udp'): Handler {
  return (r, info, timeMs) => {
    const process = networkProcess(r);
    if (typeof process === 'string') return process;
    // Kernel-Network: saddr/sport is the local end, daddr/dport the remote end, whatever the direction.
    const local = endpoint(r, 'saddr', 'sport');
    const remote = endpoint(r, 'daddr', 'dport');
    if (local === undefined || remote === undefined || info.family === undefined) return 'bad_address';
    const common = { ...BASE, timeMs, process, transport, family: info.family };
    // An accept names the remote peer as the source (it initiated), the local listener as the destination.
    if (kind === 'accept') return { ...common, kind, source: remote, destination: local };
    // Kernel-Network logs connects once established (failures carry no addresses): the result is success.
    if (kind === 'connect') return { ...common, kind, source: local, destination: remote, result: 0 };
    return { ...common, kind, source: local, destination: remote };
  };
}

/**
 * A file change the addon's tracker reported: the process that opened the file (the header pid of the record),
 * the Win32 path, the old path of a rename, the issuing thread, and the operation's NTSTATUS as the result
 * (0 success, negative failure: only sensitive opens carry a real status, from OperationEnd; the other changes
 * are reported from events that follow a completed operation).
 */
function fileChange(r: EtwRecord, timeMs: number): RawFile | EtwSkipReason {
  const action = r.enrich.fileAction;
  const path = text(r.enrich.filePath);
  if (action === undefined || !(ETW_FILE_ACTIONS as readonly string[]).includes(action) || path === undefined) return 'bad_file';
  const process = identifiedProcess(r, r.headerPid > 0 ? r.headerPid : undefined);
  if (typeof process === 'string') return process;
  const original = text(r.enrich.originalFilePath);
  const status = num(r.enrich.status);
  const thread = num(r.props['IssuingThreadId']) ?? (r.headerTid > 0 ? r.headerTid : undefined);
  return {
    ...BASE, kind: 'file', timeMs, action: action as EtwFileAction, process, path,
    ...(original !== undefined ? { originalPath: original } : {}),
    result: status === undefined ? 0 : status | 0,
    ...(thread !== undefined ? { threadId: thread } : {}),
  };
}

const HANDLERS: Readonly<Record<EtwEventKind, Handler>> = {
  file_change: (r, _info, timeMs) => fileChange(r, timeMs),
  process_start: processHandler('exec'),
  process_snapshot: processHandler('snapshot'),
  process_stop: (r, _info, timeMs) => {
    const process = describedProcess(r);
    if (typeof process === 'string') return process;
    const exitCode = num(r.props['ExitCode']);
    return { ...BASE, kind: 'exit', timeMs, process, ...(exitCode !== undefined ? { exitCode: exitCode | 0 } : {}) };
  },
  tcp_connect: networkHandler('connect', 'tcp'),
  tcp_accept: networkHandler('accept', 'tcp'),
  tcp_disconnect: networkHandler('disconnect', 'tcp'),
  // The addon passes only the first datagram of a UDP flow, either way (native/win32/src/udp-flow-table.h):
  // a send opens an outbound flow, a receive an inbound one.
  udp_send: networkHandler('connect', 'udp'),
  udp_recv: networkHandler('accept', 'udp'),
};

/** One addon record -> one RawEvent (platform `windows`, backend `etw`), or the reason there is none. Pure. */
export function etwRecordToRaw(record: EtwRecord): EtwMapResult {
  const info = etwEventInfo(record.provider, record.eventId);
  if (info === undefined) return { ok: false, reason: 'unknown_event' };
  const timeMs = filetimeToEpochMs(record.timestamp);
  if (timeMs === undefined) return { ok: false, reason: 'bad_timestamp' };
  const out = HANDLERS[info.kind](record, info, timeMs);
  return typeof out === 'string' ? { ok: false, reason: out } : { ok: true, event: out };
}
