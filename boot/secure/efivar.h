/* kexshim: UEFI variables as efivarfs shows them (4 bytes of attributes,
 * then the data), read under a root ("" = the live system, a fake tree in
 * tests).  Read-only: the secure layer only looks at SecureBoot, SetupMode
 * and the signature databases.  Runs in the shim and the CLI. */
#ifndef KEXSHIM_SECURE_EFIVAR_H
#define KEXSHIM_SECURE_EFIVAR_H

#include <stddef.h>
#include <stdint.h>

#define EFIVAR_DIR "/sys/firmware/efi/efivars"

/* Vendor GUIDs (UEFI 2.10 3.3 and 32.6.1, shim's SHIM_LOCK_GUID). */
#define EFI_GLOBAL_VARIABLE_GUID "8be4df61-93ca-11d2-aa0d-00e098032b8c"
#define EFI_IMAGE_SECURITY_DATABASE_GUID "d719b2cb-3d3a-4596-a3bc-dad00e67656f"
#define SHIM_LOCK_GUID "605dab50-e046-4300-abb6-3dd810dd8b23"

/* Attributes (UEFI 2.10 8.2). */
#define EFI_VARIABLE_NON_VOLATILE 0x1u
#define EFI_VARIABLE_BOOTSERVICE_ACCESS 0x2u
#define EFI_VARIABLE_RUNTIME_ACCESS 0x4u
#define EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS 0x20u

/* A signature database holds a few hundred entries; dbx on a machine with
 * every Microsoft revocation is ~25 KiB. */
#define EFIVAR_MAX (1u << 20)

/* Read variable NAME-GUID.  Return: 0 with *data (malloc'ed, the caller
 * frees; never NULL), *len and *attrs; -ENOENT when it does not exist (no
 * message); other -errno with kx_fail("secure: PATH: reason"). */
int efivar_read(const char *root, const char *name, const char *guid,
		uint8_t **data, size_t *len, uint32_t *attrs);

/* A one-byte boolean variable (SecureBoot, SetupMode).
 * Return: 0 or 1, -1 when absent or not one byte (no message). */
int efivar_bool(const char *root, const char *name, const char *guid);

#endif
