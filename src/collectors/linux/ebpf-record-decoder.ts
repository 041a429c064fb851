import { posix } from 'node:path';
import type { RawAccept, RawConnect, RawDisconnect, RawEvent, RawExec, RawExit, RawFile, RawFork, RawProcess } from '../raw-event.js';
import { ipFromBytes } from '../ip-address.js';
import { FilePathResolver } from './ebpf-file-path.js';
import type { EbpfHelperHello, EbpfHelperStats } from './ebpf-helper-info.js';
import { AF_INET, AF_INET6, DISCONNECT_INBOUND, EXEC, EXIT, FEATURE_FILES, FILE, FILE_ACTION_CODES, FRAME_KIND_CODES, HELLO, IPPROTO_UDP, NET, RECORD, STATS } from './ebpf-layout.js';
import type { FrameKind } from './ebpf-layout.js';

export type DecodedFrame =
  | { readonly type: 'event'; readonly event: RawEvent }
  | { readonly type: 'hello'; readonly hello: EbpfHelperHello }
  | { readonly type: 'stats'; readonly stats: EbpfHelperStats }
  /** A record that does not hold together (counted by the caller as malformed). */
  | { readonly type: 'malformed'; readonly reason: string };

const MIN_BYTES: Readonly<Record<FrameKind, number>> = {
  exec: EXEC.dataStart,
  fork: RECORD.body,
  exit: EXIT.bytes,
  connect: NET.bytes,
  accept: NET.bytes,
  disconnect: NET.bytes,
  file: FILE.dataStart,
  hello: HELLO.bytes,
  stats: STATS.bytes,
};

const KIND_BY_CODE = new Map<number, FrameKind>(
  (Object.keys(FRAME_KIND_CODES) as FrameKind[]).map((k) => [FRAME_KIND_CODES[k], k]),
);

function u64(buf: Buffer, at: number): number {
  return buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 0x1_0000_0000;
}

function cString(buf: Buffer, at: number, max: number): string {
  const nul = buf.indexOf(0, at);
  const end = nul < 0 || nul > at + max ? at + max : nul;
  return buf.toString('utf8', at, end);
}

/**
 * Turns helper frames into RawEvents (backend 'ebpf', platform 'linux'). Kernel boot-time stamps become epoch
 * milliseconds with the offset from the latest hello frame; until a hello arrives, events are malformed.
 */
export class EbpfRecordDecoder {
  #bootToEpochMs: number | undefined;
  /** Joins file events' directories and names (resolving multi-component names). */
  readonly paths = new FilePathResolver();
  readonly #lastExe = new LastPath();
  readonly #lastCwd = new LastPath();
  /** @internal the last directory of a file event decoded (fileRecord): files come in bursts per directory. */
  readonly lastFileDir = new LastPath();

  decode(kindCode: number, p: Buffer): DecodedFrame {
    const kind = KIND_BY_CODE.get(kindCode);
    if (kind === undefined) return { type: 'malformed', reason: `unknown frame kind ${kindCode}` };
    if (p.length < MIN_BYTES[kind]) return { type: 'malformed', reason: `${kind} frame of ${p.length} bytes` };
    return this.#handlers[kind](p);
  }

