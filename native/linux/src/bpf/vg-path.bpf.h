/* Paths walked in the kernel: the cwd and the executable at exec, files and directories of file events. */
#ifndef VG_PATH_BPF_H
#define VG_PATH_BPF_H

/* Directories whose subtrees file events skip: (inode, kernel dev_t), filled by the loader. */
struct dir_id {
	__u64 ino;
	__u32 dev;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct dir_id);
	__type(value, __u8);
} excluded_dirs SEC(".maps");

/*
 * The walk, one path component per bpf_loop() step (a plain loop makes the verifier explore every offset).
 * Components are written NUL-terminated, leaf first, at scratch.data[base..]; mount points are crossed; the
 * walk stops at the task's root (as d_path does for the task itself) or at the namespace root.
 */
struct path_walk {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct dentry *root_dentry;
	struct vfsmount *root_mnt;
	__u64 mnt_offset;
	__u32 base;
	__u32 off;
	__u32 done;
	__u32 trunc;
	__u32 check_excluded;
	__u32 excluded;
};

static long path_step(__u32 index, void *arg)
{
	struct path_walk *w = arg;
	struct dentry *dentry = w->dentry;
	struct vfsmount *vfsmnt = w->vfsmnt;
	(void)index;
	if (dentry == w->root_dentry && vfsmnt == w->root_mnt) {
		w->done = 1;
		return 1;
	}
	if (w->check_excluded) {
		struct dir_id id = { .ino = BPF_CORE_READ(dentry, d_inode, i_ino), .dev = BPF_CORE_READ(dentry, d_sb, s_dev) };
		if (bpf_map_lookup_elem(&excluded_dirs, &id)) {
			w->excluded = 1;
			return 1;
		}
	}
	struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
	if (dentry == BPF_CORE_READ(vfsmnt, mnt_root) || dentry == parent) {
		struct mount *m = (struct mount *)((char *)vfsmnt - w->mnt_offset);
		struct mount *mparent = BPF_CORE_READ(m, mnt_parent);
		if (mparent == m) {
			w->done = 1; /* the namespace root */
			return 1;
		}
		w->dentry = BPF_CORE_READ(m, mnt_mountpoint);
		w->vfsmnt = (struct vfsmount *)((char *)mparent + w->mnt_offset);
		return 0;
	}
	__u32 off = w->off;
	/* exact room check (a component is at most 255 bytes): a path of up to PATH_MAX fits whole */
	__u32 clen = BPF_CORE_READ(dentry, d_name.len);
	if (off + clen + 1 > VG_PATH_MAX || clen > 255) {
		w->trunc = 1;
		return 1;
	}
	__u32 cpu = bpf_get_smp_processor_id();
	struct exec_scratch *s = bpf_map_lookup_elem(&scratch, &cpu);
	if (!s)
		return 1;
	const unsigned char *name = BPF_CORE_READ(dentry, d_name.name);
	__u32 at = (w->base & 0x7fff) + (off & (VG_PATH_MAX - 1));
	long n = bpf_probe_read_kernel_str(s->data + (at & 0xffff), (clen + 1) & 0x1ff, name);
	if (n <= 0) {
		w->done = 1;
		return 1;
	}
	w->off = off + (__u32)n;
	w->dentry = parent;
	return 0;
}

/*
 * Writes the path of (dentry, mnt) as seen from the task's root at scratch.data[base..]; returns its length
 * (at most VG_PATH_MAX); sets *trunc when the walk was cut (deeper than VG_PATH_DEPTH, longer than VG_PATH_MAX).
 */
static __always_inline __u32 read_path_checked(struct task_struct *task, struct dentry *dentry, struct vfsmount *mnt,
					       __u32 base, int *trunc, int *excluded)
{
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	struct path_walk w = {
		.dentry = dentry,
		.vfsmnt = mnt,
		.root_dentry = BPF_CORE_READ(fs, root.dentry),
		.root_mnt = BPF_CORE_READ(fs, root.mnt),
		.mnt_offset = bpf_core_field_offset(struct mount, mnt),
		.base = base,
		.check_excluded = excluded != 0,
	};
	bpf_loop(VG_PATH_DEPTH, path_step, &w, 0);
	*trunc = w.trunc || !w.done;
	if (excluded)
		*excluded = w.excluded;
	return w.off > VG_PATH_MAX ? VG_PATH_MAX : w.off;
}

/* read_path_checked without the excluded-directory check (exec: executable, cwd). */
static __always_inline __u32 read_path(struct task_struct *task, struct dentry *dentry, struct vfsmount *mnt,
				       __u32 base, int *trunc)
{
	return read_path_checked(task, dentry, mnt, base, trunc, 0);
}

#endif
