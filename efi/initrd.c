/*
 * efi/initrd.c: serve the initrd through EFI_LOAD_FILE2_PROTOCOL.
 *
 * Runs in boot services: installed before StartImage(), called back by the
 * kernel's EFI stub from inside StartImage(), removed if StartImage()
 * returns.  Written from the UEFI 2.10 spec (13.2, Load File 2 protocol;
 * 10.3.5.6, vendor-defined media device path) and the Linux commit that
 * introduced LINUX_EFI_INITRD_MEDIA_GUID ("efi/libstub: Add support for
 * loading the initrd from a device path").
 */
#include <efi.h>
#include <efilib.h>

#include "initrd.h"
#include "log.h"

/* UEFI 2.10 13.2: EFI_LOAD_FILE2_PROTOCOL_GUID (gnu-efi 3.0.15 lacks it) */
static EFI_GUID load_file2_guid = {
	0x4006c0c1, 0xfcb3, 0x403e,
	{ 0x99, 0x6d, 0x4a, 0x6c, 0x87, 0x24, 0xe0, 0x6d }
};

/* Linux include/linux/efi.h: LINUX_EFI_INITRD_MEDIA_GUID */
#define LINUX_EFI_INITRD_MEDIA_GUID \
	{ 0x5568e427, 0x68fc, 0x4f3d, \
	  { 0xac, 0x74, 0xca, 0x55, 0x52, 0x31, 0xcc, 0x68 } }

/* The whole device path of the handle: one vendor media node, then End. */
static struct {
	VENDOR_DEVICE_PATH vendor;
	EFI_DEVICE_PATH end;
} __attribute__((packed)) initrd_path = {
	.vendor = {
		.Header = {
			.Type = MEDIA_DEVICE_PATH,
			.SubType = MEDIA_VENDOR_DP,
			.Length = { sizeof(VENDOR_DEVICE_PATH), 0 },
		},
		.Guid = LINUX_EFI_INITRD_MEDIA_GUID,
	},
	.end = {
		.Type = END_DEVICE_PATH_TYPE,
		.SubType = END_ENTIRE_DEVICE_PATH_SUBTYPE,
		.Length = { sizeof(EFI_DEVICE_PATH), 0 },
	},
};

_Static_assert(sizeof(VENDOR_DEVICE_PATH) == 20, "vendor node is 4 + 16");
_Static_assert(sizeof(initrd_path) == 24, "vendor node + end node");

static BOOLEAN is_initrd_node(EFI_DEVICE_PATH *dp)
{
	return DevicePathNodeLength(dp) == sizeof(VENDOR_DEVICE_PATH) &&
	       CompareMem(dp, &initrd_path.vendor,
			  sizeof(VENDOR_DEVICE_PATH)) == 0;
}

/*
 * UEFI 2.10 13.2.2.  FilePath is "the device specific path of the file":
 * what is left after LocateDevicePath() matched our handle, i.e. the End
 * node, or, from callers that pass the full path, our vendor node.
 */
static EFI_STATUS EFIAPI initrd_load_file(EFI_LOAD_FILE_PROTOCOL *this,
					  EFI_DEVICE_PATH *file_path,
					  BOOLEAN boot_policy,
					  UINTN *buffer_size, VOID *buffer)
{
	struct initrd_provider *p = (struct initrd_provider *)this;

	if (!this || !buffer_size || !file_path)
		return EFI_INVALID_PARAMETER;
	/* "LoadFile2 ... BootPolicy: Should always be FALSE" */
	if (boot_policy)
		return EFI_UNSUPPORTED;
	if (!IsDevicePathEnd(file_path) && !is_initrd_node(file_path))
		return EFI_NOT_FOUND;
	if (!buffer || *buffer_size < p->size) {
		*buffer_size = p->size;
		return EFI_BUFFER_TOO_SMALL;
	}
	CopyMem(buffer, (VOID *)p->data, p->size);
	*buffer_size = p->size;
	return EFI_SUCCESS;
}

EFI_STATUS initrd_install(struct initrd_provider *p, const void *data,
			  UINTN size)
{
	EFI_STATUS st;

	p->lf2.LoadFile = initrd_load_file;
	p->data = data;
	p->size = size;
	p->handle = NULL;

	/*
	 * InstallMultipleProtocolInterfaces() refuses a device path that is
	 * already installed (UEFI 2.10 7.3.16) and says EFI_ALREADY_STARTED:
	 * then a loader before us serves an initrd and two would be ambiguous.
	 */
	st = BS->InstallMultipleProtocolInterfaces(&p->handle,
			&DevicePathProtocol, &initrd_path,
			&load_file2_guid, &p->lf2, NULL);
	if (EFI_ERROR(st)) {
		log_line(L"cannot install the initrd LoadFile2 protocol: %r",
			 st);
		p->handle = NULL;
	}
	return st;
}

void initrd_uninstall(struct initrd_provider *p)
{
	EFI_STATUS st;

	if (!p->handle)
		return;
	st = BS->UninstallMultipleProtocolInterfaces(p->handle,
			&DevicePathProtocol, &initrd_path,
			&load_file2_guid, &p->lf2, NULL);
	if (EFI_ERROR(st))
		log_line(L"cannot uninstall the initrd LoadFile2 protocol: %r",
			 st);
	p->handle = NULL;
}
