/*
 * efi/devpath.c: the loader's own partition GUID from its device path.
 *
 * Runs in boot services.  The firmware's partition driver gives each
 * partition a device path ending in a Media/HardDrive node (UEFI 2.10
 * 10.3.5.1); for GPT it carries MBRType 2 and SignatureType 2, and the
 * Signature is the partition's unique GUID, the one Linux calls PARTUUID.
 * Nodes are byte-packed and may sit at any address, so fields are read
 * by offset, never through gnu-efi's (padded, aligned) struct.
 */
#include <efi.h>
#include <efilib.h>

#include "devpath.h"

/* UEFI 2.10 table 10.49, Hard Drive Media Device Path */
#define HD_NODE_LEN		42
#define HD_OFF_SIGNATURE	24
#define HD_OFF_MBR_TYPE		40
#define HD_OFF_SIG_TYPE		41

BOOLEAN devpath_partuuid(EFI_HANDLE device, UINT8 guid[16])
{
	EFI_DEVICE_PATH *node = DevicePathFromHandle(device);
	BOOLEAN found = FALSE;

	if (!node)
		return FALSE;
	for (;;) {
		const UINT8 *raw = (const UINT8 *)node;
		UINTN len = DevicePathNodeLength(node);

		if (IsDevicePathEnd(node) || len < sizeof(EFI_DEVICE_PATH))
			break;
		/* the last match is the partition the file system sits on */
		if (DevicePathType(node) == MEDIA_DEVICE_PATH &&
		    DevicePathSubType(node) == MEDIA_HARDDRIVE_DP &&
		    len >= HD_NODE_LEN &&
		    raw[HD_OFF_MBR_TYPE] == MBR_TYPE_EFI_PARTITION_TABLE_HEADER &&
		    raw[HD_OFF_SIG_TYPE] == SIGNATURE_TYPE_GUID) {
			CopyMem(guid, raw + HD_OFF_SIGNATURE, 16);
			found = TRUE;
		}
		node = NextDevicePathNode(node);
	}
	return found;
}
