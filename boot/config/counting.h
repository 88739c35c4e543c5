/* kexshim: BLS automatic boot assessment, the loader's half: before a
 * counted entry ("NAME+LEFT-DONE.conf", or a UKI "NAME+LEFT-DONE.efi")
 * boots, its file is renamed to one try less, so a boot that never
 * reaches the OS (which then renames it to "NAME.conf": "good") counts.
 * Runs in PID 1 right before kexec_load. */
#ifndef KEXSHIM_CONFIG_COUNTING_H
#define KEXSHIM_CONFIG_COUNTING_H

#include "config/entry.h"

/* Rename e's file on its file system (writable for the moment of the
 * rename, then read-only again) when e is counted and has tries left.
 * Return: 1 renamed, 0 nothing to do, -errno (kx_fail "counting: ...";
 * the caller boots anyway: a read-only medium is no reason to stop). */
int counting_before_boot(const struct boot_entry *e);

#endif
