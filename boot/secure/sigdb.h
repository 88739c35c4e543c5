/* kexshim: the signature databases a UKI is checked against, as the
 * firmware (and shim) left them in efivarfs:
 *   allow: db, and MokListRT when shim made it this boot (volatile:
 *          BOOTSERVICE|RUNTIME, not NON_VOLATILE -- a non-volatile one
 *          could have been written by any OS earlier)
 *   deny:  dbx, and MokListXRT likewise
 * Each is EFI_SIGNATURE_LIST bytes (secure/siglist.h).  Runs in the shim;
 * tests build them by hand. */
#ifndef KEXSHIM_SECURE_SIGDB_H
#define KEXSHIM_SECURE_SIGDB_H

#include <stddef.h>
#include <stdint.h>

#define SIGDB_MAX 4

struct sigdb {
	size_t n;
	const char *name[SIGDB_MAX];   /* "db", "MokListRT" */
	uint8_t *buf[SIGDB_MAX];       /* malloc'ed */
	size_t len[SIGDB_MAX];
};

/* Read allow (db, MokListRT) and deny (dbx, MokListXRT) under root.
 * Variables that are absent are left out; a MOK list that is
 * non-volatile is left out with a warning.
 * Return: 0, or -errno (kx_fail) when one exists but cannot be read. */
int sigdb_read(const char *root, struct sigdb *allow, struct sigdb *deny);

/* Add a copy of buf as list name.  Return: 0 or -ENOMEM / -E2BIG. */
int sigdb_add(struct sigdb *d, const char *name, const uint8_t *buf,
	      size_t len);

void sigdb_free(struct sigdb *d);

#endif
