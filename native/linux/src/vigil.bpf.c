// SPDX-License-Identifier: GPL-2.0
/*
 * Vigil eBPF program: process (exec, fork, exit), network (connect, accept, disconnect) and file (open,
 * create, write, delete, rename, chmod, truncate, link) telemetry from tracepoints only (raw tracepoints for
 * sched, syscall tracepoints for connect/accept and the file syscalls, sock:inet_sock_set_state for
 * disconnects). Records are fixed-layout (vigil-record.h) and submitted without wakeup: the loader drains
 * the ring buffer on a timer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "vigil-record.h"
#include "bpf/vg-maps.bpf.h"
#include "bpf/vg-record.bpf.h"
#include "bpf/vg-path.bpf.h"
#include "bpf/vg-socket.bpf.h"
#include "bpf/vg-file.bpf.h"
#include "bpf/vg-file-progs.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("raw_tp/sched_process_exec")
int vg_exec(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	struct linux_binprm *bprm = (struct linux_binprm *)ctx->args[2];
	__u32 cpu = bpf_get_smp_processor_id();
	struct exec_scratch *s = bpf_map_lookup_elem(&scratch, &cpu);
	if (!s)
		return 0;

	fill_proc(&s->proc, task);
	s->exec.flags = 0;
	s->exec.pad = 0;

	/* The executable first: the file the image came from, as /proc/<pid>/exe resolves it. */
	int trunc = 0;
	struct file *file = BPF_CORE_READ(bprm, file);
	__u32 exe_len = read_path(task, BPF_CORE_READ(file, f_path.dentry), BPF_CORE_READ(file, f_path.mnt), 0, &trunc);
	if (trunc)
		s->exec.flags |= VG_EXEC_EXE_TRUNC;
	exe_len &= 0x1fff; /* a bound the verifier can see (read_path returns <= VG_PATH_MAX) */
	s->exec.exe_len = exe_len;

	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	__u64 arg_start = BPF_CORE_READ(mm, arg_start);
	__u64 arg_end = BPF_CORE_READ(mm, arg_end);
	__u64 argv_true = arg_end > arg_start ? arg_end - arg_start : 0;
	__u32 argv_len = argv_true > VG_ARGV_MAX ? VG_ARGV_MAX : (__u32)argv_true;
	argv_len &= 0x7fff;
	s->exec.argv_true_len = argv_true > 0xffffffffull ? 0xffffffffu : (__u32)argv_true;
	if (argv_len > 0 &&
	    bpf_probe_read_user(s->data + exe_len, argv_len, (const void *)arg_start) != 0) {
		argv_len = 0;
		s->exec.flags |= VG_EXEC_ARGV_FAULT;
	}
	s->exec.argv_len = argv_len;

	__u32 cwd_base = (exe_len + argv_len) & 0x7fff;
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	__u32 cwd_len = read_path(task, BPF_CORE_READ(fs, pwd.dentry), BPF_CORE_READ(fs, pwd.mnt), cwd_base, &trunc);
	if (trunc)
		s->exec.flags |= VG_EXEC_CWD_TRUNC;
	cwd_len &= 0x1fff;
	s->exec.cwd_len = cwd_len;

	/* The execve filename only stands in for an executable path the walk could not finish. */
	__u32 filename_len = 0;
	if (s->exec.flags & VG_EXEC_EXE_TRUNC) {
		__u32 fn_base = (cwd_base + cwd_len) & 0x7fff;
		long fl = bpf_probe_read_kernel_str(s->data + fn_base, VG_FILENAME_MAX, BPF_CORE_READ(bprm, filename));
		filename_len = fl > 0 ? (__u32)(fl - 1) : 0;
		filename_len &= VG_FILENAME_MAX - 1;
	}
	s->exec.filename_len = filename_len;

	__u32 size = VG_EXEC_FIXED + ((exe_len + argv_len + cwd_len + filename_len) & 0xffff);
	fill_hdr(&s->hdr, VG_KIND_EXEC, size);
	if (size > sizeof(*s))
		return 0;
	ring_output(s, size);
	return 0;
}

SEC("raw_tp/sched_process_fork")
int vg_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0; /* a new thread, not a new process */
	struct vg_hdr *r = bpf_ringbuf_reserve(&events, sizeof(struct vg_hdr) + sizeof(struct vg_proc), 0);
	if (!r) {
		count_lost();
		return 0;
	}
	fill_hdr(r, VG_KIND_FORK, sizeof(struct vg_hdr) + sizeof(struct vg_proc));
	fill_proc((struct vg_proc *)(r + 1), child);
	ring_submit(r);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int vg_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0; /* other threads of the process still run */
	struct exit_record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return 0;
	}
	fill_hdr(&r->hdr, VG_KIND_EXIT, sizeof(*r));
	fill_proc(&r->proc, task);
	r->exit.exit_status = BPF_CORE_READ(task, exit_code);
	r->exit.pad = 0;
	ring_submit(r);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_connect")
