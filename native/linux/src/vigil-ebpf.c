/*
 * vigil-ebpf: loads the Vigil BPF program, attaches its tracepoints and streams fixed-layout frames
 * (vigil-record.h) on stdout until SIGTERM/SIGINT or stdin closes; then detaches everything.
 *
 *   vigil-ebpf [--ring-bytes N] [--drain-ms N] [--stats-ms N] [--files [--file-policy FILE]] [--ignore-stdin]
 *              [--verbose]
 *   --files        also attach the file program (file-policy.h: sensitive-open keys, excluded directories;
 *                  --file-policy - reads them from stdin, up to a line `end`)
 *   vigil-ebpf --probe      load + attach + detach; prints "ok <frame version>" and exits 0 when it works,
 *                           else prints the reason
 *
 * Once attached it drops every capability: the ring buffer and the lost counters are read through memory
 * mappings, and detaching only closes descriptors.
 *
 * On stop its programs submit nothing more, it writes on stderr `vigil-ebpf: stop: submitted=N lost=M` (every
 * record the kernel submitted to the ring buffer, and those it could not; again after detaching if they moved),
 * then drains the ring buffer: the agent counts what it never receives of those N as lost, also when it kills
 * the helper before the drain ends.
 *
 * Exit codes: 0 clean stop, 2 usage, 3 not permitted, 4 no BTF, 5 load failed, 6 attach failed, 7 output closed.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include "vigil-record.h"
#include "frame-out.h"
#include "privileges.h"
#include "tracefs.h"
#include "file-policy.h"
#include "vigil.skel.h"

/* Slots of the per-CPU counters (VG_MAX_CPUS in vg-maps.bpf.h). */
#define VG_MAX_CPUS_LOADER 1024

/* How far the drain interval backs off while the ring stays empty (x drain_ms). */
#define IDLE_DRAIN_FACTOR 5u

struct options {
	unsigned long long ring_bytes;
	unsigned drain_ms;
	unsigned stats_ms;
	int probe;
	int files;
	const char *file_policy;
	int ignore_stdin;
	int verbose;
};

static volatile sig_atomic_t stopping;
static int verbose;
static __u64 records;
static int output_error;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int usage(const char *msg)
{
	fprintf(stderr, "vigil-ebpf: %s\nusage: vigil-ebpf [--ring-bytes N] [--drain-ms N] [--stats-ms N] "
			"[--files [--file-policy FILE]] [--ignore-stdin] [--verbose] | --probe\n", msg);
	return 2;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	o->ring_bytes = 8ull << 20;
	o->drain_ms = 10;
	o->stats_ms = 1000;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--probe") == 0) o->probe = 1;
		else if (strcmp(a, "--ignore-stdin") == 0) o->ignore_stdin = 1;
		else if (strcmp(a, "--files") == 0) o->files = 1;
		else if (i + 1 < argc && strcmp(a, "--file-policy") == 0) o->file_policy = argv[++i];
		else if (strcmp(a, "--verbose") == 0) o->verbose = 1;
		else if (i + 1 < argc && strcmp(a, "--ring-bytes") == 0) o->ring_bytes = strtoull(argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp(a, "--drain-ms") == 0) o->drain_ms = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp(a, "--stats-ms") == 0) o->stats_ms = (unsigned)strtoul(argv[++i], NULL, 10);
		else return -1;
	}
	/* The ring buffer size must be a power of two and a multiple of the page size. */
	if (o->ring_bytes < 4096 || o->ring_bytes > (1ull << 30) || (o->ring_bytes & (o->ring_bytes - 1)) != 0)
		return -2;
	if (o->drain_ms < 1 || o->drain_ms > 1000 || o->stats_ms < 10)
		return -3;
	return 0;
}

static __u64 clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* CLOCK_REALTIME - CLOCK_BOOTTIME, taking the tightest of a few reads. */
static __s64 boot_to_epoch_ns(void)
{
	__s64 best = 0;
	__u64 best_span = ~0ull;
	for (int i = 0; i < 5; i++) {
		__u64 b0 = clock_ns(CLOCK_BOOTTIME);
		__u64 r = clock_ns(CLOCK_REALTIME);
		__u64 b1 = clock_ns(CLOCK_BOOTTIME);
		if (b1 - b0 < best_span) {
			best_span = b1 - b0;
			best = (__s64)(r - (b0 + (b1 - b0) / 2));
		}
	}
	return best;
}

static __u64 sum_per_cpu(const __u64 *per_cpu)
{
	__u64 sum = 0;
	for (int i = 0; i < VG_MAX_CPUS_LOADER; i++)
		sum += __atomic_load_n(&per_cpu[i], __ATOMIC_RELAXED);
	return sum;
}

static struct vigil_bpf *attached;
static int stop_reported;
static __u64 reported_submitted, reported_lost;

