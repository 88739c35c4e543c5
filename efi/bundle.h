/*
 * efi/bundle.h: the shim kexshim.efi carries in its own image when
 * tools/mkbundle made it a bundle (UKI-style PE sections):
 *
 *	.linux    the shim kernel (an EFI-stub PE image)   bundle iff present
 *	.initrd   its initramfs                            optional
 *	.cmdline  its command line (UTF-8)                 optional
 *	.pins     initrd-sha256 lines (pins.h)             optional
 *
 * With .linux the bundle is the whole configuration and kexshim.conf is not
 * read; without it the loader reads kexshim.conf as before, and .pins names
 * the conf's initrds that Secure Boot allows.  Boot services only.
 */
#ifndef KEXSHIM_EFI_BUNDLE_H
#define KEXSHIM_EFI_BUNDLE_H

#include <efi.h>

#include "pemem.h"

struct bundle {
	struct pemem_section kernel, initrd, cmdline, pins;	/* .linux, ... */
	BOOLEAN has_kernel, has_initrd, has_cmdline, has_pins;
};

/*
 * bundle_read() - find the sections above in @self's loaded image
 * (ImageBase, ImageSize; the headers are parsed bounds-checked, see pemem.h).
 *
 * Return: EFI_SUCCESS with @b filled (every has_* FALSE for a plain
 * kexshim.efi), or EFI_LOAD_ERROR when our own headers or one of these
 * sections are malformed (logged).
 */
EFI_STATUS bundle_read(EFI_LOADED_IMAGE *self, struct bundle *b);

#endif /* KEXSHIM_EFI_BUNDLE_H */
