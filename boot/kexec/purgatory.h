/* kexshim: place the purgatory blob and fill its args (loader side of
 * include/kexshim/purgatory.h).  Runs in load_prepare() after the arch code
 * has added every other segment to the plan.  Depends on lib/ only. */
#ifndef KEXSHIM_KEXEC_PURGATORY_H
#define KEXSHIM_KEXEC_PURGATORY_H

#include <stddef.h>
#include <stdint.h>

#include "kexshim/purgatory.h"
#include "kexec/plan.h"
#include "lib/arena.h"

/* The blob embedded by boot/kexec/purgatory_blob.S. */
extern const uint8_t purgatory_blob[];
extern const uint64_t purgatory_blob_size;

/* purgatory_place_blob() with the embedded blob.
 * Return: 0 or -errno (kx_fail). */
/* Test builds only: `kexshim-test` (test/qemu/test_hooks.c, for the QEMU
 * tests) defines it to spoil the args on purpose; the `kexshim` that
 * ships has no such symbol and nothing is called.  It runs on the args
 * right before they are written into the blob. */
void purgatory_test_hook(struct purgatory_args *args) __attribute__((weak));

int purgatory_place(struct plan *p, struct purgatory_args *args,
		    struct arena *ar, uint64_t min, uint64_t max,
		    uint64_t *entry);

/* Copy blob (size bytes) into memory owned by ar, check its header, plan it
 * as segment "purgatory" in [min, max) (max 0: anywhere), hash every other
 * segment's file-backed bytes into the args (regions.h: cut into regions
 * hashed on every CPU), write the args (args->entry,
 * regs and console as the arch code set them, plus the blob's link-time
 * fields) at offset 0 of the copy and back into *args, and set *entry to
 * the purgatory's entry point.
 * Return: 0 or -errno with a "purgatory: ..." kx_fail() message. */
int purgatory_place_blob(struct plan *p, struct purgatory_args *args,
			 struct arena *ar, const void *blob, size_t size,
			 uint64_t min, uint64_t max, uint64_t *entry);

#endif
