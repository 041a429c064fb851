/*
 * Vigil eBPF helper: the fixed-layout records shared by the BPF program, the loader and the TypeScript
 * decoder (src/collectors/linux/ebpf-layout.ts mirrors every offset below; change both together and bump
 * VG_FRAME_VERSION).
 *
 * Stream on the helper's stdout: a sequence of frames, each
 *   struct vg_frame_header (12 bytes, little endian) followed by `length` payload bytes.
 * Kinds 1..15 carry a record produced in the kernel (payload = the record, starting with struct vg_hdr);
 * kinds 16.. are produced by the loader itself (hello, stats).
 */
#ifndef VIGIL_RECORD_H
#define VIGIL_RECORD_H

#define VG_FRAME_MAGIC 0x4c474956u /* "VIGL" read as little-endian bytes */
#define VG_FRAME_VERSION 3 /* 2: exe path walked in the kernel, vg_proc.tty_nr; 3: file records, file counters in stats */

#define VG_KIND_EXEC 1
#define VG_KIND_FORK 2
#define VG_KIND_EXIT 3
#define VG_KIND_CONNECT 4
#define VG_KIND_ACCEPT 5
#define VG_KIND_DISCONNECT 6
#define VG_KIND_FILE 7
#define VG_KIND_HELLO 16
#define VG_KIND_STATS 17

#define VG_ARGV_MAX 16384     /* argv bytes captured at exec (true length is always reported) */
#define VG_FILENAME_MAX 4096  /* path given to execve (sent only when the executable's walk was cut) */
#define VG_PATH_MAX 4096      /* bytes of a walked path (cwd, executable): components, leaf first */
#define VG_PATH_DEPTH 48      /* path components (and mount crossings) walked */
#define VG_COMM_LEN 16
#define VG_NAME_MAX 4096      /* bytes of a path argument read from the caller (PATH_MAX) */

/* vg_exec.flags */
#define VG_EXEC_ARGV_FAULT 1u   /* argv could not be read */
#define VG_EXEC_CWD_TRUNC 2u    /* cwd deeper than VG_PATH_DEPTH or longer than VG_PATH_MAX */
#define VG_EXEC_EXE_TRUNC 4u    /* executable path cut likewise: the execve filename follows the cwd instead */

struct vg_frame_header {
	__u32 magic;
	__u16 version;
	__u16 kind;
	__u32 length;
} __attribute__((packed));

/* 16 bytes: common to every kernel record. */
struct vg_hdr {
	__u16 kind;
	__u16 flags;
	__u32 size;     /* bytes of the whole record */
	__u64 time_ns;  /* CLOCK_BOOTTIME ns when the event happened */
};

/* 80 bytes: the process an event belongs to (the thread group leader's view). */
struct vg_proc {
	__u64 start_ticks;        /* start_boottime in USER_HZ ticks: /proc/<pid>/stat field 22 */
	__u64 parent_start_ticks; /* same for real_parent's thread group leader */
	__u64 start_boot_ns;      /* start_boottime in ns */
	__u32 pid;                /* tgid */
	__u32 tid;
	__u32 ppid;               /* real_parent's tgid */
	__u32 uid;
	__u32 gid;
	__u32 euid;
	__u32 egid;
	__u32 pgid;
	__u32 sid;
	__u32 tty_nr;             /* controlling terminal, encoded as /proc/<pid>/stat field 7; 0 when none */
	char comm[VG_COMM_LEN];
};

/*
 * exec: vg_hdr + vg_proc + this + data[exe_len + argv_len + cwd_len + filename_len].
 * The executable is the file the new image was loaded from (bprm->file, what /proc/<pid>/exe shows: symlinks
 * resolved, the interpreter for a #! script), walked from the task's root like the cwd.
 */
struct vg_exec {
	__u32 argv_true_len;  /* arg_end - arg_start: argv is truncated when argv_len < argv_true_len */
	__u16 argv_len;       /* NUL-separated argv bytes captured */
	__u16 exe_len;        /* NUL-terminated components, leaf first */
	__u16 cwd_len;        /* NUL-terminated components, leaf first ("" when cwd is the root) */
	__u16 flags;          /* VG_EXEC_* */
	__u16 filename_len;   /* execve filename bytes without the NUL: 0 unless VG_EXEC_EXE_TRUNC */
	__u16 pad;
};

/* exit: vg_hdr + vg_proc + this. */
struct vg_exit {
	__u32 exit_status;    /* wait(2) status: code << 8 | signal */
	__u32 pad;
};

