/* Paths walked in the kernel at exec: the cwd and the executable, from a (dentry, vfsmount) pair. */
#ifndef VG_PATH_BPF_H
#define VG_PATH_BPF_H

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
	if (off + 256 > VG_PATH_MAX) {
		w->trunc = 1;
		return 1;
	}
	__u32 cpu = bpf_get_smp_processor_id();
	struct exec_scratch *s = bpf_map_lookup_elem(&scratch, &cpu);
	if (!s)
		return 1;
	const unsigned char *name = BPF_CORE_READ(dentry, d_name.name);
	__u32 at = (w->base & 0x7fff) + (off & (VG_PATH_MAX - 1));
	long n = bpf_probe_read_kernel_str(s->data + (at & 0xffff), 256, name);
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
static __always_inline __u32 read_path(struct task_struct *task, struct dentry *dentry, struct vfsmount *mnt,
				       __u32 base, int *trunc)
{
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	struct path_walk w = {
		.dentry = dentry,
		.vfsmnt = mnt,
		.root_dentry = BPF_CORE_READ(fs, root.dentry),
		.root_mnt = BPF_CORE_READ(fs, root.mnt),
		.mnt_offset = bpf_core_field_offset(struct mount, mnt),
		.base = base,
	};
	bpf_loop(VG_PATH_DEPTH, path_step, &w, 0);
	*trunc = w.trunc || !w.done;
	return w.off > VG_PATH_MAX ? VG_PATH_MAX : w.off;
}

#endif
