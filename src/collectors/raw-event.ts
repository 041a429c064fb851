/**
 * Platform-shaped events, as collectors see them. Collectors emit these and know nothing of ECS or rules;
 * `src/normalize/` turns them into ECS documents.
 */

export const BACKENDS = ['ebpf', 'procfs', 'eslogger', 'ps-lsof', 'etw', 'replay'] as const;
export type Backend = (typeof BACKENDS)[number];

export const PLATFORMS = ['linux', 'macos', 'windows'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * What a collector knows about one process instance. Only `pid` and `startKey` are required: together with the
 * host and boot identity they make `process.entity_id` (normalize/entity-id.ts), so every backend of a
 * platform must compute `startKey` the same way:
 * - linux: start time in USER_HZ clock ticks since boot (`/proc/<pid>/stat` field 22), as a decimal string;
 * - macos: process start time in microseconds since the epoch, as a decimal string;
 * - windows: the process sequence number when known, else create time as FILETIME ticks, as a decimal string.
 */
export interface RawProcess {
  readonly pid: number;
  readonly startKey: string;
  /** Wall-clock start time, epoch milliseconds. */
  readonly startTimeMs?: number;
  readonly ppid?: number;
  /** The parent's `startKey`, when the collector knows it (the eBPF helper reads it in the kernel). */
  readonly parentStartKey?: string;
  /** Short name (Linux `comm`, 15 bytes) when nothing better is known; normalize prefers basename(executable). */
  readonly comm?: string;
  readonly executable?: string;
  readonly args?: readonly string[];
  /**
   * The command line exactly as the platform reports it, when it has one string rather than an argv (Windows:
   * the PEB's command line; `args` is then its CommandLineToArgvW split). Normalize should prefer it over
   * joining `args` for `process.command_line`.
   */
  readonly commandLine?: string;
  /** True when argv was cut (the kernel capture limit); `argsBytes` then holds the true length. */
  readonly argsTruncated?: boolean;
  readonly argsBytes?: number;
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly euid?: number;
  readonly egid?: number;
  /** Names when the platform reports them directly (Windows, macOS); Linux resolves ids in normalize. */
  readonly userName?: string;
  readonly userDomain?: string;
  readonly groupName?: string;
  readonly sessionLeaderPid?: number;
  readonly groupLeaderPid?: number;
  /**
   * The controlling terminal's device number, 0 when there is none (Linux: `/proc/<pid>/stat` field 7,
   * tty_nr). Absent when the collector does not know it. Normalize derives `process.interactive` from it.
   */
  readonly tty?: number;
  /** Platform extras that have no common field yet (e.g. Windows session id); normalize may map them. */
  readonly extra?: Readonly<Record<string, string | number | boolean>>;
}

export interface RawEndpoint {
  readonly ip: string;
  readonly port: number;
}

interface RawBase {
  /** When the event happened, epoch milliseconds (fractional allowed). */
  readonly timeMs: number;
  readonly backend: Backend;
  readonly platform: Platform;
}

export interface RawExec extends RawBase {
  readonly kind: 'exec';
  readonly process: RawProcess;
}
export interface RawFork extends RawBase {
  readonly kind: 'fork';
  /** The child. Its `ppid`/`parentStartKey` name the parent. */
  readonly process: RawProcess;
}
export interface RawExit extends RawBase {
  readonly kind: 'exit';
  readonly process: RawProcess;
  readonly exitCode?: number;
}
/** A process found running when the collector started (ECS `already_running`). */
export interface RawSnapshot extends RawBase {
  readonly kind: 'snapshot';
  readonly process: RawProcess;
}

export const TRANSPORTS = ['tcp', 'udp'] as const;
export type Transport = (typeof TRANSPORTS)[number];

interface RawNetworkBase extends RawBase {
  readonly process: RawProcess;
  readonly transport: Transport;
  readonly family: 'ipv4' | 'ipv6';
  readonly source?: RawEndpoint;
  readonly destination: RawEndpoint;
}
/** An outbound connect(): `result` is the syscall's return (0 or -errno; -EINPROGRESS counts as success). */
export interface RawConnect extends RawNetworkBase {
  readonly kind: 'connect';
  readonly result?: number;
}
/** An inbound connection accepted by `process` (the server side): `source` is the remote peer, `destination` the local listener. */
export interface RawAccept extends RawNetworkBase {
  readonly kind: 'accept';
}
export interface RawDisconnect extends RawNetworkBase {
  readonly kind: 'disconnect';
  /**
   * True when the connection had been accepted on this host (then, as for RawAccept, the remote peer is the
   * source and the local end the destination); false or absent for an outbound one (local end = source).
   */
  readonly inbound?: boolean;
}

/**
 * What happened to a file, as Defend names it in `event.action`:
 * - creation: the file did not exist before this call (open with O_CREAT that created it, creat, mknod, link,
 *   symlink);
 * - modification: an existing regular file opened for writing (O_WRONLY/O_RDWR/O_TRUNC) or truncated;
 * - overwrite (Windows): an existing file opened with FILE_SUPERSEDE / FILE_OVERWRITE / FILE_OVERWRITE_IF;
 * - deletion: unlink/rmdir; rename: `path` is the new name, `originalPath` the old one;
 * - open: a read-only open of a sensitive path (the sensitive-path policy, src/sensitive-file-policy.ts,
 *   decides which), reported once per (process, file, access class);
 * - attributes_modified: chmod/fchmod/fchmodat (the new mode in `mode`).
 */
export const FILE_ACTIONS = ['creation', 'modification', 'overwrite', 'deletion', 'rename', 'open', 'attributes_modified'] as const;
export type FileAction = (typeof FILE_ACTIONS)[number];

/** A file event. Paths are absolute and resolved by the collector (relative names joined to dirfd/cwd). */
export interface RawFile extends RawBase {
  readonly kind: 'file';
  readonly action: FileAction;
  readonly process: RawProcess;
  /** The file's path (after a rename: the new path). For a failed open: the path the caller asked for. */
  readonly path: string;
  /** rename: the path before. */
  readonly originalPath?: string;
  /** The syscall's result: 0 (or a descriptor) on success, -errno on failure. Absent when unknown. */
  readonly result?: number;
  /** The thread that made the call. */
  readonly threadId?: number;
  readonly inode?: number;
  readonly size?: number;
  /** st_mode bits (type and permissions). */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  /** Opened with O_TRUNC (an overwrite of an existing file). */
  readonly truncated?: boolean;
  /** The collector saw the path cut (deeper or longer than it walks); `path` is then only its tail. */
  readonly pathTruncated?: boolean;
}

export type RawEvent = RawExec | RawFork | RawExit | RawSnapshot | RawConnect | RawAccept | RawDisconnect | RawFile;
export type RawEventKind = RawEvent['kind'];
