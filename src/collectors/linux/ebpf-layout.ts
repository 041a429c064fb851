/**
 * The eBPF helper's wire format, mirrored from native/linux/src/vigil-record.h (change both together and bump
 * FRAME_VERSION there and here). All integers are little endian.
 */
export const FRAME_MAGIC = 0x4c474956; // "VIGL"
/**
 * 2: the executable path walked in the kernel (EXEC.exeLen), the controlling terminal (RECORD.ttyNr).
 * 3: file records (FILE), file counters in stats, hello.features.
 */
export const FRAME_VERSION = 3;
export const FRAME_HEADER_BYTES = 12;
/** Largest payload accepted: an exec record is at most 112 + 64 KiB. */
export const FRAME_MAX_PAYLOAD = 128 * 1024;

export const FRAME_KINDS = ['exec', 'fork', 'exit', 'connect', 'accept', 'disconnect', 'file', 'hello', 'stats'] as const;
export type FrameKind = (typeof FRAME_KINDS)[number];
export const FRAME_KIND_CODES: Readonly<Record<FrameKind, number>> = {
  exec: 1,
  fork: 2,
  exit: 3,
  connect: 4,
  accept: 5,
  disconnect: 6,
  file: 7,
  hello: 16,
  stats: 17,
};

/** struct vg_hdr + struct vg_proc, common to every kernel record. */
export const RECORD = {
  kind: 0,
  flags: 2,
  size: 4,
  timeNs: 8,
  startTicks: 16,
  parentStartTicks: 24,
  startBootNs: 32,
  pid: 40,
  tid: 44,
  ppid: 48,
  uid: 52,
  gid: 56,
  euid: 60,
  egid: 64,
  pgid: 68,
  sid: 72,
  /** Controlling terminal as /proc/<pid>/stat field 7 encodes it; 0 when none. */
  ttyNr: 76,
  comm: 80,
  commBytes: 16,
  /** Where the kind-specific block starts. */
  body: 96,
} as const;

/**
 * struct vg_exec, at RECORD.body; variable data follows at dataStart: executable (components, leaf first),
 * argv, cwd (components, leaf first), then the execve filename only when the executable's walk was cut.
 */
export const EXEC = {
  argvTrueLen: 96,
  argvLen: 100,
  exeLen: 102,
  cwdLen: 104,
  flags: 106,
  filenameLen: 108,
  dataStart: 112,
  flagArgvFault: 1,
  flagCwdTruncated: 2,
  flagExeTruncated: 4,
} as const;

export const EXIT = { status: 96, bytes: 104 } as const;

/** vg_hdr.flags of a disconnect: the connection was accepted (inbound). */
export const DISCONNECT_INBOUND = 1;

/** struct vg_net, at RECORD.body: s* is the local end, d* the remote end. */
export const NET = {
  family: 96,
  protocol: 98,
  sport: 100,
  dport: 102,
  result: 104,
  saddr: 112,
  daddr: 128,
  bytes: 144,
} as const;

/**
 * struct vg_file, at RECORD.body; data follows at dataStart: dir (a walked path, components leaf first), name
 * (the caller's argument, relative to dir), then a rename's old dir and name.
 */
export const FILE = {
  action: 96,
  flags: 98,
  dirLen: 100,
  nameLen: 102,
  odirLen: 104,
  onameLen: 106,
  result: 108,
  mode: 112,
  uid: 116,
  gid: 120,
  openFlags: 124,
  ino: 128,
  size: 136,
  dataStart: 144,
  flagTrunc: 1,
  flagDirTruncated: 2,
  flagOdirTruncated: 4,
  flagStat: 8,
  flagMode: 16,
  flagNameFault: 32,
  flagRequested: 64,
} as const;

/** vg_file.action codes. */
export const FILE_ACTION_CODES = { 1: 'creation', 2: 'modification', 3: 'deletion', 4: 'rename', 5: 'open', 6: 'attributes_modified' } as const;

export const HELLO = { bootToEpochNs: 0, ringBytes: 8, drainMs: 16, clkTck: 20, helperPid: 24, features: 28, bytes: 32 } as const;
/** hello.features: the file programs are attached. */
export const FEATURE_FILES = 1;
export const STATS = { lost: 0, records: 8, writeNs: 16, fileLost: 24, openFiltered: 32, openDeduped: 40, fileSkipped: 48, bytes: 56 } as const;

export const AF_INET = 2;
export const AF_INET6 = 10;
export const IPPROTO_UDP = 17;
