/* Buffered frame output: frames are appended to a bounded buffer and written when it fills or on flush. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "frame-out.h"
#include "vigil-record.h"

#define OUT_BUFFER_BYTES (1u << 20)

static unsigned char buffer[OUT_BUFFER_BYTES];
static size_t used;
static struct frame_out_stats stats;
static void (*on_interrupt)(void);

void frame_out_on_interrupt(void (*fn)(void))
{
	on_interrupt = fn;
}

static __u64 now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

static int write_all(const unsigned char *p, size_t n)
{
	__u64 t0 = now_ns();
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, p, n);
		/* A blocking write to a pipe returns early only when a signal interrupts it. */
		int err = w < 0 ? errno : 0;
		if ((err == EINTR || (w >= 0 && (size_t)w < n)) && on_interrupt)
			on_interrupt();
		if (w < 0) {
			if (err == EINTR)
				continue;
			return -err;
		}
		p += w;
		n -= (size_t)w;
		stats.bytes += (__u64)w;
	}
	stats.write_ns += now_ns() - t0;
	return 0;
}

int frame_out_flush(void)
{
	int rc = write_all(buffer, used);
	used = 0;
	return rc;
}

int frame_out_put(__u16 kind, const void *payload, __u32 length)
{
	struct vg_frame_header h = { VG_FRAME_MAGIC, VG_FRAME_VERSION, kind, length };
	size_t need = sizeof(h) + length;
	if (used + need > sizeof(buffer)) {
		int rc = frame_out_flush();
		if (rc != 0)
			return rc;
	}
	if (need > sizeof(buffer)) {
		int rc = write_all((const unsigned char *)&h, sizeof(h));
		return rc != 0 ? rc : write_all(payload, length);
	}
	memcpy(buffer + used, &h, sizeof(h));
	memcpy(buffer + used + sizeof(h), payload, length);
	used += need;
	stats.frames++;
	return 0;
}

const struct frame_out_stats *frame_out_stats(void)
{
	return &stats;
}
