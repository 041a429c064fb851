/* Buffered, blocking frame output on a file descriptor (the helper's stdout). */
#ifndef VIGIL_FRAME_OUT_H
#define VIGIL_FRAME_OUT_H
#include <stddef.h>
#include <linux/types.h>

struct frame_out_stats {
	__u64 frames;
	__u64 bytes;
	__u64 write_ns; /* time spent inside write(2), cumulative */
};

/* Appends one frame (header + payload). Returns 0, or -errno when the reader went away. */
int frame_out_put(__u16 kind, const void *payload, __u32 length);
/* Writes everything buffered. Returns 0, or -errno. */
int frame_out_flush(void);
const struct frame_out_stats *frame_out_stats(void);
/* Called when a signal interrupts a blocked write (the helper reports its stop before the output drains). */
void frame_out_on_interrupt(void (*fn)(void));

#endif
