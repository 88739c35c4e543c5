/* kexshim: the regions the purgatory verifies, and their digests, hashed
 * on every CPU at once.  The purgatory checks each region on its own, so a
 * large segment may be cut into several: the shim's CPUs then share the
 * SHA-256 work (a 60 MB kernel + initrd under QEMU's TCG costs seconds on
 * one).  Runs in load_prepare() through purgatory_place_blob(). */
#ifndef KEXSHIM_KEXEC_REGIONS_H
#define KEXSHIM_KEXEC_REGIONS_H

#include <stddef.h>

#include "kexshim/purgatory.h"
#include "kexec/plan.h"

/* Cut the file-backed bytes of every segment of p but segment skip into
 * at most PURGATORY_MAX_REGIONS regions of a->regions (a->nr_regions set)
 * for cpus CPUs (1: one region per segment), each whole segment or a
 * run of whole pages of one, and hash them with up to cpus threads.
 * Return: 0, or -ENOMEM / -E2BIG (kx_fail "purgatory: ..."). */
int regions_hash(const struct plan *p, size_t skip, unsigned cpus,
		 struct purgatory_args *a);

#endif
