/*
 * exec-pacer: runs `/bin/true vigil-storm TOKEN N` at a steady rate for a while (the exec-storm benchmark's
 * driver). Spawns with posix_spawn on an absolute schedule (no drift), reaps children as it goes, and prints one
 * JSON line: {"rate":R,"seconds":S,"spawned":N,"failed":F,"achieved":A,"cpu_us_per_exec":C}, where C is the CPU
 * time of the pacer and its reaped children (spawn + exec + exit, kernel side included) per exec. It stops after RATE * SECONDS execs or
 * at the SECONDS deadline, whichever comes first (so a rate it cannot reach shows as achieved < rate).
 *
 *   exec-pacer RATE SECONDS TOKEN [PROGRAM]
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void reap(int block)
{
	while (waitpid(-1, NULL, block ? 0 : WNOHANG) > 0)
		;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: exec-pacer RATE SECONDS TOKEN [PROGRAM]\n");
		return 2;
	}
	double rate = atof(argv[1]);
	double seconds = atof(argv[2]);
	const char *token = argv[3];
	const char *program = argc > 4 ? argv[4] : "/bin/true";
	if (rate <= 0 || seconds <= 0) {
		fprintf(stderr, "exec-pacer: RATE and SECONDS must be positive\n");
		return 2;
	}
	long total = (long)(rate * seconds);
	long spawned = 0, failed = 0;
	double start = now_s();
	for (long i = 0; i < total; i++) {
		double due = start + (double)i / rate;
		if (now_s() > start + seconds)
			break;
		double wait = due - now_s();
		if (wait > 0) {
			struct timespec ts = { (time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9) };
			while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
				;
		}
		char n[32];
		snprintf(n, sizeof(n), "%ld", i);
		char *child_argv[] = { (char *)program, "vigil-storm", (char *)token, n, NULL };
		pid_t pid;
		if (posix_spawn(&pid, program, NULL, NULL, child_argv, environ) == 0)
			spawned++;
		else
			failed++;
		if ((i & 15) == 0)
			reap(0);
	}
	double elapsed = now_s() - start;
	reap(1);
	struct rusage self, children;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	double cpu_us = 0;
	struct timeval *tv[] = { &self.ru_utime, &self.ru_stime, &children.ru_utime, &children.ru_stime };
	for (int k = 0; k < 4; k++)
		cpu_us += (double)tv[k]->tv_sec * 1e6 + (double)tv[k]->tv_usec;
	printf("{\"rate\":%g,\"seconds\":%.3f,\"spawned\":%ld,\"failed\":%ld,\"achieved\":%.1f,\"cpu_us_per_exec\":%.2f}\n",
	       rate, elapsed, spawned, failed, elapsed > 0 ? (double)spawned / elapsed : 0.0,
	       spawned > 0 ? cpu_us / (double)spawned : 0.0);
	return failed == 0 ? 0 : 1;
}
