/*
 * efi/devnodes.h: reading a UEFI device path (UEFI 2.10 section 10) as
 * the bytes the firmware hands over, without gnu-efi: the loader's own
 * partition GUID and file path.  Pure, so the host fuzzes and tests it
 * (test/fuzz/fuzz_devpath.c); devpath.c and bli.c feed it the firmware's
 * paths.  Only <stdint.h>/<stddef.h>/<stdbool.h>.
 */
#ifndef KEXSHIM_EFI_DEVNODES_H
#define KEXSHIM_EFI_DEVNODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * devnodes_partuuid() - the GPT partition GUID of the path's last
 * Media/HardDrive node with MBRType 2 and SignatureType 2.
 * @path: the first node; nodes are byte-packed, at any alignment.
 * @size: bytes readable at @path: a node that does not fit ends the walk.
 * @guid: out, 16 bytes in the UEFI byte order (as on disk).
 *
 * Return: true when there is one; false for a whole-disk file system, an
 * MBR partition, a malformed path.
 */
bool devnodes_partuuid(const uint8_t *path, size_t size, uint8_t guid[16]);

/*
 * devnodes_file_path() - the Media/FilePath nodes' names, joined
 * ("\EFI\BOOT\BOOTX64.EFI"), NUL-terminated, each node's own NULs dropped.
 * @out: @max UCS-2 units, little-endian as in the path.
 *
 * Return: the units written before the NUL; 0 when there is no name, the
 * path is malformed or the name does not fit.
 */
size_t devnodes_file_path(const uint8_t *path, size_t size, uint16_t *out,
			  size_t max);

#endif /* KEXSHIM_EFI_DEVNODES_H */