  readonly #handlers: Readonly<Record<FrameKind, (p: Buffer) => DecodedFrame>> = {
    hello: (p) => {
      const hello: EbpfHelperHello = {
        bootToEpochMs: Number(p.readBigInt64LE(HELLO.bootToEpochNs)) / 1e6,
        ringBytes: u64(p, HELLO.ringBytes),
        drainMs: p.readUInt32LE(HELLO.drainMs),
        clkTck: p.readUInt32LE(HELLO.clkTck),
        helperPid: p.readUInt32LE(HELLO.helperPid),
        files: (p.readUInt32LE(HELLO.features) & FEATURE_FILES) !== 0,
      };
      this.#bootToEpochMs = hello.bootToEpochMs;
      return { type: 'hello', hello };
    },
    stats: (p) => ({
      type: 'stats',
      stats: {
        lost: u64(p, STATS.lost),
        records: u64(p, STATS.records),
        writeNs: u64(p, STATS.writeNs),
        fileLost: u64(p, STATS.fileLost),
        openFiltered: u64(p, STATS.openFiltered),
        openDeduped: u64(p, STATS.openDeduped),
        fileSkipped: u64(p, STATS.fileSkipped),
      },
    }),
    exec: (p) => this.#exec(p),
    fork: (p) => this.#event(p, (timeMs, process): RawFork => ({ kind: 'fork', timeMs, backend: 'ebpf', platform: 'linux', process })),
    exit: (p) =>
      this.#event(p, (timeMs, process): RawExit => {
        const status = p.readUInt32LE(EXIT.status);
        const signal = status & 0x7f;
        return {
          kind: 'exit',
          timeMs,
          backend: 'ebpf',
          platform: 'linux',
          process,
          // Shell convention: exit status, or 128 + signal number when killed by a signal.
          exitCode: signal === 0 ? (status >> 8) & 0xff : 128 + signal,
        };
      }),
    connect: (p) => this.#network(p, 'connect'),
    accept: (p) => this.#network(p, 'accept'),
    disconnect: (p) => this.#network(p, 'disconnect'),
    file: (p) => this.#file(p),
  };

  #file(p: Buffer): DecodedFrame {
    return fileRecord(this, p);
  }

  /** @internal the event frame of a record (used by fileRecord). */
  eventOf(p: Buffer, build: (timeMs: number, process: RawProcess) => RawEvent): DecodedFrame {
    return this.#event(p, build);
  }

  #event(p: Buffer, build: (timeMs: number, process: RawProcess) => RawEvent, complete?: (process: Mutable<RawProcess>) => void): DecodedFrame {
    if (this.#bootToEpochMs === undefined) return { type: 'malformed', reason: 'event before hello' };
    const timeMs = u64(p, RECORD.timeNs) / 1e6 + this.#bootToEpochMs;
    const process = this.#process(p);
    complete?.(process);
    return { type: 'event', event: build(timeMs, process) };
  }

  /** The record header's process, always built in one shape (exec adds its fields by assignment, in one order). */
  #process(p: Buffer): Mutable<RawProcess> {
    const base = this.#bootToEpochMs ?? 0;
    return {
      pid: p.readUInt32LE(RECORD.pid),
      startKey: String(u64(p, RECORD.startTicks)),
      startTimeMs: u64(p, RECORD.startBootNs) / 1e6 + base,
      ppid: p.readUInt32LE(RECORD.ppid),
      parentStartKey: String(u64(p, RECORD.parentStartTicks)),
      comm: cString(p, RECORD.comm, RECORD.commBytes),
      uid: p.readUInt32LE(RECORD.uid),
      gid: p.readUInt32LE(RECORD.gid),
      euid: p.readUInt32LE(RECORD.euid),
      egid: p.readUInt32LE(RECORD.egid),
      groupLeaderPid: p.readUInt32LE(RECORD.pgid),
      sessionLeaderPid: p.readUInt32LE(RECORD.sid),
      tty: p.readUInt32LE(RECORD.ttyNr),
    };
  }

  #exec(p: Buffer): DecodedFrame {
    const exeLen = p.readUInt16LE(EXEC.exeLen);
    const argvLen = p.readUInt16LE(EXEC.argvLen);
    const cwdLen = p.readUInt16LE(EXEC.cwdLen);
    const filenameLen = p.readUInt16LE(EXEC.filenameLen);
    const argvTrueLen = p.readUInt32LE(EXEC.argvTrueLen);
    const flags = p.readUInt16LE(EXEC.flags);
    const argvAt = EXEC.dataStart + exeLen;
    const cwdAt = argvAt + argvLen;
    const filenameAt = cwdAt + cwdLen;
    if (filenameAt + filenameLen > p.length) return { type: 'malformed', reason: `exec lengths exceed the ${p.length}-byte record` };

    const args = argvLen === 0 ? [] : p.toString('utf8', argvAt, cwdAt).split('\0');
    if (args.length > 0 && p[cwdAt - 1] === 0) args.pop(); // the NUL that ends the last argument
    const cwd = (flags & EXEC.flagCwdTruncated) !== 0 ? undefined : this.#lastCwd.decode(p, cwdAt, cwdLen);
    const executable = (flags & EXEC.flagExeTruncated) === 0 ? this.#lastExe.decode(p, EXEC.dataStart, exeLen) : fromFilename(p, filenameAt, filenameLen, cwd);
    const truncated = argvLen < argvTrueLen || (flags & EXEC.flagArgvFault) !== 0;
    return this.#event(
      p,
      (timeMs, process): RawExec => ({ kind: 'exec', timeMs, backend: 'ebpf', platform: 'linux', process }),
      (process) => {
        if (executable !== undefined) process.executable = executable;
        process.args = args;
        if (cwd !== undefined) process.cwd = cwd;
        if (truncated) {
          process.argsTruncated = true;
          process.argsBytes = argvTrueLen;
        }
      },
    );
  }

  #network(p: Buffer, kind: 'connect' | 'accept' | 'disconnect'): DecodedFrame {
    const familyCode = p.readUInt16LE(NET.family);
    if (familyCode !== AF_INET && familyCode !== AF_INET6) return { type: 'malformed', reason: `address family ${familyCode}` };
    const width = familyCode === AF_INET ? 4 : 16;
    const localIp = ipFromBytes(p.subarray(NET.saddr, NET.saddr + width));
    const remoteIp = ipFromBytes(p.subarray(NET.daddr, NET.daddr + width));
    const local = { ip: localIp.ip, port: p.readUInt16LE(NET.sport) };
    const remote = { ip: remoteIp.ip, port: p.readUInt16LE(NET.dport) };
    const base = {
      backend: 'ebpf' as const,
      platform: 'linux' as const,
      transport: p[NET.protocol] === IPPROTO_UDP ? ('udp' as const) : ('tcp' as const),
      family: remoteIp.family,
    };
    // Orientation follows the connection: an outbound one has the local end as source; an inbound one (accepted
    // here) has the remote peer as source and the local listener as destination.
    const inboundDisconnect = kind === 'disconnect' && (p.readUInt16LE(RECORD.flags) & DISCONNECT_INBOUND) !== 0;
    return this.#event(p, (timeMs, process): RawConnect | RawAccept | RawDisconnect => {
      if (kind === 'connect') {
        const result = p.readInt32LE(NET.result);
        return { kind, timeMs, process, ...base, ...(local.port !== 0 ? { source: local } : {}), destination: remote, result };
      }
      if (kind === 'accept') return { kind, timeMs, process, ...base, source: remote, destination: local };
      return inboundDisconnect
        ? { kind, timeMs, process, ...base, source: remote, destination: local, inbound: true }
        : { kind, timeMs, process, ...base, source: local, destination: remote };
    });
  }
}