/* The stop report on stderr, which the agent reads apart from the (possibly backed up) frame stream. */
static void report_counters(void)
{
	reported_submitted = sum_per_cpu(attached->bss->submitted_per_cpu);
	reported_lost = sum_per_cpu(attached->bss->lost_per_cpu);
	fprintf(stderr, "vigil-ebpf: stop: submitted=%llu lost=%llu\n", (unsigned long long)reported_submitted,
		(unsigned long long)reported_lost);
}

/*
 * Once stopping: tells the programs to submit nothing more (a flag in the mapped .bss: immediate, where
 * detaching waits for RCU grace periods), lets those already running finish, then reports the counters.
 * Called from the run loop, for each record drained, and whenever a write to stdout is interrupted by the
 * signal, so the report goes out before the drain.
 */
static void stop_and_report(void)
{
	if (!stopping || stop_reported || attached == NULL)
		return;
	stop_reported = 1;
	__atomic_store_n(&attached->bss->stop_requested, 1, __ATOMIC_SEQ_CST);
	struct timespec pause = { 0, 10 * 1000000L };
	nanosleep(&pause, NULL);
	report_counters();
}

/* Detached, no program can still be running: the counters are exact; reported again if they moved. */
static void detach_and_confirm(struct vigil_bpf *skel)
{
	vigil_bpf__detach(skel);
	if (stop_reported && (sum_per_cpu(skel->bss->submitted_per_cpu) != reported_submitted ||
			      sum_per_cpu(skel->bss->lost_per_cpu) != reported_lost))
		report_counters();
}

static int on_record(void *ctx, void *data, size_t size)
{
	(void)ctx;
	const struct vg_hdr *h = data;
	if (size < sizeof(*h))
		return 0;
	records++;
	if (stopping && !stop_reported)
		stop_and_report();
	int rc = frame_out_put(h->kind, data, (__u32)size);
	if (rc != 0) {
		output_error = rc;
		return rc; /* stops consuming */
	}
	return 0;
}

static int emit_stats(struct vigil_bpf *skel)
{
	struct vg_stats s = {
		sum_per_cpu(skel->bss->lost_per_cpu), records, frame_out_stats()->write_ns,
		sum_per_cpu(skel->bss->file_lost_per_cpu), sum_per_cpu(skel->bss->open_filtered_per_cpu),
		sum_per_cpu(skel->bss->open_deduped_per_cpu), sum_per_cpu(skel->bss->file_skipped_per_cpu),
	};
	return frame_out_put(VG_KIND_STATS, &s, sizeof(s));
}

/* Loads the file program (raw_tp/sys_exit, vg-file-progs.bpf.h) only when asked. */
static int select_file_programs(struct vigil_bpf *skel, int files)
{
	bpf_program__set_autoload(skel->progs.vg_sys_exit, files != 0);
	return files != 0;
}

static int fill_file_maps(struct vigil_bpf *skel, const struct file_policy *fp)
{
	__u8 one = 1;
	for (unsigned i = 0; i < fp->nkeys; i++)
		if (bpf_map__update_elem(skel->maps.file_keys, &fp->keys[i], sizeof(__u64), &one, 1, BPF_ANY) != 0)
			return -errno;
	for (unsigned i = 0; i < fp->nexcludes; i++) {
		struct file_policy_exclude e = fp->excludes[i];
		if (bpf_map__update_elem(skel->maps.excluded_dirs, &e, sizeof(e), &one, 1, BPF_ANY) != 0)
			return -errno;
	}
	return 0;
}

static struct file_policy policy;
static __u32 features;

static int open_and_attach(const struct options *o, struct vigil_bpf **out)
{
	if (geteuid() != 0) {
		fprintf(stderr, "vigil-ebpf: not root (euid %u): loading BPF programs needs CAP_BPF and CAP_PERFMON\n",
			geteuid());
		return 3;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		fprintf(stderr, "vigil-ebpf: no kernel BTF (/sys/kernel/btf/vmlinux): CO-RE cannot relocate\n");
		return 4;
	}
	if (o->file_policy) {
		char err[512];
		if (file_policy_read(o->file_policy, &policy, err, sizeof(err)) != 0) {
			fprintf(stderr, "vigil-ebpf: file policy: %s\n", err);
			return 2;
		}
	}
	int rc = tracefs_ensure();
	if (rc != 0) {
		fprintf(stderr, "vigil-ebpf: tracefs not available and cannot be mounted: %s\n", strerror(-rc));
		return 6;
	}
	struct vigil_bpf *skel = vigil_bpf__open();
	if (!skel) {
		fprintf(stderr, "vigil-ebpf: cannot open BPF object: %s\n", strerror(errno));
		return 5;
	}
	long hz = sysconf(_SC_CLK_TCK);
	skel->rodata->tick_ns = hz > 0 ? 1000000000ull / (unsigned long long)hz : 10000000ull;
	bpf_map__set_max_entries(skel->maps.events, (__u32)o->ring_bytes);
	int ncpu = libbpf_num_possible_cpus();
	bpf_map__set_max_entries(skel->maps.scratch, ncpu > 0 ? (__u32)ncpu : 1);
	skel->rodata->own_pid_a = (__u32)getpid();
	skel->rodata->own_pid_b = (__u32)getppid();
	skel->rodata->prefix_lens = policy.prefix_lens;
	skel->rodata->have_dir_keys = (__u32)policy.dir_keys;
	skel->rodata->have_excludes = policy.nexcludes > 0;
	if (select_file_programs(skel, o->files) > 0)
		features |= VG_FEATURE_FILES;
	rc = vigil_bpf__load(skel);
	if (rc != 0) {
		fprintf(stderr, "vigil-ebpf: load failed: %s\n", strerror(-rc));
		vigil_bpf__destroy(skel);
		return 5;
	}
	rc = fill_file_maps(skel, &policy);
	if (rc != 0) {
		fprintf(stderr, "vigil-ebpf: file policy maps: %s\n", strerror(-rc));
		vigil_bpf__destroy(skel);
		return 5;
	}
	rc = vigil_bpf__attach(skel);
	if (rc != 0) {
		fprintf(stderr, "vigil-ebpf: attach failed: %s\n", strerror(-rc));
		vigil_bpf__destroy(skel);
		return 6;
	}
	*out = skel;
	return 0;
}

