/*
 * efi/devpath.h: which GPT partition kexshim.efi was started from, so the
 * shim kernel can mount that same ESP (kexshim.esp=PARTUUID=...).  Boot
 * services only.
 */
#ifndef KEXSHIM_EFI_DEVPATH_H
#define KEXSHIM_EFI_DEVPATH_H

#include <efi.h>

/*
 * devpath_partuuid() - the GPT partition GUID of @device's device path.
 * @guid: out, 16 bytes in the UEFI byte order (as on disk).
 *
 * Return: TRUE if the path holds a hard-drive node with a GPT signature;
 * FALSE for a whole-disk file system, an MBR partition or no device path.
 */
BOOLEAN devpath_partuuid(EFI_HANDLE device, UINT8 guid[16]);

#endif /* KEXSHIM_EFI_DEVPATH_H */
