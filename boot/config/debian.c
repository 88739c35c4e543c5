/* kexshim: the Debian /vmlinuz fallback (see debian.h).  Pure.  Runs once
 * per root file system without a boot loader config. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/debian.h"
#include "config/entry.h"
#include "config/osrel.h"
#include "lib/error.h"
#include "lib/warn.h"

enum { OS_PRETTY_NAME, OS_VERSION_ID, OS_ID, NR_OS };
static const char *const os_keys[NR_OS] = {
	[OS_PRETTY_NAME] = "PRETTY_NAME", [OS_VERSION_ID] = "VERSION_ID",
	[OS_ID] = "ID",
};

/* Return: true for what blkid prints as a PARTUUID: a GPT GUID or an MBR
 * "disk signature-partition" pair, hex digits and dashes. */
static bool uuid_ok(const char *u)
{
	size_t n = strlen(u);

	return n >= 4 && n <= 36 &&
	       strspn(u, "0123456789abcdefABCDEF-") == n;
}

static int fill(const char *name, const struct debian_root *root,
		struct boot_entry *e, char **os)
{
	const char *uuid = root->part_uuid;
	char *s;
	int rc;

	if (asprintf(&s, "%s (/vmlinuz)", os[OS_PRETTY_NAME] ?
		     os[OS_PRETTY_NAME] : "Debian") < 0)
		return -ENOMEM;
	e->title = s;
	if (uuid && uuid_ok(uuid))
		rc = asprintf(&s, "debian-%s", uuid) < 0 ? -ENOMEM : 0;
	else
		rc = (s = strdup("debian")) ? 0 : -ENOMEM;
	if (rc)
		return rc;
	e->id = s;
	if (entry_set(&e->config, name, (size_t)-1) ||
	    entry_set(&e->kernel.path, "/vmlinuz", (size_t)-1) ||
	    (root->has_initrd && entry_add_initrd(e, "/initrd.img", (size_t)-1)) ||
	    (os[OS_VERSION_ID] &&
	     entry_set(&e->version, os[OS_VERSION_ID], (size_t)-1)) ||
	    (os[OS_ID] && entry_set(&e->sort_key, os[OS_ID], (size_t)-1)))
		return -ENOMEM;
	if (!uuid)
		return entry_fail(e, "debian: %s: no PARTUUID to write root= "
				  "with", name);
	if (!uuid_ok(uuid))
		return entry_fail(e, "debian: %s: PARTUUID '%.40s' is not hex "
				  "digits and dashes", name, uuid);
	if (asprintf(&s, "root=PARTUUID=%s ro", uuid) < 0)
		return -ENOMEM;
	e->options = s;
	return 0;
}

int debian_entry(const char *name, const struct debian_root *root,
		 struct entry_list *out, struct warnings *w)
{
	char *os[NR_OS] = { NULL };
	struct boot_entry *e;
	char who[600];
	int rc = 0;

	if (!root->has_vmlinuz)
		return kx_fail(ENOENT, "debian: %s: no /vmlinuz", name);
	snprintf(who, sizeof(who), "%s:/etc/os-release", name);
	if (root->os_release)
		rc = osrel_parse("debian", who, root->os_release,
				 root->os_release_len, os_keys, os, NR_OS, w);
	if (rc == -EFBIG) {
		/* A title is not worth failing for. */
		warn_add(w, "%s; not read", kx_last_error());
		rc = 0;
	}
	e = rc ? NULL : entry_add(out, ENTRY_DEBIAN);
	if (e && fill(name, root, e, os)) {
		entry_drop_last(out);
		e = NULL;
	}
	osrel_free(os, NR_OS);
	return e ? 0 : kx_fail(ENOMEM, "debian: %s: out of memory", name);
}
