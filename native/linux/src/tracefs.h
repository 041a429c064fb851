/* Syscall tracepoints are attached by id, read from tracefs: make sure it is mounted. */
#ifndef VIGIL_TRACEFS_H
#define VIGIL_TRACEFS_H
/* Returns 0 when tracepoint ids are readable (mounting tracefs at /sys/kernel/tracing if needed), else -errno. */
int tracefs_ensure(void);
#endif
