/* kexshim: place the purgatory blob and fill its args (loader side of
 * include/kexshim/purgatory.h).  Runs in load_prepare() after arch_ops.load
 * has added every other segment. */
#ifndef KEXSHIM_KEXEC_PURGATORY_H
#define KEXSHIM_KEXEC_PURGATORY_H

#include <stddef.h>
#include <stdint.h>

struct load;

/* The blob embedded by boot/kexec/purgatory_blob.S. */
extern const uint8_t purgatory_blob[];
extern const uint64_t purgatory_blob_size;

/* purgatory_place_blob() with the embedded blob.
 * Return: 0 or -errno (kx_fail). */
int purgatory_place(struct load *l);

/* Copy blob (size bytes) into load_alloc'ed memory, check its header, plan
 * it as segment "purgatory" in [arch_ops.purgatory_min, purgatory_max),
 * hash every other segment's file-backed bytes into the args, write the
 * args (l->args entry/regs/console + the blob's link-time fields) at offset
 * 0 of the copy and into l->args, and set l->entry to the purgatory entry.
 * Return: 0 or -errno with a "purgatory: ..." kx_fail() message. */
int purgatory_place_blob(struct load *l, const void *blob, size_t size);

#endif
