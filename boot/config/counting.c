/* kexshim: boot counting (see counting.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config/bls.h"
#include "config/counting.h"
#include "disk/part.h"
#include "lib/console.h"
#include "lib/error.h"

int counting_before_boot(const struct boot_entry *e)
{
	struct part *p = e->part;
	const char *suffix = e->source == ENTRY_UKI ? ".efi" : ".conf";
	const char *file, *base;
	char dir[512], to[256];
	size_t mlen;
	int dfd, rc, err;

	if (e->tries_left <= 0 || !p || !e->config ||
	    (e->source != ENTRY_BLS && e->source != ENTRY_UKI))
		return 0;
	/* e->config is the file under p's mount point. */
	mlen = strlen(p->mnt);
	if (strncmp(e->config, p->mnt, mlen) || e->config[mlen] != '/')
		return kx_fail(EINVAL, "counting: %s is not on %s", e->config,
			       p->mnt);
	file = e->config + mlen;
	base = strrchr(file, '/') + 1;
	rc = bls_counted_name(base, suffix, to, sizeof(to));
	if (rc <= 0)
		return rc;
	snprintf(dir, sizeof(dir), "%.*s", (int)(base - file), file);
	rc = part_remount(p, true);
	if (rc)
		return rc;
	dfd = part_openat(p, dir, O_RDONLY | O_DIRECTORY);
	err = dfd < 0 ? -dfd : 0;
	if (!err && renameat(dfd, base, dfd, to))
		err = errno;
	/* FAT has no journal: the rename must be on the disk before the
	 * kexec, or a hang right after it would not count. */
	if (dfd >= 0) {
		if (!err)
			fsync(dfd);
		close(dfd);
	}
	sync();
	rc = part_remount(p, false);
	if (err)
		return kx_fail(err, "counting: %s%s -> %s: %s", p->mnt, file, to,
			       strerror(err));
	if (rc)
		con_warn("%s", kx_last_error());
	con_info("counting: %s: %s -> %s", e->id, base, to);
	return 1;
}
