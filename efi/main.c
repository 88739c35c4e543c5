/*
 * efi/main.c: kexshim.efi, the UEFI application that starts the shim Linux.
 *
 * Runs as a boot option (\EFI\BOOT\BOOTX64.EFI or a Boot#### entry) in boot
 * services.  A bundle (tools/mkbundle) carries the shim kernel, initramfs and
 * command line in its own .linux/.initrd/.cmdline sections and uses those;
 * a plain kexshim.efi reads \EFI\kexshim\kexshim.conf from its own volume
 * and loads the files it names (under Secure Boot only initrds pinned in
 * .pins).  Either way the kernel goes through LoadImage() (the firmware
 * verifies it under Secure Boot), the initrd is served through LoadFile2
 * and the kernel's EFI stub gets a UCS-2 command line; on the way it sets
 * the Boot Loader Interface's variables (bli.c).  If anything fails, or the
 * kernel returns, it prints one line, undoes what it did and returns the
 * error so the firmware tries its next boot option.
 */
#include <efi.h>
#include <efilib.h>

#include "bli.h"
#include "bundle.h"
#include "devpath.h"
#include "fileio.h"
#include "initrd.h"
#include "log.h"
#include "secureboot.h"
#include "shimconf.h"
#include "ucs2.h"

_Static_assert(SHIMCONF_INITRD_MAX <= FILE_LOAD_ALL_MAX, "initrd list");

/*
 * Documentation/driver-api/early-userspace/buffer-format.rst: an initramfs
 * is archives separated by zero padding in units of four bytes, so each
 * initrd starts at a multiple of 4.
 */
#define INITRD_ALIGN 4

/* The kernel as LoadImage() sees it: a memory-mapped device path over the
 * .linux section (as systemd-stub does for a UKI's kernel). */
struct memmap_path {
	MEMMAP_DEVICE_PATH memmap;
	EFI_DEVICE_PATH end;
};

/* Everything that must be undone when we return to the firmware. */
struct boot {
	EFI_HANDLE image;
	EFI_LOADED_IMAGE *self;
	EFI_FILE_HANDLE root;
	struct bundle bundle;
	struct shimconf *conf;
	/* what is booted: a file of kexshim.conf's or our own section */
	const char *kernel_name;
	const void *kernel_data;
	UINTN kernel_size;
	const void *initrd_data;
	UINTN initrd_size;
	struct file_buf kernel;
	struct file_buf initrd;
	struct initrd_provider provider;
	char *cmdline;
	CHAR16 *cmdline16;
	UINTN cmdline16_bytes;
	EFI_DEVICE_PATH *kernel_path;
	EFI_HANDLE child;
};

static EFI_STATUS read_conf(struct boot *b)
{
	struct shimconf_error err;
	struct file_buf raw;
	EFI_STATUS st;

	st = file_load(b->root, SHIMCONF_PATH, &raw);
	if (EFI_ERROR(st))
		return st;
	b->conf = AllocatePool(sizeof(*b->conf));
	if (!b->conf) {
		file_buf_free(&raw);
		log_line(L"%a: %r", SHIMCONF_PATH, EFI_OUT_OF_RESOURCES);
		return EFI_OUT_OF_RESOURCES;
	}
	if (shimconf_parse(file_buf_ptr(&raw), raw.size, b->conf, &err)) {
		char msg[128];

		shimconf_format_error(&err, msg, sizeof(msg));
		log_line(L"%a: %a", SHIMCONF_PATH, msg);
		st = EFI_LOAD_ERROR;
	}
	file_buf_free(&raw);
	return st;
}

/* The conf's options, plus our partition so the shim mounts this ESP. */
static EFI_STATUS make_cmdline(struct boot *b)
{
	UINT8 guid[16];
	BOOLEAN have_guid = devpath_partuuid(b->self->DeviceHandle, guid);

	b->cmdline = AllocatePool(SHIMCONF_CMDLINE_MAX);
	if (!b->cmdline ||
	    shimconf_cmdline(b->conf, have_guid ? guid : NULL, b->cmdline,
			     SHIMCONF_CMDLINE_MAX)) {
		log_line(L"cannot build the command line: %r",
			 EFI_OUT_OF_RESOURCES);
		return EFI_OUT_OF_RESOURCES;
	}
	/* UEFI LoadOptions for the stub: UCS-2, NUL-terminated, size in bytes */
	b->cmdline16 = ucs2_from_utf8(b->cmdline, &b->cmdline16_bytes);
	if (!b->cmdline16) {
		log_line(L"cannot build the command line: %r",
			 EFI_OUT_OF_RESOURCES);
		return EFI_OUT_OF_RESOURCES;
	}
	return EFI_SUCCESS;
}

