/* kexshim: menu entries from Unified Kernel Images (Boot Loader
 * Specification Type #2: EFI/Linux/NAME.efi on the ESP or XBOOTLDR).  Pure:
 * a UKI's bytes in, entries out; the sections are read by image/uki.c.
 * Runs in PID 1 and the CLI while entries are listed. */
#ifndef KEXSHIM_CONFIG_UKI_H
#define KEXSHIM_CONFIG_UKI_H

#include <stddef.h>
#include <stdint.h>

struct entry_list;
struct warnings;

/* Append one ENTRY_UKI entry per profile of the UKI at path (partition-
 * relative, e.g. "/EFI/Linux/debian-6.1.0-57.efi"; it becomes kernel.path)
 * whose bytes are buf, or one entry for a UKI without profiles.  As
 * systemd-boot names them: id = the file name minus ".efi" and the boot
 * counter "+L-D" (tries_left/tries_done), "@N" added for profile N > 0;
 * title = .osrel's PRETTY_NAME, else NAME, else the id, followed by the
 * profile's " (TITLE)", else " (ID)", else " (@N)" for N > 0; version =
 * VERSION_ID, else .uname; sort-key = IMAGE_ID, else ID; options = the
 * profile's .cmdline (cleaned as the stub does); architecture from the PE
 * machine ("x64", "aa64", ...); uki_profile = N (0 for a UKI without
 * profiles).  Sections a profile carries override the base's (.osrel
 * too).  A UKI that does not parse, a profile without .linux, or one
 * whose architecture is not bls_arch (NULL: any) still gets its entry,
 * with ->error "uki: PATH: reason" ("uki: PATH: for architecture 'ia32',
 * this is 'x64'"), so `list` shows it and `boot` skips it.  os-release
 * lines that do not parse are warnings in w.
 * Return: 0, or -ENOMEM (kx_fail) with nothing appended. */
int uki_entries(const char *path, const uint8_t *buf, size_t len,
		const char *bls_arch, struct entry_list *out,
		struct warnings *w);

#endif
