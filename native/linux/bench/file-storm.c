/*
 * file-storm: the file-storm benchmark's driver (bench/file-storm.ts builds it on demand).
 *
 *   file-storm storm OPENS_PER_S CREATES_PER_S SECONDS DIR
 *       opens (read-only) and closes existing non-sensitive files DIR/plain-0..63 at OPENS_PER_S, and creates,
 *       writes one byte to and unlinks DIR/new-<n> at CREATES_PER_S, on an absolute 1 ms schedule; prints
 *       {"opens":O,"creates":C,"unlinks":U,"seconds":S}
 *   file-storm loop N FILE
 *       N x open(FILE, O_RDONLY) + close in a tight loop; prints {"ns_per_open_close":X} (CPU ns of this process)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int storm(double opens_rate, double creates_rate, double seconds, const char *dir)
{
	char path[4096];
	for (int i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "%s/plain-%d", dir, i);
		int fd = open(path, O_CREAT | O_WRONLY, 0644);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	long opens = 0, creates = 0, unlinks = 0;
	double t0 = now_s();
	for (long tick = 1;; tick++) {
		double t = tick / 1000.0;
		if (t > seconds)
			break;
		long want_opens = (long)(opens_rate * t), want_creates = (long)(creates_rate * t);
		for (; opens < want_opens; opens++) {
			snprintf(path, sizeof(path), "%s/plain-%ld", dir, opens & 63);
			int fd = open(path, O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
		for (; creates < want_creates; creates++) {
			snprintf(path, sizeof(path), "%s/new-%ld", dir, creates);
			int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0600);
			if (fd < 0)
				continue;
			if (write(fd, "x", 1) < 0)
				perror("write");
			close(fd);
			if (unlink(path) == 0)
				unlinks++;
		}
		double wait = t0 + t - now_s();
		if (wait > 0) {
			struct timespec ts = { 0, (long)(wait * 1e9) };
			nanosleep(&ts, NULL);
		}
	}
	printf("{\"opens\":%ld,\"creates\":%ld,\"unlinks\":%ld,\"seconds\":%.3f}\n", opens, creates, unlinks, now_s() - t0);
	return 0;
}

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time, not wall time: BPF programs run in the caller's syscall and count as its system time, while the
 * time other tasks hold the core (a loaded host) does not. */
static int loop(long n, const char *file)
{
	double t0 = cpu_s();
	for (long i = 0; i < n; i++) {
		int fd = open(file, O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	printf("{\"ns_per_open_close\":%.1f}\n", (cpu_s() - t0) * 1e9 / (double)n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "storm") == 0)
		return storm(atof(argv[2]), atof(argv[3]), atof(argv[4]), argv[5]);
	if (argc == 4 && strcmp(argv[1], "loop") == 0)
		return loop(atol(argv[2]), argv[3]);
	fprintf(stderr, "usage: file-storm storm OPENS_PER_S CREATES_PER_S SECONDS DIR | file-storm loop N FILE\n");
	return 2;
}
