/* kexshim: read UEFI variables from efivarfs (see efivar.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/le.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "secure/efivar.h"

int efivar_read(const char *root, const char *name, const char *guid,
		uint8_t **data, size_t *len, uint32_t *attrs)
{
	char rel[256], path[4096];
	char *buf;
	size_t n;
	int rc;

	snprintf(rel, sizeof(rel), "%s/%s-%s", EFIVAR_DIR, name, guid);
	rc = root_path("secure", root, rel, path, sizeof(path));
	if (rc)
		return rc;
	if (access(path, F_OK))
		return -ENOENT;
	rc = read_file_whole("secure", path, EFIVAR_MAX, &buf, &n);
	if (rc)
		return rc;
	/* efivarfs: "the first 4 bytes of the output are the attributes". */
	if (n < 4) {
		free(buf);
		return kx_fail(EINVAL, "secure: %s: %zu bytes, no attributes",
			       path, n);
	}
	*attrs = get_le32(buf);
	memmove(buf, buf + 4, n - 4);
	*data = (uint8_t *)buf;
	*len = n - 4;
	return 0;
}

int efivar_bool(const char *root, const char *name, const char *guid)
{
	uint8_t *d;
	size_t n;
	uint32_t a;
	int v;

	if (efivar_read(root, name, guid, &d, &n, &a))
		return -1;
	v = n == 1 ? d[0] != 0 : -1;
	free(d);
	return v;
}
