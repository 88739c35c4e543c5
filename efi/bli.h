/*
 * efi/bli.h: kexshim.efi's half of the Boot Loader Interface (systemd's
 * BOOT_LOADER_INTERFACE.md): the volatile variables only a boot-services
 * loader can set, which the target reads after the shim's kexec (the
 * firmware's runtime services survive it): when the loader started and
 * handed over, which ESP and image it ran from, what it is and supports.
 * The shim (boot/config/bli.c) adds the entries and the one booted.
 */
#ifndef KEXSHIM_EFI_BLI_H
#define KEXSHIM_EFI_BLI_H

#include <efi.h>

/* Set LoaderTimeInitUSec, LoaderInfo, LoaderFirmwareInfo/-Type,
 * LoaderFeatures, LoaderDevicePartUUID and LoaderImageIdentifier.  Call
 * first thing.  A variable the firmware refuses is logged, not fatal. */
void bli_loader_start(EFI_LOADED_IMAGE *self);

/* Set LoaderTimeExecUSec: right before StartImage(). */
void bli_loader_exec(void);

#endif /* KEXSHIM_EFI_BLI_H */
