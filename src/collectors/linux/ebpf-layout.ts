/**
 * The eBPF helper's wire format, mirrored from native/linux/src/vigil-record.h (change both together and bump
 * FRAME_VERSION there and here). All integers are little endian.
 */
export const FRAME_MAGIC = 0x4c474956; // "VIGL"
/** 2: the executable path walked in the kernel (EXEC.exeLen), the controlling terminal (RECORD.ttyNr). */
export const FRAME_VERSION = 2;
export const FRAME_HEADER_BYTES = 12;
/** Largest payload accepted: an exec record is at most 112 + 64 KiB. */
export const FRAME_MAX_PAYLOAD = 128 * 1024;

export const FRAME_KINDS = ['exec', 'fork', 'exit', 'connect', 'accept', 'disconnect', 'hello', 'stats'] as const;
export type FrameKind = (typeof FRAME_KINDS)[number];
export const FRAME_KIND_CODES: Readonly<Record<FrameKind, number>> = {
  exec: 1,
  fork: 2,
  exit: 3,
  connect: 4,
  accept: 5,
  disconnect: 6,
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

export const HELLO = { bootToEpochNs: 0, ringBytes: 8, drainMs: 16, clkTck: 20, helperPid: 24, bytes: 32 } as const;
export const STATS = { lost: 0, records: 8, writeNs: 16, bytes: 24 } as const;

export const AF_INET = 2;
export const AF_INET6 = 10;
export const IPPROTO_UDP = 17;
