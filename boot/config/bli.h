/* kexshim: the Boot Loader Interface (systemd's BOOT_LOADER_INTERFACE.md),
 * the shim's half: what the OS asked for through EFI variables (a one-shot
 * entry, a default, a timeout), and what we tell it (the entries found,
 * the one booted) so that bootctl, systemd-analyze and `systemctl reboot
 * --boot-loader-entry=` work on the target.  kexshim.efi sets what it
 * knows first (efi/bli.c).  Runs in PID 1 through efivarfs; host tests
 * use a fake efivars directory under a root.
 *
 * Variables are written after ExitBootServices(), when UEFI (2.10 8.2,
 * SetVariable) only lets a runtime caller create non-volatile ones: so
 * LoaderEntries and LoaderEntrySelected are non-volatile, and written
 * only when their content changes, to spare the flash. */
#ifndef KEXSHIM_CONFIG_BLI_H
#define KEXSHIM_CONFIG_BLI_H

#include <stdbool.h>
#include <stddef.h>

#include "config/entries.h"

#define BLI_VENDOR "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
#define BLI_EFIVARS "/sys/firmware/efi/efivars"
#define BLI_VALUE_MAX 256

struct warnings;

/* What the OS asked for ("" = nothing). */
struct bli_ask {
	char oneshot[BLI_VALUE_MAX];     /* LoaderEntryOneShot (taken) */
	char dflt[BLI_VALUE_MAX];        /* LoaderEntryDefault */
	char timeout[32];                /* LoaderConfigTimeout */
	char timeout_oneshot[32];        /* LoaderConfigTimeoutOneShot (taken) */
};

/* Read root/BLI_EFIVARS's requests into ask, and delete the one-shot ones:
 * they act on one boot only.  No efivars (BIOS, not mounted) is no
 * request.  Trouble becomes warnings.
 * Return: 0, or -ENOENT when there is no efivars directory. */
int bli_take(const char *root, struct bli_ask *ask, struct warnings *w);

/* Tell the OS what this boot is: LoaderEntries (every entry, menu order,
 * each NUL-terminated) and LoaderEntrySelected (e).
 * Return: 0 or -errno (kx_fail "bli: ..."). */
int bli_publish(const char *root, const struct entries *es,
		const struct boot_entry *e);

/* Read a string variable NAME-BLI_VENDOR (UTF-16 on the wire) as UTF-8.
 * Return: 0, -ENOENT when it does not exist, -errno (kx_fail). */
int bli_get(const char *root, const char *name, char *out, size_t size);

/* Write it (non-volatile, boot- and runtime access), unless it holds
 * value already.  Return: 1 written, 0 unchanged, -errno (kx_fail). */
int bli_set(const char *root, const char *name, const void *utf16,
	    size_t bytes);

/* UTF-8 to UTF-16LE (with surrogate pairs), NUL-terminated.
 * Return: the bytes written with the NUL, or 0 when out is too small or
 * s is not UTF-8. */
size_t bli_utf16(const char *s, void *out, size_t size);

#endif
