/*
 * efi/secureboot.h: what kexshim.efi does differently under UEFI Secure
 * Boot.  The firmware verifies kexshim.efi and, through LoadImage(), the
 * shim kernel; files read from the ESP are verified by nobody, so an initrd
 * named by kexshim.conf is served only when its SHA-256 is pinned in the
 * signed image's .pins section.  Boot services only.
 */
#ifndef KEXSHIM_EFI_SECUREBOOT_H
#define KEXSHIM_EFI_SECUREBOOT_H

#include <efi.h>

#include "bundle.h"
#include "fileio.h"

/*
 * secureboot_enabled() - is the firmware enforcing signatures?  UEFI 2.10
 * 3.3: the SecureBoot global variable is 1 then.  Read once and cached;
 * an absent or unreadable variable means off (firmware without Secure Boot).
 *
 * Return: TRUE when SecureBoot is 1.
 */
BOOLEAN secureboot_enabled(void);

/*
 * secureboot_check_initrds() - under Secure Boot, every one of the @n
 * kexshim.conf initrds must have its SHA-256 pinned in @b's .pins.
 * @paths: their names, for the messages; @data, @parts: their bytes
 *	(file_load_all()'s buffer and places).
 *
 * Return: EFI_SUCCESS (also when Secure Boot is off), or
 * EFI_SECURITY_VIOLATION after one line naming the file and its digest.
 */
EFI_STATUS secureboot_check_initrds(const struct bundle *b,
				    const char *const *paths, UINTN n,
				    const UINT8 *data,
				    const struct file_part *parts);

#endif /* KEXSHIM_EFI_SECUREBOOT_H */
