/*
 * efi/bundle.c: our own .linux/.initrd/.cmdline/.pins sections (bundle.h).
 *
 * Runs in boot services, first thing after InitializeLib().  The firmware
 * loaded (and, under Secure Boot, verified) the whole image, so the
 * sections are already in memory at ImageBase + VirtualAddress: nothing is
 * read from the disk and nothing is copied.
 */
#include <efi.h>
#include <efilib.h>

#include "bundle.h"
#include "log.h"

static EFI_STATUS find(const struct pemem_image *img, const char *name,
		       struct pemem_section *sec, BOOLEAN *found)
{
	const char *reason;
	enum pemem_err rc = pemem_find(img, name, sec, &reason);

	*found = rc == PEMEM_OK;
	if (rc == PEMEM_OK || rc == PEMEM_ENOENT)
		return EFI_SUCCESS;
	log_line(L"own image: %a: %a", name, reason);
	return EFI_LOAD_ERROR;
}

EFI_STATUS bundle_read(EFI_LOADED_IMAGE *self, struct bundle *b)
{
	struct pemem_image img;
	const char *reason;
	EFI_STATUS st;

	SetMem(b, sizeof(*b), 0);
	if (pemem_parse(self->ImageBase, (UINTN)self->ImageSize, &img,
			&reason) != PEMEM_OK) {
		log_line(L"own image at 0x%lx (%ld bytes): %a",
			 (UINT64)(UINTN)self->ImageBase,
			 (INT64)self->ImageSize, reason);
		return EFI_LOAD_ERROR;
	}
	st = find(&img, ".linux", &b->kernel, &b->has_kernel);
	if (!EFI_ERROR(st))
		st = find(&img, ".initrd", &b->initrd, &b->has_initrd);
	if (!EFI_ERROR(st))
		st = find(&img, ".cmdline", &b->cmdline, &b->has_cmdline);
	if (!EFI_ERROR(st))
		st = find(&img, ".pins", &b->pins, &b->has_pins);
	/* an empty .linux is no kernel: say so instead of LoadImage's error */
	if (!EFI_ERROR(st) && b->has_kernel && !b->kernel.size) {
		log_line(L"own image: .linux is empty");
		st = EFI_LOAD_ERROR;
	}
	return st;
}
