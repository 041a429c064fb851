/* Filling the common record parts: header, process block (thread group leader's view), lost counter. */
#ifndef VG_RECORD_BPF_H
#define VG_RECORD_BPF_H

static __always_inline void count_lost(void)
{
	__u32 cpu = bpf_get_smp_processor_id() & (VG_MAX_CPUS - 1);
	__sync_fetch_and_add(&lost_per_cpu[cpu], 1);
}

static __always_inline int stop_requested_now(void)
{
	return *(volatile __u32 *)&stop_requested != 0;
}

/* Submits a record reserved in the ring buffer, and counts it (once the loader stops: discards it). */
static __always_inline void ring_submit(void *record)
{
	if (stop_requested_now()) {
		bpf_ringbuf_discard(record, BPF_RB_NO_WAKEUP);
		return;
	}
	bpf_ringbuf_submit(record, BPF_RB_NO_WAKEUP);
	__u32 cpu = bpf_get_smp_processor_id() & (VG_MAX_CPUS - 1);
	__sync_fetch_and_add(&submitted_per_cpu[cpu], 1);
}

/* Copies a record built elsewhere into the ring buffer; counts it submitted, or lost when the ring is full
 * (once the loader stops: nothing). Returns nonzero when lost. */
static __always_inline int ring_output(void *data, __u32 size)
{
	if (stop_requested_now())
		return 0;
	if (bpf_ringbuf_output(&events, data, size, BPF_RB_NO_WAKEUP) != 0) {
		count_lost();
		return 1;
	}
	__u32 cpu = bpf_get_smp_processor_id() & (VG_MAX_CPUS - 1);
	__sync_fetch_and_add(&submitted_per_cpu[cpu], 1);
	return 0;
}

static __always_inline __u64 to_ticks(__u64 ns)
{
	return tick_ns ? ns / tick_ns : 0;
}

/*
 * The controlling terminal as /proc/<pid>/stat field 7 has it: new_encode_dev(tty_devnum(tty)), where the
 * device is (driver major, driver minor_start + index); 0 without a terminal.
 */
static __always_inline __u32 tty_nr_of(struct signal_struct *signal)
{
	struct tty_struct *tty = BPF_CORE_READ(signal, tty);
	if (!tty)
		return 0;
	struct tty_driver *driver = BPF_CORE_READ(tty, driver);
	__u32 major = BPF_CORE_READ(driver, major);
	__u32 minor = BPF_CORE_READ(driver, minor_start) + BPF_CORE_READ(tty, index);
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static __always_inline void fill_proc(struct vg_proc *p, struct task_struct *task)
{
	struct task_struct *leader = BPF_CORE_READ(task, group_leader);
	struct task_struct *parent = BPF_CORE_READ(task, real_parent);
	const struct cred *cred = BPF_CORE_READ(task, real_cred);
	struct signal_struct *signal = BPF_CORE_READ(task, signal);

	p->pid = BPF_CORE_READ(task, tgid);
	p->tid = BPF_CORE_READ(task, pid);
	p->start_boot_ns = BPF_CORE_READ(leader, start_boottime);
	p->start_ticks = to_ticks(p->start_boot_ns);
	p->ppid = BPF_CORE_READ(parent, tgid);
	p->parent_start_ticks = to_ticks(BPF_CORE_READ(parent, group_leader, start_boottime));
	p->uid = BPF_CORE_READ(cred, uid.val);
	p->gid = BPF_CORE_READ(cred, gid.val);
	p->euid = BPF_CORE_READ(cred, euid.val);
	p->egid = BPF_CORE_READ(cred, egid.val);
	p->pgid = BPF_CORE_READ(signal, pids[PIDTYPE_PGID], numbers[0].nr);
	p->sid = BPF_CORE_READ(signal, pids[PIDTYPE_SID], numbers[0].nr);
	p->tty_nr = tty_nr_of(signal);
	bpf_probe_read_kernel_str(p->comm, sizeof(p->comm), BPF_CORE_READ(leader, comm));
}

static __always_inline void fill_hdr(struct vg_hdr *h, __u16 kind, __u32 size)
{
	h->kind = kind;
	h->flags = 0;
	h->size = size;
	h->time_ns = bpf_ktime_get_boot_ns();
}

#endif
