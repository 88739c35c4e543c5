/*
 * efi/ucs2.h: UTF-8 text from kexshim.conf to the firmware's UCS-2 strings
 * (file names for EFI_FILE_PROTOCOL.Open(), the kernel's LoadOptions).
 * Boot services only: allocates from pool.
 */
#ifndef KEXSHIM_EFI_UCS2_H
#define KEXSHIM_EFI_UCS2_H

#include <efi.h>

/*
 * ucs2_from_utf8() - a NUL-terminated pool copy of @s in UCS-2.
 * @s: NUL-terminated UTF-8; shimconf_parse() has already refused malformed
 *	sequences and code points beyond U+FFFF, anything left is U+FFFD.
 * @bytes: if not NULL, the size of the result in bytes, incl. the NUL.
 *
 * Return: the string (FreePool() it), or NULL when pool memory ran out.
 */
CHAR16 *ucs2_from_utf8(const char *s, UINTN *bytes);

#endif /* KEXSHIM_EFI_UCS2_H */
