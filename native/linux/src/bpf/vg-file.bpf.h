/*
 * File telemetry: the shared parts of the sys_exit_* file programs (vg-file-progs.bpf.h).
 *
 * Every program runs at syscall exit only: the arguments come from the task's saved user registers
 * (bpf_task_pt_regs), so no sys_enter probe and no pending-call map sit on the open() path. A record is
 * vg_hdr + vg_proc + vg_file + up to four path segments, built in the per-CPU exec scratch (the vg_file block
 * overlays the first bytes of the exec block's data, see FILE_DATA).
 *
 * Filters, cheapest first: the agent's and helper's own pids; then per call: regular files only (opens),
 * pseudo filesystems by superblock magic, the sensitive-open keys (read-only opens: one hash lookup per
 * key shape on the basename, ASCII case folded), once per (process, file, access class), then excluded
 * directories (checked while the path is walked). Every skip and every lost record is counted.
 */
#ifndef VG_FILE_BPF_H
#define VG_FILE_BPF_H

#define O_ACCMODE 3
#define O_TRUNC 01000
#define O_CREAT 0100
#define AT_FDCWD -100
#define EPERM 1
#define ENOENT 2
#define EACCES 13
#define S_IFMT 0170000
#define S_IFREG 0100000
#define S_IFDIR 0040000
#define FMODE_CREATED 0x100000
#define TMPFS_MAGIC 0x01021994

/* Set by the loader before load. */
const volatile __u32 own_pid_a = 0;      /* the helper */
const volatile __u32 own_pid_b = 0;      /* the agent (the helper's parent) */
const volatile __u64 prefix_lens = 0;    /* bit n: some prefix key is n bytes long */
const volatile __u32 have_dir_keys = 0;
const volatile __u32 have_excludes = 0;

/* Counters, per CPU, summed by the loader through the skeleton's mapping (as lost_per_cpu). */
__u64 file_lost_per_cpu[VG_MAX_CPUS];     /* file records the ring could not take */
__u64 open_filtered_per_cpu[VG_MAX_CPUS]; /* read-only opens that matched no sensitive key */
__u64 open_deduped_per_cpu[VG_MAX_CPUS];  /* sensitive opens already reported for (process, file, class) */
__u64 file_skipped_per_cpu[VG_MAX_CPUS];  /* pseudo filesystems, non-regular files, excluded directories */

static __always_inline void count(__u64 *per_cpu)
{
	per_cpu[bpf_get_smp_processor_id() & (VG_MAX_CPUS - 1)]++;
}

/* Sensitive-open keys: FNV-1a 64 of a kind byte + the lower-cased text (src/sensitive-file-policy.ts). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} file_keys SEC(".maps");

/* Sensitive opens already reported: once per (process instance, file, access class). Bounded (LRU evicts). */
struct open_seen_key {
	__u64 start_ns;
	__u64 ino;   /* or the requested name's hash for a failed open */
	__u32 dev;
	__u32 tgid_class; /* tgid << 2 | access class */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct open_seen_key);
	__type(value, __u8);
} open_seen SEC(".maps");

#define FNV_BASIS 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull
#define KEY_NAME 0x4e
#define KEY_PREFIX 0x50
#define KEY_EXT 0x45
#define KEY_DIR 0x44
#define NAME_MAX_HASHED 128
#define PREFIX_MAX 32

/* Where the name being hashed is copied (bytes of exec scratch data no record reaches). */
#define NAME_BUF (VG_DATA_SIZE - 512)
/* A file record's data, in exec-data coordinates: vg_file overlays exec data[0..32). */
#define FILE_DATA (sizeof(struct vg_file) - sizeof(struct vg_exec))
#define VG_FILE_FIXED (sizeof(struct vg_hdr) + sizeof(struct vg_proc) + sizeof(struct vg_file))

static __always_inline struct vg_file *file_block(struct exec_scratch *s)
{
	return (struct vg_file *)&s->exec;
}

static __always_inline __u64 fnv_step(__u64 h, __u8 c)
{
	return (h ^ c) * FNV_PRIME;
}

