/* From a file descriptor to its socket. */
#ifndef VG_SOCKET_BPF_H
#define VG_SOCKET_BPF_H

/* The socket behind descriptor `fd` of the current task, or NULL. */
static __always_inline struct socket *socket_of_fd(struct task_struct *task, __u32 fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	if (fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = 0;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	if (!file)
		return 0;
	return (struct socket *)BPF_CORE_READ(file, private_data);
}

static __always_inline __u8 protocol_of(struct socket *sock)
{
	short type = BPF_CORE_READ(sock, type);
	return type == SOCK_STREAM ? 6 : type == SOCK_DGRAM ? 17 : 0;
}

#endif
