#include <errno.h>
#include <sys/mount.h>
#include <unistd.h>
#include "tracefs.h"

#define TRACEFS "/sys/kernel/tracing"
#define DEBUGFS_TRACING "/sys/kernel/debug/tracing"

int tracefs_ensure(void)
{
	if (access(TRACEFS "/events/syscalls", F_OK) == 0 || access(DEBUGFS_TRACING "/events/syscalls", F_OK) == 0)
		return 0;
	/* Left mounted on exit: other tracers may share it, and it is the distribution default. */
	if (mount("nodev", TRACEFS, "tracefs", 0, NULL) != 0 && errno != EBUSY)
		return -errno;
	return access(TRACEFS "/events/syscalls", F_OK) == 0 ? 0 : -ENOENT;
}