static __always_inline __u8 lower(__u8 c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

struct name_scan {
	struct exec_scratch *s;
	__u32 len;
	__u32 match;
	__u64 name;
	__u64 prefix;
	__u64 ext;
	__u32 dot;
};

static long name_step(__u32 i, void *arg)
{
	struct name_scan *n = arg;
	if (i >= n->len)
		return 1;
	__u8 c = lower((__u8)n->s->data[(NAME_BUF + i) & (VG_DATA_SIZE - 1)]);
	n->name = fnv_step(n->name, c);
	if (i < PREFIX_MAX) {
		n->prefix = fnv_step(n->prefix, c);
		if ((prefix_lens >> (i + 1)) & 1) {
			__u64 k = n->prefix;
			if (bpf_map_lookup_elem(&file_keys, &k)) {
				n->match = 1;
				return 1;
			}
		}
	}
	if (c == '.') {
		n->ext = fnv_step(FNV_BASIS, KEY_EXT);
		n->dot = 1;
	} else {
		n->ext = fnv_step(n->ext, c);
	}
	return 0;
}

/* Whether the name at NAME_BUF (len bytes) matches a name, prefix or extension key. */
static __always_inline int name_matches(struct exec_scratch *s, __u32 len)
{
	struct name_scan n = {
		.s = s,
		.len = len,
		.name = fnv_step(FNV_BASIS, KEY_NAME),
		.prefix = fnv_step(FNV_BASIS, KEY_PREFIX),
		.ext = fnv_step(FNV_BASIS, KEY_EXT),
	};
	bpf_loop(NAME_MAX_HASHED, name_step, &n, 0);
	if (n.match)
		return 1;
	if (len <= NAME_MAX_HASHED && bpf_map_lookup_elem(&file_keys, &n.name))
		return 1;
	return n.dot && bpf_map_lookup_elem(&file_keys, &n.ext) != 0;
}

struct dir_hash {
	struct exec_scratch *s;
	__u32 len;
	__u64 h;
};

static long dir_step(__u32 i, void *arg)
{
	struct dir_hash *d = arg;
	if (i >= d->len)
		return 1;
	d->h = fnv_step(d->h, lower((__u8)d->s->data[(NAME_BUF + i) & (VG_DATA_SIZE - 1)]));
	return 0;
}

/* Whether the directory name at NAME_BUF (len bytes) matches a dir key. */
static __always_inline int dir_matches(struct exec_scratch *s, __u32 len)
{
	struct dir_hash d = { .s = s, .len = len, .h = fnv_step(FNV_BASIS, KEY_DIR) };
	bpf_loop(NAME_MAX_HASHED, dir_step, &d, 0);
	return len <= NAME_MAX_HASHED && bpf_map_lookup_elem(&file_keys, &d.h) != 0;
}

/* Copies a dentry's name to NAME_BUF; returns its length (0 when unreadable). */
static __always_inline __u32 dentry_name(struct exec_scratch *s, struct dentry *d)
{
	long n = bpf_probe_read_kernel_str(s->data + NAME_BUF, 256, BPF_CORE_READ(d, d_name.name));
	return n > 1 ? (__u32)(n - 1) : 0;
}

/* The sensitive-open check of an opened file: its name, then its parent directory's name. */
static __always_inline int dentry_sensitive(struct exec_scratch *s, struct dentry *d)
{
	if (name_matches(s, dentry_name(s, d)))
		return 1;
	return have_dir_keys && dir_matches(s, dentry_name(s, BPF_CORE_READ(d, d_parent)));
}

static __always_inline int pseudo_fs(struct super_block *sb)
{
	unsigned long magic = BPF_CORE_READ(sb, s_magic);
	switch (magic) {
	case 0x9fa0:     /* proc */
	case 0x62656572: /* sysfs */
	case 0x27e0eb:   /* cgroup */
	case 0x63677270: /* cgroup2 */
	case 0xcafe4a11: /* bpf */
	case 0x74726163: /* tracefs */
	case 0x64626720: /* debugfs */
	case 0x73636673: /* securityfs */
	case 0x1cd1:     /* devpts */
	case 0x6165676c: /* pstore */
	case 0x62656570: /* configfs */
	case 0xf97cff8c: /* selinuxfs */
		return 1;
	case TMPFS_MAGIC: {
		/* devtmpfs is a tmpfs: told apart by its type name */
		char name[9] = {};
		bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(sb, s_type, name));
		return name[0] == 'd' && name[1] == 'e' && name[2] == 'v' && name[3] == 't' && name[4] == 'm' && name[5] == 'p';
	}
	}
	return 0;
}

