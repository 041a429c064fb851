/*
 * The file program: one raw tracepoint at every syscall exit (raw_syscalls:sys_exit), dispatching on the
 * syscall number to four handlers (open, a name, a descriptor, rename); other syscalls return at once. One
 * program rather than twenty sys_exit_* ones: each handler is verified once, and attaching or detaching is one
 * tracepoint registration (syscall tracepoints are faultable: each unregistration waits for an RCU tasks-trace
 * grace period, seconds on a loaded host). No sys_enter: the arguments come from the saved user registers the
 * tracepoint passes. The loader leaves it unloaded when file telemetry is off.
 */
#ifndef VG_FILE_PROGS_BPF_H
#define VG_FILE_PROGS_BPF_H

#define ARG1(r) PT_REGS_PARM1_CORE_SYSCALL(r)
#define ARG2(r) PT_REGS_PARM2_CORE_SYSCALL(r)
#define ARG3(r) PT_REGS_PARM3_CORE_SYSCALL(r)
#define ARG4(r) PT_REGS_PARM4_CORE_SYSCALL(r)

struct back_scan {
	struct exec_scratch *s;
	__u32 end;    /* scan [.., end) backwards */
	__u32 slash;  /* index of the slash found, or ~0 */
};

static long back_step(__u32 i, void *arg)
{
	struct back_scan *b = arg;
	if (i >= b->end)
		return 1;
	__u32 at = b->end - 1 - i;
	if (b->s->data[at & (VG_DATA_SIZE - 1)] == '/') {
		b->slash = at;
		return 1;
	}
	return 0;
}

/* The last '/' before `end` in scratch data, looking back at most 256 bytes; ~0 when none. */
static __always_inline __u32 last_slash(struct exec_scratch *s, __u32 end)
{
	struct back_scan b = { .s = s, .end = end, .slash = ~0u };
	bpf_loop(256, back_step, &b, 0);
	return b.slash;
}

/* Copies scratch data [from, from + len) to NAME_BUF (len < 256). */
static __always_inline __u32 to_name_buf(struct exec_scratch *s, __u32 from, __u32 len)
{
	asm volatile("" : "+r"(len)); /* keep the mask: the compiler would drop it after the caller's range check */
	len &= 0xff;
	if (len == 0)
		return 0;
	bpf_probe_read_kernel(s->data + NAME_BUF, len, s->data + (from & 0xbfff));
	return len;
}

struct full_hash {
	struct exec_scratch *s;
	__u32 at;
	__u32 len;
	__u64 h;
};

static long full_step(__u32 i, void *arg)
{
	struct full_hash *f = arg;
	if (i >= f->len)
		return 1;
	f->h = fnv_step(f->h, (__u8)f->s->data[(f->at + i) & (VG_DATA_SIZE - 1)]);
	return 0;
}

/* Ends a path-named record: (dfd, name) copied for the reader to join, then submitted (skipped and counted
 * when the name cannot be read). */
static __always_inline int submit_named(struct exec_scratch *s, struct task_struct *task, struct vg_file *f, long dfd, const char *name)
{
	__u16 dl = 0, nl = 0;
	long total = dir_and_name(s, task, dfd, name, 0, &dl, &nl, VG_FILE_DIR_TRUNC);
	if (total < 0) {
		count(file_skipped_per_cpu);
		return 0;
	}
	f->dir_len = dl;
	f->name_len = nl;
	submit_file(s, (__u32)total);
	return 0;
}

/* Where a failed open's requested name is read for the sensitivity check (above any record's data). */
#define REQ_BUF 0x9000

/*
 * A failed open (EACCES, EPERM, ENOENT): reported when the requested name's basename (or its directory's name)
 * matches a sensitive key, once per (process, requested path, access class).
 */