int vg_enter_connect(struct trace_event_raw_sys_enter *ctx)
{
	const void *uaddr = (const void *)ctx->args[1];
	__u64 addrlen = ctx->args[2];
	struct pending_connect p = {};
	if (!uaddr || addrlen < 8)
		return 0;
	if (bpf_probe_read_user(&p.family, sizeof(p.family), uaddr) != 0)
		return 0;
	if (p.family == AF_INET) {
		struct sockaddr_in sin;
		if (bpf_probe_read_user(&sin, sizeof(sin), uaddr) != 0)
			return 0;
		p.port = bpf_ntohs(sin.sin_port);
		__builtin_memcpy(p.addr, &sin.sin_addr.s_addr, 4);
	} else if (p.family == AF_INET6) {
		struct sockaddr_in6 sin6;
		if (addrlen < sizeof(sin6) || bpf_probe_read_user(&sin6, sizeof(sin6), uaddr) != 0)
			return 0;
		p.port = bpf_ntohs(sin6.sin6_port);
		__builtin_memcpy(p.addr, &sin6.sin6_addr, 16);
	} else {
		return 0;
	}
	p.fd = (__u32)ctx->args[0];
	__u64 key = bpf_get_current_pid_tgid();
	bpf_map_update_elem(&connects, &key, &p, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int vg_exit_connect(struct trace_event_raw_sys_exit *ctx)
{
	__u64 key = bpf_get_current_pid_tgid();
	struct pending_connect *p = bpf_map_lookup_elem(&connects, &key);
	if (!p)
		return 0;
	struct net_record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		bpf_map_delete_elem(&connects, &key);
		count_lost();
		return 0;
	}
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	fill_hdr(&r->hdr, VG_KIND_CONNECT, sizeof(*r));
	fill_proc(&r->proc, task);
	__builtin_memset(&r->net, 0, sizeof(r->net));
	r->net.family = p->family;
	r->net.dport = p->port;
	__builtin_memcpy(r->net.daddr, p->addr, 16);
	r->net.result = (__s32)ctx->ret;
	struct socket *sock = socket_of_fd(task, p->fd);
	bpf_map_delete_elem(&connects, &key);
	if (sock) {
		r->net.protocol = protocol_of(sock);
		if (ctx->ret == 0 || ctx->ret == -EINPROGRESS) {
			struct sock *sk = BPF_CORE_READ(sock, sk);
			r->net.sport = BPF_CORE_READ(sk, __sk_common.skc_num);
			if (r->net.family == AF_INET) {
				__u32 a = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
				__builtin_memcpy(r->net.saddr, &a, 4);
			} else {
				BPF_CORE_READ_INTO(&r->net.saddr, sk, __sk_common.skc_v6_rcv_saddr);
			}
		}
	}
	ring_submit(r);
	return 0;
}

static __always_inline int on_accept_exit(struct trace_event_raw_sys_exit *ctx)
{
	long fd = ctx->ret;
	if (fd < 0)
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct socket *sock = socket_of_fd(task, (__u32)fd);
	if (!sock)
		return 0;
	struct sock *sk = BPF_CORE_READ(sock, sk);
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	__u64 skp = (__u64)sk;
	__u8 one = 1;
	bpf_map_update_elem(&inbound, &skp, &one, BPF_ANY);
	struct net_record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return 0;
	}
	fill_hdr(&r->hdr, VG_KIND_ACCEPT, sizeof(*r));
	fill_proc(&r->proc, task);
	__builtin_memset(&r->net, 0, sizeof(r->net));
	r->net.family = family;
	r->net.protocol = protocol_of(sock);
	r->net.result = (__s32)fd;
	r->net.sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	r->net.dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == AF_INET) {
		__u32 s = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 d = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__builtin_memcpy(r->net.saddr, &s, 4);
		__builtin_memcpy(r->net.daddr, &d, 4);
	} else {
		BPF_CORE_READ_INTO(&r->net.saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&r->net.daddr, sk, __sk_common.skc_v6_daddr);
	}
	ring_submit(r);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept")
int vg_exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept_exit(ctx);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int vg_exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept_exit(ctx);
}

/*
 * A TCP connection closed by its own process: ESTABLISHED -> FIN_WAIT1 (this end closes first) or
 * CLOSE_WAIT -> LAST_ACK (this end closes after the peer). Both transitions happen inside close()/shutdown()
 * (or exit), in the process's context, so the pid is right; transitions driven by packets run in softirq
 * with an unrelated current task and are not reported.
 */
SEC("tracepoint/sock/inet_sock_set_state")
int vg_sock_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	int from = ctx->oldstate, to = ctx->newstate;
	if (!((from == TCP_ESTABLISHED && to == TCP_FIN_WAIT1) || (from == TCP_CLOSE_WAIT && to == TCP_LAST_ACK)))
		return 0;
	__u16 family = ctx->family;
	if (family != AF_INET && family != AF_INET6)
		return 0;
	__u64 skp = (__u64)ctx->skaddr;
	__u16 flags = bpf_map_lookup_elem(&inbound, &skp) ? VG_DISCONNECT_INBOUND : 0;
	if (flags)
		bpf_map_delete_elem(&inbound, &skp);
	struct net_record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return 0;
	}
	fill_hdr(&r->hdr, VG_KIND_DISCONNECT, sizeof(*r));
	r->hdr.flags = flags;
	fill_proc(&r->proc, (struct task_struct *)bpf_get_current_task());
	__builtin_memset(&r->net, 0, sizeof(r->net));
	r->net.family = family;
	r->net.protocol = IPPROTO_TCP;
	r->net.sport = ctx->sport;
	r->net.dport = ctx->dport;
	/* The verifier refuses ctx pointer arithmetic for copies: read the address arrays as kernel memory. */
	if (family == AF_INET) {
		bpf_probe_read_kernel(r->net.saddr, 4, ctx->saddr);
		bpf_probe_read_kernel(r->net.daddr, 4, ctx->daddr);
	} else {
		bpf_probe_read_kernel(r->net.saddr, 16, ctx->saddr_v6);
		bpf_probe_read_kernel(r->net.daddr, 16, ctx->daddr_v6);
	}
	ring_submit(r);
	return 0;
}