/** A value whose readonly fields the decoder still fills in. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A file record: the path joined from (dir, name), a rename's old one likewise, inode facts when read. */
function fileRecord(this: void, decoder: EbpfRecordDecoder, p: Buffer): DecodedFrame {
  const action = FILE_ACTION_CODES[p[FILE.action] as keyof typeof FILE_ACTION_CODES];
  if (action === undefined) return { type: 'malformed', reason: `file action ${p[FILE.action]}` };
  const flags = p.readUInt16LE(FILE.flags);
  const dirLen = p.readUInt16LE(FILE.dirLen);
  const nameLen = p.readUInt16LE(FILE.nameLen);
  const odirLen = p.readUInt16LE(FILE.odirLen);
  const onameLen = p.readUInt16LE(FILE.onameLen);
  const nameAt = FILE.dataStart + dirLen;
  const odirAt = nameAt + nameLen;
  const onameAt = odirAt + odirLen;
  if (onameAt + onameLen > p.length) return { type: 'malformed', reason: `file lengths exceed the ${p.length}-byte record` };
  const requested = (flags & FILE.flagRequested) !== 0;
  const path = decoder.paths.join(decoder.lastFileDir.decode(p, FILE.dataStart, dirLen), p.toString('utf8', nameAt, odirAt), !requested);
  const stat = (flags & FILE.flagStat) !== 0;
  const extra: Partial<RawFile> = {
    ...(action === 'rename'
      ? { originalPath: decoder.paths.join(decodePath(p, odirAt, odirLen), p.toString('utf8', onameAt, onameAt + onameLen), true) }
      : {}),
    ...(stat
      ? { inode: u64(p, FILE.ino), size: u64(p, FILE.size), mode: p.readUInt32LE(FILE.mode), uid: p.readUInt32LE(FILE.uid), gid: p.readUInt32LE(FILE.gid) }
      : (flags & FILE.flagMode) !== 0 ? { mode: p.readUInt32LE(FILE.mode) } : {}),
    ...((flags & FILE.flagTrunc) !== 0 ? { truncated: true } : {}),
    ...((flags & (FILE.flagDirTruncated | FILE.flagOdirTruncated | FILE.flagNameFault)) !== 0 ? { pathTruncated: true } : {}),
  };
  const result = p.readInt32LE(FILE.result);
  const threadId = p.readUInt32LE(RECORD.tid);
  return decoder.eventOf(p, (timeMs, process): RawFile => ({
    kind: 'file', action, timeMs, backend: 'ebpf', platform: 'linux', process, path, result, threadId, ...extra,
  }));
}

/** The last walked path decoded, per field (executable, cwd): a storm execs one image from one directory. */
class LastPath {
  #bytes = Buffer.alloc(0);
  #text = '/';

  decode(p: Buffer, at: number, len: number): string {
    if (len === this.#bytes.length && p.compare(this.#bytes, 0, len, at, at + len) === 0) return this.#text;
    this.#text = decodePath(p, at, len);
    this.#bytes = Buffer.from(p.subarray(at, at + len));
    return this.#text;
  }
}

/** The helper writes a walked path (cwd, executable) as components leaf first, each NUL-terminated; none is the root. */
function decodePath(p: Buffer, at: number, len: number): string {
  if (len === 0) return '/';
  const parts = p.toString('utf8', at, at + len).split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return '/' + parts.reverse().join('/');
}

/**
 * The executable when the kernel could not walk its path (deeper or longer than the helper walks): the execve
 * filename, made absolute against the cwd when that is known. Unlike the walked path it may name a symlink.
 */
function fromFilename(p: Buffer, at: number, len: number, cwd: string | undefined): string | undefined {
  if (len === 0) return undefined;
  const filename = p.toString('utf8', at, at + len);
  return filename.startsWith('/') || cwd === undefined ? filename : posix.resolve(cwd, filename);
}
