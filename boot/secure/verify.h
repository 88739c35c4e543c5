/* kexshim: a UKI's Authenticode signature against the firmware's
 * signature databases (db, MokListRT allow; dbx, MokListXRT revoke).
 * Under lockdown the kernel checks only the .linux it gets; this check
 * covers the rest of the UKI (.initrd, .cmdline, ...) before any of it is
 * used.  What it trusts: see secure/verify.c.  Runs in the shim. */
#ifndef KEXSHIM_SECURE_VERIFY_H
#define KEXSHIM_SECURE_VERIFY_H

#include <stddef.h>
#include <stdint.h>

struct sigdb;

/* Verify the PE image buf (a UKI, any EFI binary) against allow (db,
 * MokListRT) and deny (dbx, MokListXRT) by the rules of verify.c.
 * Return: 0 with how ("Authenticode signature by 'CN=...' verified
 * against db/MokListRT"), or -ENODATA (unsigned), -ENOKEY (no trusted
 * signer), -EKEYREJECTED (revoked, or changed after signing), -EBADMSG
 * (malformed), -ENOEXEC (not a PE) with kx_fail("secure: PATH: ..."). */
int verify_image(const char *path, const uint8_t *buf, size_t len,
		 const struct sigdb *allow, const struct sigdb *deny,
		 char *how, size_t how_size);

/* struct load_hooks' verify_uki: the databases of the live system (read
 * once).  Return: 0, or -EKEYREJECTED / -EPERM / -ENOEXEC with one line
 * "secure: PATH: reason". */
int verify_uki_hook(void *ctx, const char *path, const uint8_t *buf,
		    size_t len);

#endif
