/* kexshim x86_64: read small sysfs/proc files under l->req.root.  Runs in
 * arch_ops.load in the shim; host tests point root at a fake tree. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/error.h"
#include "load/load.h"
#include "lib/readfile.h"
#include "arch/x86_64/x86.h"

long x86_read_attr(struct load *l, const char *path, char *buf, size_t size)
{
	char full[4096];
	int ret;

	ret = load_path(l, path, full, sizeof(full));
	if (ret)
		return ret;
	return read_file_into("x86_64", full, buf, size);
}

int x86_read_u64(struct load *l, const char *path, uint64_t *out)
{
	char buf[64], *end;
	long n;

	n = x86_read_attr(l, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	errno = 0;
	/* Base 0: sysfs prints addresses as 0x%lx and counts as %u. */
	*out = strtoull(buf, &end, 0);
	while (*end == '\n' || *end == ' ')
		end++;
	if (errno || end == buf || *end || buf[0] == '-')
		return kx_fail(EINVAL, "x86_64: %s%s: not a number: \"%.*s\"",
			       l->req.root ? l->req.root : "", path,
			       (int)strcspn(buf, "\n"), buf);
	return 0;
}

int x86_exists(struct load *l, const char *path)
{
	char full[4096];
	struct stat st;

	if (load_path(l, path, full, sizeof(full)))
		return 0;
	return stat(full, &st) == 0;
}

int x86_find_key(const char *text, const char *key, uint64_t *out)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			char *end;

			errno = 0;
			*out = strtoull(p + klen + 1, &end, 0);
			if (!errno && end != p + klen + 1 &&
			    (*end == '\n' || !*end))
				return 0;
			return -EINVAL;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}
