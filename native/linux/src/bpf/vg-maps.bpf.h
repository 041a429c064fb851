/* Vigil BPF program: constants, maps and the records built in them (included once, by vigil.bpf.c). */
#ifndef VG_MAPS_BPF_H
#define VG_MAPS_BPF_H

#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define EINPROGRESS 115

/* Set by the loader before load. */
const volatile __u64 tick_ns = 10000000; /* 1e9 / USER_HZ */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* resized by the loader */
} events SEC(".maps");

/*
 * Records lost because the ring buffer was full, one slot per CPU. A global (.bss) rather than a map: the
 * loader reads it through the skeleton's memory mapping, with no bpf() call, so it can drop its privileges
 * after attaching.
 */
#define VG_MAX_CPUS 1024
__u64 lost_per_cpu[VG_MAX_CPUS];
/* Records submitted to the ring buffer, one slot per CPU (the loader reports the total when it stops, so that
 * the agent can count what it never received). */
__u64 submitted_per_cpu[VG_MAX_CPUS];
/* Set by the loader when it stops: from then on nothing is submitted, so the counters above are final at once
 * (detaching waits for RCU grace periods, which take long on a loaded machine). */
__u32 stop_requested;

#define VG_DATA_SIZE 65536
#define VG_EXEC_FIXED (sizeof(struct vg_hdr) + sizeof(struct vg_proc) + sizeof(struct vg_exec))

struct exec_scratch {
	struct vg_hdr hdr;
	struct vg_proc proc;
	struct vg_exec exec;
	char data[VG_DATA_SIZE];
};

/* One exec scratch record per CPU (a plain array: per-CPU values are limited to 32 KiB). Sized by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct exec_scratch);
} scratch SEC(".maps");

struct net_record {
	struct vg_hdr hdr;
	struct vg_proc proc;
	struct vg_net net;
};

struct exit_record {
	struct vg_hdr hdr;
	struct vg_proc proc;
	struct vg_exit exit;
};

/* connect() arguments between sys_enter and sys_exit, keyed by pid_tgid. Bounded (LRU evicts). */
struct pending_connect {
	__u16 family;
	__u16 port;
	__u32 fd;
	__u8 addr[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct pending_connect);
} connects SEC(".maps");

/* Sockets returned by accept(), so that their disconnect is known to be inbound. Bounded (LRU evicts). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u8);
} inbound SEC(".maps");

#endif
