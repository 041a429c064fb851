/* The file-telemetry policy the agent hands the helper (--file-policy FILE): sensitive-open keys, exclusions. */
#ifndef VIGIL_FILE_POLICY_H
#define VIGIL_FILE_POLICY_H
#include <linux/types.h>

#define FILE_POLICY_MAX_KEYS 4096
#define FILE_POLICY_MAX_EXCLUDES 256

struct file_policy_exclude {
	__u64 ino;
	__u32 dev; /* the kernel's dev_t encoding (major << 20 | minor), as super_block.s_dev */
	__u32 pad;
};

struct file_policy {
	__u64 keys[FILE_POLICY_MAX_KEYS];
	unsigned nkeys;
	__u64 prefix_lens; /* bit n: a prefix key of n bytes */
	int dir_keys;
	struct file_policy_exclude excludes[FILE_POLICY_MAX_EXCLUDES];
	unsigned nexcludes;
};

/*
 * Reads a policy file: one entry a line, `#` comments;
 *   name HEX | extension HEX | dir HEX | prefix LEN HEX   a key (FNV-1a 64, src/sensitive-file-policy.ts)
 *   exclude PATH                                         a directory whose subtree is not reported
 * PATH `-` reads stdin up to a line `end` (the agent writes the policy there: no file to clean up).
 * Returns 0, or -1 with a message in err (line number and reason). An exclude that does not exist is skipped
 * with a warning on stderr.
 */
int file_policy_read(const char *path, struct file_policy *p, char *err, unsigned errlen);
#endif
