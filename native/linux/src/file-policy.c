#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "file-policy.h"

static int parse_hex(const char *s, __u64 *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 16);
	if (errno != 0 || end == s || (*end != '\0' && *end != '\n'))
		return -1;
	*out = v;
	return 0;
}

static int add_key(struct file_policy *p, __u64 key)
{
	if (p->nkeys >= FILE_POLICY_MAX_KEYS)
		return -1;
	p->keys[p->nkeys++] = key;
	return 0;
}

int file_policy_read(const char *path, struct file_policy *p, char *err, unsigned errlen)
{
	int from_stdin = strcmp(path, "-") == 0;
	FILE *f = from_stdin ? stdin : fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	memset(p, 0, sizeof(*p));
	char line[4200];
	unsigned n = 0;
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		n++;
		line[strcspn(line, "\n")] = '\0';
		if (from_stdin && strcmp(line, "end") == 0)
			break;
		if (line[0] == '\0' || line[0] == '#')
			continue;
		char *arg = strchr(line, ' ');
		if (!arg) {
			snprintf(err, errlen, "%s:%u: expected `KIND VALUE`", path, n);
			rc = -1;
			break;
		}
		*arg++ = '\0';
		__u64 key;
		if (strcmp(line, "name") == 0 || strcmp(line, "extension") == 0 || strcmp(line, "dir") == 0) {
			if (parse_hex(arg, &key) != 0 || add_key(p, key) != 0) {
				snprintf(err, errlen, "%s:%u: bad or too many keys (at most %d)", path, n, FILE_POLICY_MAX_KEYS);
				rc = -1;
			}
			if (line[0] == 'd')
				p->dir_keys = 1;
		} else if (strcmp(line, "prefix") == 0) {
			char *hex = strchr(arg, ' ');
			unsigned long len = strtoul(arg, NULL, 10);
			if (!hex || len < 1 || len > 32 || parse_hex(hex + 1, &key) != 0 || add_key(p, key) != 0) {
				snprintf(err, errlen, "%s:%u: expected `prefix LEN(1..32) HEX`", path, n);
				rc = -1;
			} else {
				p->prefix_lens |= 1ull << len;
			}
		} else if (strcmp(line, "exclude") == 0) {
			struct stat st;
			if (stat(arg, &st) != 0) {
				fprintf(stderr, "vigil-ebpf: excluded path %s skipped: %s\n", arg, strerror(errno));
				continue;
			}
			if (p->nexcludes >= FILE_POLICY_MAX_EXCLUDES) {
				snprintf(err, errlen, "%s:%u: more than %d excluded paths", path, n, FILE_POLICY_MAX_EXCLUDES);
				rc = -1;
				break;
			}
			struct file_policy_exclude *e = &p->excludes[p->nexcludes++];
			e->ino = st.st_ino;
			e->dev = (major(st.st_dev) << 20) | minor(st.st_dev);
		} else {
			snprintf(err, errlen, "%s:%u: unknown entry `%s`", path, n, line);
			rc = -1;
		}
	}
	if (!from_stdin)
		fclose(f);
	return rc;
}
