/* kexshim: where entries are looked for on one file system, and the
 * reading of those files (through disk/part.h, so nothing leaves it);
 * the parsers themselves are pure (bls.c, ...).  Runs in PID 1 and the
 * CLI, called by entries_scan() for each mounted file system. */
#ifndef KEXSHIM_CONFIG_SCAN_H
#define KEXSHIM_CONFIG_SCAN_H

#include "config/entry.h"
#include "disk/disk.h"

struct warnings;

/* Append p's entries to out, each with ->part = p, in this order:
 *   ESP, XBOOTLDR: the .conf files in /loader/entries (Type #1), the .efi
 *     files in /EFI/Linux (Type #2, one entry per UKI profile);
 *   other (a root file system, a separate /boot): the .conf files in
 *     /boot/loader/entries and /loader/entries, then the first grub.cfg
 *     of /boot/grub, /grub, /boot/grub2, /grub2 (with grubenv);
 *   every one: the first of /boot/extlinux/extlinux.conf,
 *     /extlinux/extlinux.conf, /boot/syslinux/syslinux.cfg,
 *     /syslinux/syslinux.cfg;
 *   other, when none of the above gave an entry: Debian's /vmlinuz.
 * A grub.cfg's or extlinux.conf's default gets ->config_default.  A file
 * that cannot be read or parsed is an entry with ->error (its ID from the
 * file name); bls_arch (NULL: any) marks other arches broken.  A config
 * that does not parse, and problems with a directory, are warnings.
 * Prints one line per file system: "entries: MNT (FSTYPE): N entries".
 * Return: 0 or -ENOMEM. */
int scan_part(struct part *p, const char *bls_arch, struct entry_list *out,
	      struct warnings *w);

#endif