static __always_inline int on_open_failed(struct task_struct *task, long ret, long dfd, const char *name, __u64 flags)
{
	struct exec_scratch *s = file_scratch();
	if (!s)
		return 0;
	long n = bpf_probe_read_user_str(s->data + REQ_BUF, VG_NAME_MAX, name);
	if (n <= 1)
		return 0;
	__u32 len = ((__u32)n - 1) & (VG_NAME_MAX - 1);
	__u32 slash = last_slash(s, REQ_BUF + len);
	__u32 base = slash == ~0u ? REQ_BUF : slash + 1;
	if (base > REQ_BUF + len || REQ_BUF + len - base > 255) {
		count(open_filtered_per_cpu);
		return 0;
	}
	int hit = name_matches(s, to_name_buf(s, base, REQ_BUF + len - base));
	if (!hit && have_dir_keys) {
		if (slash != ~0u && slash > REQ_BUF) {
			__u32 pslash = last_slash(s, slash);
			__u32 pbase = pslash == ~0u ? REQ_BUF : pslash + 1;
			if (slash >= pbase && slash - pbase < 256)
				hit = dir_matches(s, to_name_buf(s, pbase, slash - pbase));
		} else if (slash == ~0u) {
			struct dentry *d;
			struct vfsmount *m;
			if (dir_of(task, dfd, &d, &m) == 0)
				hit = dir_matches(s, dentry_name(s, d));
		}
	}
	if (!hit) {
		count(open_filtered_per_cpu);
		return 0;
	}
	struct full_hash fh = { .s = s, .at = REQ_BUF, .len = len, .h = FNV_BASIS };
	bpf_loop(VG_NAME_MAX, full_step, &fh, 0);
	begin_file(s, task, VG_FILE_OPEN, ret);
	if (!first_open(&s->proc, fh.h, (__u32)dfd, access_class((__u32)flags)))
		return 0;
	struct vg_file *f = file_block(s);
	f->flags |= VG_FILE_REQUESTED;
	f->open_flags = (__u32)flags;
	return submit_named(s, task, f, dfd, name);
}

/* Regular, linked, on a real filesystem: the files events are about. */
static __always_inline int reportable_inode(struct inode *inode)
{
	__u16 mode = BPF_CORE_READ(inode, i_mode);
	if ((mode & S_IFMT) != S_IFREG || BPF_CORE_READ(inode, __i_nlink) == 0 || pseudo_fs(BPF_CORE_READ(inode, i_sb))) {
		count(file_skipped_per_cpu);
		return 0;
	}
	return 1;
}

/* An event about an open descriptor's file: the path walked from its dentry, the inode read. */
static __always_inline int file_event(struct exec_scratch *s, struct file *file, __u16 flags)
{
	struct vg_file *f = file_block(s);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	f->flags |= flags;
	stat_inode(f, BPF_CORE_READ(file, f_inode));
	long w = walk_segment(s, task, BPF_CORE_READ(file, f_path.dentry), BPF_CORE_READ(file, f_path.mnt), 0, VG_FILE_DIR_TRUNC);
	if (w < 0) {
		count(file_skipped_per_cpu);
		return 0;
	}
	f->dir_len = (__u16)w;
	submit_file(s, (__u32)w);
	return 0;
}

static __always_inline int on_open_exit(long ret, long dfd, const char *name, __u64 flags)
{
	if (own_pid())
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	if (ret < 0)
		return (ret == -EACCES || ret == -EPERM || ret == -ENOENT) ? on_open_failed(task, ret, dfd, name, flags) : 0;
	struct file *file = file_of_fd(task, ret);
	if (!file)
		return 0;
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	if (!reportable_inode(inode))
		return 0;
	struct exec_scratch *s = file_scratch();
	if (!s)
		return 0;
	__u8 action;
	if (BPF_CORE_READ(file, f_mode) & FMODE_CREATED)
		action = VG_FILE_CREATION;
	else if ((flags & O_ACCMODE) != 0 || (flags & O_TRUNC) != 0)
		action = VG_FILE_MODIFICATION;
	else
		action = VG_FILE_OPEN;
	if (action == VG_FILE_OPEN && !dentry_sensitive(s, BPF_CORE_READ(file, f_path.dentry))) {
		count(open_filtered_per_cpu);
		return 0;
	}
	begin_file(s, task, action, ret);
	if (action == VG_FILE_OPEN &&
	    !first_open(&s->proc, BPF_CORE_READ(inode, i_ino), BPF_CORE_READ(inode, i_sb, s_dev), access_class((__u32)flags)))
		return 0;
	file_block(s)->open_flags = (__u32)flags;
	return file_event(s, file, (action == VG_FILE_MODIFICATION && (flags & O_TRUNC)) ? VG_FILE_TRUNC : 0);
}