/* The file behind descriptor fd of the current task, or NULL. */
static __always_inline struct file *file_of_fd(struct task_struct *task, long fd)
{
	if (fd < 0)
		return 0;
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	if ((unsigned long)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = 0;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

/* The directory a relative name is looked up from: dirfd, or the cwd for AT_FDCWD. */
static __always_inline int dir_of(struct task_struct *task, long dfd, struct dentry **d, struct vfsmount **m)
{
	if ((int)dfd == AT_FDCWD) {
		struct fs_struct *fs = BPF_CORE_READ(task, fs);
		*d = BPF_CORE_READ(fs, pwd.dentry);
		*m = BPF_CORE_READ(fs, pwd.mnt);
		return 0;
	}
	struct file *f = file_of_fd(task, dfd);
	if (!f)
		return -1;
	*d = BPF_CORE_READ(f, f_path.dentry);
	*m = BPF_CORE_READ(f, f_path.mnt);
	return 0;
}

/* The access class of open flags: 0 read, 1 write, 2 read-write (as O_ACCMODE). */
static __always_inline __u32 access_class(__u32 flags)
{
	__u32 acc = flags & O_ACCMODE;
	return acc > 2 ? 2 : acc;
}

/* True the first time (process, file, class) is seen (then remembered). */
static __always_inline int first_open(struct vg_proc *p, __u64 ino, __u32 dev, __u32 class)
{
	struct open_seen_key k = { .start_ns = p->start_boot_ns, .ino = ino, .dev = dev, .tgid_class = p->pid << 2 | class };
	if (bpf_map_lookup_elem(&open_seen, &k)) {
		count(open_deduped_per_cpu);
		return 0;
	}
	__u8 one = 1;
	bpf_map_update_elem(&open_seen, &k, &one, BPF_ANY);
	return 1;
}

static __always_inline int own_pid(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	return tgid == own_pid_a || tgid == own_pid_b;
}

static __always_inline void begin_file(struct exec_scratch *s, struct task_struct *task, __u8 action, long ret)
{
	struct vg_file *f = file_block(s);
	fill_proc(&s->proc, task);
	__builtin_memset(f, 0, sizeof(*f));
	f->action = action;
	f->result = (__s32)ret;
}

/* Inode facts of an opened or walked file. */
static __always_inline void stat_inode(struct vg_file *f, struct inode *inode)
{
	f->ino = BPF_CORE_READ(inode, i_ino);
	f->size = BPF_CORE_READ(inode, i_size);
	f->mode = BPF_CORE_READ(inode, i_mode);
	f->uid = BPF_CORE_READ(inode, i_uid.val);
	f->gid = BPF_CORE_READ(inode, i_gid.val);
	f->flags |= VG_FILE_STAT;
}

/* Segment offsets, in exec-data coordinates, kept within bounds the verifier can see. */
static __always_inline __u32 seg_at(__u32 used)
{
	return (FILE_DATA + used) & 0x7fff;
}

/* Walks (dentry, mnt) into the next segment; returns its length, flags a cut walk, -1 when excluded. */
static __always_inline long walk_segment(struct exec_scratch *s, struct task_struct *task, struct dentry *d,
					 struct vfsmount *m, __u32 used, __u16 trunc_flag)
{
	int trunc = 0, excluded = 0;
	__u32 len = read_path_checked(task, d, m, seg_at(used), &trunc, have_excludes ? &excluded : 0);
	if (excluded)
		return -1;
	if (trunc)
		file_block(s)->flags |= trunc_flag;
	return len & 0x1fff;
}

/* Copies a user string (a path as the caller wrote it) into the next segment; returns its length without NUL. */
static __always_inline __u32 user_segment(struct exec_scratch *s, const char *name, __u32 used)
{
	long n = bpf_probe_read_user_str(s->data + seg_at(used), VG_NAME_MAX, name);
	if (n <= 0) {
		file_block(s)->flags |= VG_FILE_NAME_FAULT;
		return 0;
	}
	return ((__u32)n - 1) & (VG_NAME_MAX - 1);
}

/* A caller's name relative to (dfd): the directory walked (none for an absolute name), then the name. */
static __always_inline long dir_and_name(struct exec_scratch *s, struct task_struct *task, long dfd, const char *name,
					 __u32 used, __u16 *dir_len, __u16 *name_len, __u16 trunc_flag)
{
	char first = 0;
	bpf_probe_read_user(&first, 1, name);
	__u32 dl = 0;
	if (first != '/') {
		struct dentry *d;
		struct vfsmount *m;
		if (dir_of(task, dfd, &d, &m) != 0)
			return -1;
		if (pseudo_fs(BPF_CORE_READ(d, d_sb)))
			return -1;
		long w = walk_segment(s, task, d, m, used, trunc_flag);
		if (w < 0)
			return -1;
		dl = (__u32)w;
	}
	__u32 nl = user_segment(s, name, used + dl);
	*dir_len = dl;
	*name_len = nl;
	return dl + nl;
}

static __always_inline void submit_file(struct exec_scratch *s, __u32 data_len)
{
	__u32 size = VG_FILE_FIXED + (data_len & 0xffff);
	fill_hdr(&s->hdr, VG_KIND_FILE, size);
	if (size > sizeof(*s))
		return;
	if (ring_output(s, size) != 0)
		count(file_lost_per_cpu);
}

static __always_inline struct exec_scratch *file_scratch(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return bpf_map_lookup_elem(&scratch, &cpu);
}

#endif