static EFI_STATUS load_files(struct boot *b)
{
	const char *paths[SHIMCONF_INITRD_MAX];
	struct file_part parts[SHIMCONF_INITRD_MAX];
	EFI_STATUS st;

	st = file_load(b->root, b->conf->kernel, &b->kernel);
	if (EFI_ERROR(st))
		return st;
	for (unsigned int i = 0; i < b->conf->n_initrd; i++)
		paths[i] = b->conf->initrd[i];
	st = file_load_all(b->root, paths, b->conf->n_initrd, INITRD_ALIGN,
			   "initrd", &b->initrd, parts);
	if (EFI_ERROR(st))
		return st;
	return secureboot_check_initrds(&b->bundle, paths, b->conf->n_initrd,
					file_buf_ptr(&b->initrd), parts);
}

/* A plain kexshim.efi: the shim as kexshim.conf on our volume names it. */
static EFI_STATUS use_conf(struct boot *b)
{
	EFI_STATUS st;

	st = file_open_volume(b->self->DeviceHandle, &b->root);
	if (EFI_ERROR(st))
		return st;
	st = read_conf(b);
	if (EFI_ERROR(st))
		return st;
	st = load_files(b);
	if (EFI_ERROR(st))
		return st;
	b->kernel_name = b->conf->kernel;
	b->kernel_data = file_buf_ptr(&b->kernel);
	b->kernel_size = b->kernel.size;
	b->initrd_data = file_buf_ptr(&b->initrd);
	b->initrd_size = b->initrd.size;
	return EFI_SUCCESS;
}

/* A bundle: the shim is our own .linux/.initrd/.cmdline; no file is read. */
static EFI_STATUS use_bundle(struct boot *b)
{
	struct bundle *bu = &b->bundle;
	struct shimconf_error err;

	b->conf = AllocatePool(sizeof(*b->conf));
	if (!b->conf) {
		log_line(L"own .cmdline: %r", EFI_OUT_OF_RESOURCES);
		return EFI_OUT_OF_RESOURCES;
	}
	if (shimconf_set_options(b->conf, bu->cmdline.data,
				 bu->has_cmdline ? bu->cmdline.size : 0,
				 &err)) {
		char msg[128];

		shimconf_format_error(&err, msg, sizeof(msg));
		log_line(L"own .cmdline: %a", msg);
		return EFI_LOAD_ERROR;
	}
	b->kernel_name = ".linux";
	b->kernel_data = bu->kernel.data;
	b->kernel_size = bu->kernel.size;
	if (bu->has_initrd) {
		b->initrd_data = bu->initrd.data;
		b->initrd_size = bu->initrd.size;
	}
	log_line(L"embedded shim: .linux %ld bytes, .initrd %ld bytes, "
		 L".cmdline %ld bytes (%a not read)", (INT64)b->kernel_size,
		 (INT64)b->initrd_size,
		 (INT64)(bu->has_cmdline ? bu->cmdline.size : 0),
		 SHIMCONF_PATH);
	return EFI_SUCCESS;
}

/*
 * The device path LoadImage() records for the kernel.  LoadImage() reads
 * from our buffer either way; the path only tells the kernel where it came
 * from (the stub's own initrd= loader uses it for a file).
 */
static EFI_STATUS make_kernel_path(struct boot *b)
{
	struct memmap_path *mm;
	CHAR16 *name;

	if (b->bundle.has_kernel) {
		mm = AllocateZeroPool(sizeof(*mm));
		if (mm) {
			mm->memmap.Header.Type = HARDWARE_DEVICE_PATH;
			mm->memmap.Header.SubType = HW_MEMMAP_DP;
			SetDevicePathNodeLength(&mm->memmap.Header,
						sizeof(mm->memmap));
			mm->memmap.MemoryType = EfiLoaderData;
			mm->memmap.StartingAddress =
				(EFI_PHYSICAL_ADDRESS)(UINTN)b->kernel_data;
			/* UEFI 2.10 10.3.2.3: the ending address is inclusive */
			mm->memmap.EndingAddress = mm->memmap.StartingAddress +
						   b->kernel_size - 1;
			SetDevicePathEndNode(&mm->end);
			b->kernel_path = (EFI_DEVICE_PATH *)mm;
		}
	} else {
		name = ucs2_from_utf8(b->conf->kernel, NULL);
		if (name) {
			b->kernel_path = FileDevicePath(b->self->DeviceHandle,
							name);
			FreePool(name);
		}
	}
	if (!b->kernel_path) {
		log_line(L"%a: %r", b->kernel_name, EFI_OUT_OF_RESOURCES);
		return EFI_OUT_OF_RESOURCES;
	}
	return EFI_SUCCESS;
}