/* chmod's mode argument, marked as given (VG_FILE_MODE). */
#define VG_MODE_SET 0x80000000u

/* A path-named event (deletion, truncate, chmod, link): (dfd, name) joined by the reader. */
static __always_inline int on_named_exit(long ret, __u8 action, long dfd, const char *name, __u32 mode)
{
	if (own_pid())
		return 0;
	struct exec_scratch *s = file_scratch();
	if (!s)
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	begin_file(s, task, action, ret);
	struct vg_file *f = file_block(s);
	if (mode & VG_MODE_SET) {
		f->mode = mode & 07777;
		f->flags |= VG_FILE_MODE;
	}
	return submit_named(s, task, f, dfd, name);
}

/* An fd-named event (ftruncate, fchmod): regular linked files only. */
static __always_inline int on_fd_exit(long ret, __u8 action, long fd)
{
	if (own_pid())
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file *file = file_of_fd(task, fd);
	if (!file || !reportable_inode(BPF_CORE_READ(file, f_inode)))
		return 0;
	struct exec_scratch *s = file_scratch();
	if (!s)
		return 0;
	begin_file(s, task, action, ret);
	return file_event(s, file, 0);
}

/* rename: the new (dfd, name) first, then the old one. */
static __always_inline int on_rename_exit(long ret, long odfd, const char *oname, long ndfd, const char *nname)
{
	if (own_pid())
		return 0;
	struct exec_scratch *s = file_scratch();
	if (!s)
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	begin_file(s, task, VG_FILE_RENAME, ret);
	struct vg_file *f = file_block(s);
	__u16 dl = 0, nl = 0, odl = 0, onl = 0;
	long first = dir_and_name(s, task, ndfd, nname, 0, &dl, &nl, VG_FILE_DIR_TRUNC);
	if (first < 0) {
		count(file_skipped_per_cpu);
		return 0;
	}
	long second = dir_and_name(s, task, odfd, oname, (__u32)first & 0x3fff, &odl, &onl, VG_FILE_ODIR_TRUNC);
	if (second < 0) {
		count(file_skipped_per_cpu);
		return 0;
	}
	f->dir_len = dl;
	f->name_len = nl;
	f->odir_len = odl;
	f->oname_len = onl;
	submit_file(s, (__u32)(first + second));
	return 0;
}

/* Syscall numbers (the file syscalls) and where the number is saved, per architecture. */
#if defined(__TARGET_ARCH_x86)
#define SYSCALL_NR(regs) BPF_CORE_READ((regs), orig_ax)
#define NR_open 2
#define NR_truncate 76
#define NR_ftruncate 77
#define NR_rename 82
#define NR_rmdir 84
#define NR_creat 85
#define NR_link 86
#define NR_unlink 87
#define NR_symlink 88
#define NR_chmod 90
#define NR_fchmod 91
#define NR_openat 257
#define NR_unlinkat 263
#define NR_renameat 264
#define NR_linkat 265
#define NR_symlinkat 266
#define NR_fchmodat 268
#define NR_renameat2 316
#define NR_openat2 437
#define NR_fchmodat2 452
#elif defined(__TARGET_ARCH_arm64)
/* the generic table: no open, creat, unlink, rmdir, rename, link, symlink, chmod */
struct pt_regs___vg_arm64 {
	int syscallno;
} __attribute__((preserve_access_index));
#define SYSCALL_NR(regs) BPF_CORE_READ((struct pt_regs___vg_arm64 *)(regs), syscallno)
#define NR_open -1
#define NR_rename -2
#define NR_rmdir -3
#define NR_creat -4
#define NR_link -5
#define NR_unlink -6
#define NR_symlink -7
#define NR_chmod -8
#define NR_truncate 45
#define NR_ftruncate 46
#define NR_fchmod 52
#define NR_fchmodat 53
#define NR_openat 56
#define NR_unlinkat 35
#define NR_symlinkat 36
#define NR_linkat 37
#define NR_renameat 38
#define NR_renameat2 276
#define NR_openat2 437
#define NR_fchmodat2 452
#else
#error "file telemetry: syscall numbers for this architecture are not listed"
#endif