/* Returns nonzero when stdin reached end of file (the agent went away). */
static int stdin_closed(short revents)
{
	if (revents & POLLIN) {
		char buf[256];
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
		return n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
	}
	return (revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static int run(const struct options *o, struct vigil_bpf *skel)
{
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_record, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "vigil-ebpf: ring buffer setup failed: %s\n", strerror(errno));
		return 5;
	}
	attached = skel;
	frame_out_on_interrupt(stop_and_report);
	int drc = drop_privileges();
	if (drc != 0)
		fprintf(stderr, "vigil-ebpf: could not drop privileges after attaching: %s\n", strerror(-drc));
	struct vg_hello hello = { boot_to_epoch_ns(), o->ring_bytes, o->drain_ms, (__u32)sysconf(_SC_CLK_TCK),
				  (__u32)getpid(), features };
	int rc = frame_out_put(VG_KIND_HELLO, &hello, sizeof(hello));
	if (rc == 0)
		rc = frame_out_flush();
	__u64 next_stats = clock_ns(CLOCK_MONOTONIC) + (__u64)o->stats_ms * 1000000ull;
	/* Drain every drain_ms while records flow; when a drain finds nothing, wait twice as long, up to
	 * IDLE_DRAIN_FACTOR x drain_ms, so an idle host costs a few wake-ups a second. The agent's reorder hold
	 * (250 ms) absorbs the extra delivery delay of the first record after a quiet spell. */
	unsigned wait_ms = o->drain_ms;
	while (rc == 0 && !stopping) {
		struct pollfd pfd = { o->ignore_stdin ? -1 : STDIN_FILENO, POLLIN, 0 };
		int n = poll(&pfd, 1, (int)wait_ms);
		if (n > 0 && stdin_closed(pfd.revents))
			stopping = 1;
		if (stopping)
			break;
		int got = ring_buffer__consume(rb);
		if (got > 0)
			wait_ms = o->drain_ms;
		else if (wait_ms < o->drain_ms * IDLE_DRAIN_FACTOR)
			wait_ms = wait_ms * 2 < o->drain_ms * IDLE_DRAIN_FACTOR ? wait_ms * 2 : o->drain_ms * IDLE_DRAIN_FACTOR;
		if (output_error != 0)
			break;
		__u64 now = clock_ns(CLOCK_MONOTONIC);
		if (now >= next_stats) {
			next_stats = now + (__u64)o->stats_ms * 1000000ull;
			rc = emit_stats(skel);
		}
		if (rc == 0)
			rc = frame_out_flush();
	}
	/* Final drain, the programs stopped first, so nothing submitted before the stop is lost or left uncounted. */
	stop_and_report();
	detach_and_confirm(skel);
	if (rc == 0 && output_error == 0) {
		ring_buffer__consume(rb);
		if (emit_stats(skel) == 0)
			frame_out_flush();
	}
	ring_buffer__free(rb);
	return (rc != 0 || output_error != 0) ? 7 : 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	int prc = parse_options(argc, argv, &o);
	if (prc == -1)
		return usage("unknown option");
	if (prc == -2)
		return usage("--ring-bytes must be a power of two between 4096 and 1 GiB");
	if (prc == -3)
		return usage("--drain-ms must be 1..1000 and --stats-ms at least 10");
	verbose = o.verbose;
	libbpf_set_print(print_libbpf);

	struct sigaction sa = { 0 };
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct vigil_bpf *skel = NULL;
	int rc = open_and_attach(&o, &skel);
	if (rc != 0)
		return rc;
	if (o.probe) {
		vigil_bpf__destroy(skel);
		printf("ok %d\n", VG_FRAME_VERSION);
		return 0;
	}
	rc = run(&o, skel);
	vigil_bpf__destroy(skel);
	return rc;
}
