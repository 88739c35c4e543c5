/* kexshim: read db/dbx/MokListRT/MokListXRT (see sigdb.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/console.h"
#include "lib/error.h"
#include "secure/efivar.h"
#include "secure/sigdb.h"

int sigdb_add(struct sigdb *d, const char *name, const uint8_t *buf,
	      size_t len)
{
	uint8_t *copy;

	if (d->n == SIGDB_MAX)
		return kx_fail(E2BIG, "secure: more than %d signature lists",
			       SIGDB_MAX);
	copy = malloc(len ? len : 1);
	if (!copy)
		return kx_fail(ENOMEM, "secure: out of memory");
	memcpy(copy, buf, len);
	d->name[d->n] = name;
	d->buf[d->n] = copy;
	d->len[d->n++] = len;
	return 0;
}

/* One variable into d; mok: only when shim made it this boot. */
static int take(const char *root, const char *name, const char *guid,
		bool mok, struct sigdb *d)
{
	uint8_t *data;
	size_t len;
	uint32_t attrs;
	int rc = efivar_read(root, name, guid, &data, &len, &attrs);

	if (rc == -ENOENT)
		return 0;
	if (rc)
		return rc;
	if (mok && (attrs & EFI_VARIABLE_NON_VOLATILE)) {
		con_warn("secure: %s is non-volatile (attributes 0x%x): not "
			 "shim's, not used", name, attrs);
		free(data);
		return 0;
	}
	rc = sigdb_add(d, name, data, len);
	free(data);
	return rc;
}

int sigdb_read(const char *root, struct sigdb *allow, struct sigdb *deny)
{
	int rc;

	memset(allow, 0, sizeof(*allow));
	memset(deny, 0, sizeof(*deny));
	rc = take(root, "db", EFI_IMAGE_SECURITY_DATABASE_GUID, false, allow);
	if (!rc)
		rc = take(root, "MokListRT", SHIM_LOCK_GUID, true, allow);
	if (!rc)
		rc = take(root, "dbx", EFI_IMAGE_SECURITY_DATABASE_GUID, false, deny);
	if (!rc)
		rc = take(root, "MokListXRT", SHIM_LOCK_GUID, true, deny);
	if (rc) {
		sigdb_free(allow);
		sigdb_free(deny);
	}
	return rc;
}

void sigdb_free(struct sigdb *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->buf[i]);
	memset(d, 0, sizeof(*d));
}
