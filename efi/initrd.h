/*
 * efi/initrd.h: hand the (concatenated) initrd to the kernel's EFI stub.
 *
 * Boot services only.  Since Linux 5.7 the stub looks for a handle whose
 * device path is the vendor media node LINUX_EFI_INITRD_MEDIA_GUID and asks
 * its EFI_LOAD_FILE2_PROTOCOL for the initrd: once with no buffer to learn
 * the size, once more to fill the buffer it allocated.
 */
#ifndef KEXSHIM_EFI_INITRD_H
#define KEXSHIM_EFI_INITRD_H

#include <efi.h>

struct initrd_provider {
	EFI_LOAD_FILE_PROTOCOL lf2;	/* first: This points here */
	const void *data;
	UINTN size;
	EFI_HANDLE handle;		/* NULL while not installed */
};

/*
 * initrd_install() - publish @size bytes at @data on a new handle.
 * @data must stay valid until initrd_uninstall().
 *
 * Return: EFI_SUCCESS, EFI_ALREADY_STARTED if another loader already serves
 * an initrd this way, or the firmware's error (logged).
 */
EFI_STATUS initrd_install(struct initrd_provider *p, const void *data,
			  UINTN size);

/* Remove both protocols again; harmless when nothing was installed. */
void initrd_uninstall(struct initrd_provider *p);

#endif /* KEXSHIM_EFI_INITRD_H */
