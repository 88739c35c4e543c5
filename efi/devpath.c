/*
 * efi/devpath.c: the loader's own partition GUID from its device path.
 *
 * Runs in boot services.  The firmware's partition driver gives each
 * partition a device path ending in a Media/HardDrive node (UEFI 2.10
 * 10.3.5.1); for GPT it carries MBRType 2 and SignatureType 2, and the
 * Signature is the partition's unique GUID, the one Linux calls PARTUUID.
 * The nodes are read by devnodes.c, within the size the firmware's own
 * lengths give (DevicePathSize() walks them to the End node).
 */
#include <efi.h>
#include <efilib.h>

#include "devnodes.h"
#include "devpath.h"

BOOLEAN devpath_partuuid(EFI_HANDLE device, UINT8 guid[16])
{
	EFI_DEVICE_PATH *path = DevicePathFromHandle(device);

	return path && devnodes_partuuid((const UINT8 *)path,
					 DevicePathSize(path), guid);
}