static EFI_STATUS load_kernel(struct boot *b)
{
	EFI_LOADED_IMAGE *child;
	EFI_STATUS st;

	st = make_kernel_path(b);
	if (EFI_ERROR(st))
		return st;
	st = BS->LoadImage(FALSE, b->image, b->kernel_path,
			   (VOID *)b->kernel_data, b->kernel_size, &b->child);
	if (EFI_ERROR(st)) {
		/* UEFI 2.10 7.4.1: with Secure Boot refusing the image, it is
		 * loaded all the same and must be unloaded */
		if (st == EFI_SECURITY_VIOLATION && b->child)
			BS->UnloadImage(b->child);
		b->child = NULL;
		/* 7.4.1: ACCESS_DENIED when policy forbids loading it,
		 * SECURITY_VIOLATION when it is loaded but may not start */
		log_line(L"%a: LoadImage: %r%a", b->kernel_name, st,
			 (st == EFI_ACCESS_DENIED ||
			  st == EFI_SECURITY_VIOLATION) && secureboot_enabled() ?
			 " (Secure Boot: not signed by a key in db, or revoked)" :
			 "");
		return st;
	}

	st = BS->HandleProtocol(b->child, &LoadedImageProtocol,
				(VOID **)&child);
	if (EFI_ERROR(st)) {
		log_line(L"%a: no LoadedImage protocol: %r", b->kernel_name,
			 st);
		return st;
	}
	child->LoadOptions = b->cmdline16;
	child->LoadOptionsSize = (UINT32)b->cmdline16_bytes;
	return EFI_SUCCESS;
}

static EFI_STATUS start_kernel(struct boot *b)
{
	UINTN exit_size = 0;
	CHAR16 *exit_data = NULL;
	EFI_STATUS st;

	log_line(L"starting %a (%ld bytes), initrd %ld bytes, cmdline: %s",
		 b->kernel_name, (INT64)b->kernel_size,
		 (INT64)b->initrd_size, b->cmdline16);

	/* the firmware copied the image; the file buffer is no longer needed */
	file_buf_free(&b->kernel);
	b->kernel_data = NULL;

	bli_loader_exec();
	st = BS->StartImage(b->child, &exit_size, &exit_data);
	/* an application that returns is unloaded by the firmware (7.4.2) */
	b->child = NULL;
	if (exit_data)
		FreePool(exit_data);
	/* the kernel never returns on success; returning is a failure */
	if (!EFI_ERROR(st))
		st = EFI_LOAD_ERROR;
	log_line(L"%a returned: %r", b->kernel_name, st);
	return st;
}

static void cleanup(struct boot *b)
{
	if (b->child)
		BS->UnloadImage(b->child);
	initrd_uninstall(&b->provider);
	file_buf_free(&b->initrd);
	file_buf_free(&b->kernel);
	if (b->kernel_path)
		FreePool(b->kernel_path);
	if (b->cmdline16)
		FreePool(b->cmdline16);
	if (b->cmdline)
		FreePool(b->cmdline);
	if (b->conf)
		FreePool(b->conf);
	if (b->root)
		b->root->Close(b->root);
}

static EFI_STATUS boot(struct boot *b)
{
	EFI_STATUS st;

	st = BS->HandleProtocol(b->image, &LoadedImageProtocol,
				(VOID **)&b->self);
	if (EFI_ERROR(st)) {
		log_line(L"no LoadedImage protocol on own image: %r", st);
		return st;
	}
	bli_loader_start(b->self);
	/* read (and say) the Secure Boot state once, before anything loads */
	secureboot_enabled();
	st = bundle_read(b->self, &b->bundle);
	if (EFI_ERROR(st))
		return st;
	st = b->bundle.has_kernel ? use_bundle(b) : use_conf(b);
	if (EFI_ERROR(st))
		return st;
	st = make_cmdline(b);
	if (EFI_ERROR(st))
		return st;
	if (b->initrd_size) {
		st = initrd_install(&b->provider, b->initrd_data,
				    b->initrd_size);
		if (EFI_ERROR(st))
			return st;
	}
	st = load_kernel(b);
	if (EFI_ERROR(st))
		return st;
	return start_kernel(b);
}

/* Not EFIAPI: gnu-efi's crt0 calls efi_main with the SysV convention. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct boot b = { .image = image };
	EFI_STATUS st;

	InitializeLib(image, systab);
	log_init();
	st = boot(&b);
	cleanup(&b);
	return st;
}
