/* kexshim: the entry sources of one file system (see scan.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/bls.h"
#include "config/scan.h"
#include "disk/part.h"
#include "lib/error.h"
#include "lib/warn.h"

/* Broken entry: its ID from the file name and the reason.  Return: 0 or
 * -ENOMEM. */
static int add_broken(struct entry_list *out, enum entry_source src,
		      const char *file, const char *suffix, struct part *p)
{
	struct boot_entry *e = entry_add(out, src);
	int left, done;

	if (!e)
		return -ENOMEM;
	e->part = p;
	if (bls_entry_id(file, suffix, &e->id, &left, &done) ||
	    entry_set(&e->config, file, (size_t)-1) ||
	    entry_set(&e->error, kx_last_error(), (size_t)-1))
		return -ENOMEM;
	e->tries_left = left;
	e->tries_done = done;
	return 0;
}

static int check_arch(struct boot_entry *e, const char *bls_arch)
{
	if (!bls_arch || !e->architecture ||
	    !strcasecmp(e->architecture, bls_arch))
		return 0;
	kx_fail(EINVAL, "entries: %s: for architecture '%s', this is '%s'",
		e->config, e->architecture, bls_arch);
	return entry_set(&e->error, kx_last_error(), (size_t)-1);
}

/* The .conf files in DIR on p as Type #1 entries. */
static int scan_bls(struct part *p, const char *dir, const char *bls_arch,
		    struct entry_list *out, struct warnings *w)
{
	char rel[512], name[1024], *buf;
	struct dirent *d;
	size_t len;
	DIR *dh;
	int rc = 0;

	dh = part_opendir(p, dir);
	if (!dh) {
		if (errno != ENOENT && errno != ENOTDIR)
			warn_add(w, "entries: %s%s: %s", p->mnt, dir,
				 strerror(errno));
		return 0;
	}
	while (!rc && (d = readdir(dh))) {
		size_t nl = strlen(d->d_name);
		struct boot_entry *e;

		/* Hidden files are editor and installer leftovers. */
		if (d->d_name[0] == '.' || nl <= 5 ||
		    strcasecmp(d->d_name + nl - 5, ".conf"))
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, d->d_name);
		snprintf(name, sizeof(name), "%s%s", p->mnt, rel);
		if (part_read(p, "entries", rel, BLS_MAX_FILE, &buf, &len)) {
			rc = add_broken(out, ENTRY_BLS, name, ".conf", p);
			continue;
		}
		e = entry_add(out, ENTRY_BLS);
		if (!e) {
			free(buf);
			return -ENOMEM;
		}
		if (bls_parse_entry(name, buf, len, e)) {
			entry_drop_last(out);
			rc = add_broken(out, ENTRY_BLS, name, ".conf", p);
		} else {
			e->part = p;
			rc = check_arch(e, bls_arch);
		}
		free(buf);
	}
	closedir(dh);
	return rc;
}

int scan_part(struct part *p, const char *bls_arch, struct entry_list *out,
	      struct warnings *w)
{
	if (p->dirfd < 0)
		return 0;
	if (p->role == PART_ESP || p->role == PART_XBOOTLDR)
		return scan_bls(p, "/loader/entries", bls_arch, out, w);
	return scan_bls(p, "/boot/loader/entries", bls_arch, out, w);
}