enum call_shape { CALL_NONE, CALL_OPEN, CALL_NAMED, CALL_FD, CALL_RENAME };

SEC("raw_tp/sys_exit")
int vg_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *r = (struct pt_regs *)ctx->args[0];
	long ret = (long)ctx->args[1];
	long nr = SYSCALL_NR(r);
	enum call_shape shape = CALL_NONE;
	__u8 action = 0;
	long dfd = AT_FDCWD, odfd = AT_FDCWD;
	const char *name = 0, *oname = 0;
	__u64 flags = 0;
	__u32 mode = 0;
	switch (nr) {
	case NR_openat:
		shape = CALL_OPEN; dfd = ARG1(r); name = (const char *)ARG2(r); flags = ARG3(r);
		break;
	case NR_open:
		shape = CALL_OPEN; name = (const char *)ARG1(r); flags = ARG2(r);
		break;
	case NR_creat:
		shape = CALL_OPEN; name = (const char *)ARG1(r); flags = O_CREAT | O_TRUNC | 1;
		break;
	case NR_openat2:
		shape = CALL_OPEN; dfd = ARG1(r); name = (const char *)ARG2(r);
		bpf_probe_read_user(&flags, sizeof(flags), (const void *)ARG3(r)); /* struct open_how.flags comes first */
		break;
	case NR_unlinkat:
		shape = CALL_NAMED; action = VG_FILE_DELETION; dfd = ARG1(r); name = (const char *)ARG2(r);
		break;
	case NR_unlink:
	case NR_rmdir:
		shape = CALL_NAMED; action = VG_FILE_DELETION; name = (const char *)ARG1(r);
		break;
	case NR_truncate:
		shape = CALL_NAMED; action = VG_FILE_MODIFICATION; name = (const char *)ARG1(r);
		break;
	case NR_fchmodat:
	case NR_fchmodat2:
		shape = CALL_NAMED; action = VG_FILE_ATTRIBUTES; dfd = ARG1(r); name = (const char *)ARG2(r);
		mode = (__u32)ARG3(r) | VG_MODE_SET;
		break;
	case NR_chmod:
		shape = CALL_NAMED; action = VG_FILE_ATTRIBUTES; name = (const char *)ARG1(r); mode = (__u32)ARG2(r) | VG_MODE_SET;
		break;
	case NR_linkat:
		shape = CALL_NAMED; action = VG_FILE_CREATION; dfd = ARG3(r); name = (const char *)ARG4(r);
		break;
	case NR_link:
	case NR_symlink:
		shape = CALL_NAMED; action = VG_FILE_CREATION; name = (const char *)ARG2(r);
		break;
	case NR_symlinkat:
		shape = CALL_NAMED; action = VG_FILE_CREATION; dfd = ARG2(r); name = (const char *)ARG3(r);
		break;
	case NR_ftruncate:
		shape = CALL_FD; action = VG_FILE_MODIFICATION; dfd = ARG1(r);
		break;
	case NR_fchmod:
		shape = CALL_FD; action = VG_FILE_ATTRIBUTES; dfd = ARG1(r);
		break;
	case NR_renameat:
	case NR_renameat2:
		shape = CALL_RENAME; odfd = ARG1(r); oname = (const char *)ARG2(r); dfd = ARG3(r); name = (const char *)ARG4(r);
		break;
	case NR_rename:
		shape = CALL_RENAME; oname = (const char *)ARG1(r); name = (const char *)ARG2(r);
		break;
	default:
		return 0;
	}
	if (shape == CALL_OPEN)
		return on_open_exit(ret, dfd, name, flags);
	if (shape == CALL_NAMED)
		return on_named_exit(ret, action, dfd, name, mode);
	if (shape == CALL_FD)
		return on_fd_exit(ret, action, dfd);
	return on_rename_exit(ret, odfd, oname, dfd, name);
}

#endif
