/* kexshim: where entries are looked for on one file system, and the
 * reading of those files (through disk/part.h, so nothing leaves it);
 * the parsers themselves are pure (bls.c, ...).  Runs in PID 1 and the
 * CLI, called by entries_scan() for each mounted file system. */
#ifndef KEXSHIM_CONFIG_SCAN_H
#define KEXSHIM_CONFIG_SCAN_H

#include "config/entry.h"
#include "disk/disk.h"

struct warnings;

/* Append p's entries to out, each with ->part = p:
 *   ESP, XBOOTLDR: the .conf files in loader/entries (Type #1);
 *   other: the .conf files in boot/loader/entries.
 * A file that cannot be read or parsed is an entry with ->error (its ID
 * from the file name); bls_arch (NULL: any) marks other arches broken.
 * Problems with a directory itself are warnings.
 * Return: 0 or -ENOMEM. */
int scan_part(struct part *p, const char *bls_arch, struct entry_list *out,
	      struct warnings *w);

#endif