/* vg_hdr.flags of a disconnect: the connection had been accepted (inbound) by this helper's accept probe. */
#define VG_DISCONNECT_INBOUND 1u

/*
 * connect / accept / disconnect: vg_hdr + vg_proc + this (48 bytes). Addresses in network byte order, ports in
 * host order; s* is the local end, d* the remote end.
 */
struct vg_net {
	__u16 family;   /* AF_INET 2 / AF_INET6 10 */
	__u8 protocol;  /* IPPROTO_TCP 6 / IPPROTO_UDP 17, 0 unknown */
	__u8 pad0;
	__u16 sport;    /* 0 when unknown */
	__u16 dport;
	__s32 result;   /* connect: 0 or -errno; accept: the new fd */
	__u32 pad1;
	__u8 saddr[16];
	__u8 daddr[16];
};

/* vg_file.action */
#define VG_FILE_CREATION 1
#define VG_FILE_MODIFICATION 2
#define VG_FILE_DELETION 3
#define VG_FILE_RENAME 4
#define VG_FILE_OPEN 5
#define VG_FILE_ATTRIBUTES 6

/* vg_file.flags */
#define VG_FILE_TRUNC 1u        /* opened with O_TRUNC */
#define VG_FILE_DIR_TRUNC 2u    /* the walked directory (or file) path was cut */
#define VG_FILE_ODIR_TRUNC 4u   /* rename: the old directory's walk was cut */
#define VG_FILE_STAT 8u         /* ino, size, mode, uid, gid read from the inode */
#define VG_FILE_MODE 16u        /* mode holds chmod's mode argument */
#define VG_FILE_NAME_FAULT 32u  /* a name argument could not be read */
#define VG_FILE_REQUESTED 64u   /* a failed open: the path as the caller asked for it, not resolved */

/*
 * file: vg_hdr + vg_proc + this (48 bytes) + data[dir_len + name_len + odir_len + oname_len]:
 *   dir   a walked path (NUL-terminated components, leaf first): the file itself when name_len is 0, else
 *         the directory a relative name is looked up from (dirfd or cwd; empty for an absolute name);
 *   name  the name argument as the caller passed it (no NUL), relative to dir;
 *   odir, oname: the same for a rename's old name.
 */
struct vg_file {
	__u8 action;      /* VG_FILE_* */
	__u8 pad0;
	__u16 flags;      /* VG_FILE_* flags */
	__u16 dir_len;
	__u16 name_len;
	__u16 odir_len;
	__u16 oname_len;
	__s32 result;     /* the syscall's return: fd or 0, or -errno */
	__u32 mode;       /* st_mode (VG_FILE_STAT) or chmod's mode (VG_FILE_MODE) */
	__u32 uid;
	__u32 gid;
	__u32 open_flags; /* open flags as passed (opens) */
	__u64 ino;
	__u64 size;
};

/* Loader frames. */
struct vg_hello {
	__s64 boot_to_epoch_ns;  /* CLOCK_REALTIME - CLOCK_BOOTTIME, read once at start */
	__u64 ring_bytes;
	__u32 drain_ms;
	__u32 clk_tck;
	__u32 helper_pid;
	__u32 features;  /* VG_FEATURE_* attached */
};

#define VG_FEATURE_FILES 1u

struct vg_stats {
	__u64 lost;       /* records the kernel could not reserve (ring buffer full), cumulative */
	__u64 records;    /* records drained, cumulative */
	__u64 write_ns;   /* time spent blocked writing stdout, cumulative */
	__u64 file_lost;      /* file records among `lost` */
	__u64 open_filtered;  /* read-only opens that matched no sensitive key (never left the kernel) */
	__u64 open_deduped;   /* sensitive opens already reported for (process, file, access class) */
	__u64 file_skipped;   /* pseudo filesystems, non-regular or unlinked files, excluded directories */
};

_Static_assert(sizeof(struct vg_frame_header) == 12, "frame header layout");
_Static_assert(sizeof(struct vg_hdr) == 16, "record header layout");
_Static_assert(sizeof(struct vg_proc) == 80, "process block layout");
_Static_assert(sizeof(struct vg_exec) == 16, "exec block layout");
_Static_assert(sizeof(struct vg_exit) == 8, "exit block layout");
_Static_assert(sizeof(struct vg_net) == 48, "network block layout");
_Static_assert(sizeof(struct vg_hello) == 32, "hello layout");
_Static_assert(sizeof(struct vg_file) == 48, "file block layout");
_Static_assert(sizeof(struct vg_stats) == 56, "stats layout");

#endif
