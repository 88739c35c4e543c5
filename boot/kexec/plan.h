/* kexshim: the segment planner.  Pure functions: a memory map and image
 * constraints in, at most 16 page-aligned, sorted, non-overlapping kexec
 * segments out.  No I/O, so host tests drive it with fake maps. */
#ifndef KEXSHIM_PLAN_H
#define KEXSHIM_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "kexec/memmap.h"

#define PLAN_MAX_SEGMENTS 16 /* KEXEC_SEGMENT_MAX */
#define PLAN_PAGE_SIZE 4096u

enum plan_flags {
	PLAN_FIXED = 1u << 0, /* must sit exactly at item.fixed */
	PLAN_HIGH = 1u << 1,  /* prefer the highest fitting address (initrd) */
};

/* One thing to place. */
struct plan_item {
	const char *name;   /* "kernel", "initrd", ... for messages and JSON */
	const void *buf;    /* file-backed bytes; NULL when bufsz == 0 */
	size_t bufsz;
	uint64_t memsz;     /* >= bufsz; rounded up to pages by the planner */
	uint64_t keep_free; /* > memsz: bytes from addr no other segment may
			     * take, which kexec need not zero (a kernel's
			     * init_size / image_size: boot.rst and
			     * booting.rst ask that it be free, not
			     * cleared); 0: memsz */
	uint64_t align;     /* power of two; < 4096 means 4096 */
	uint64_t min, max;  /* [addr, addr + max(memsz, keep_free)) must lie
			     * in [min, max);
			     * max == 0 means no upper limit */
	uint64_t fixed;     /* with PLAN_FIXED */
	unsigned flags;
	uint64_t addr;      /* out: chosen physical address */
};

struct plan_segment {
	const char *name;
	const void *buf;
	size_t bufsz;
	uint64_t mem;   /* page-aligned */
	uint64_t memsz; /* page multiple, >= bufsz: what kexec loads */
	uint64_t reserved; /* page multiple, >= memsz: what no other
			    * segment may take (the item's keep_free) */
};

struct plan {
	struct memmap free;  /* usable RAM not yet taken */
	struct plan_segment seg[PLAN_MAX_SEGMENTS];
	size_t n;
};

/* Start a plan over the usable RAM in `usable` (type RAM ranges only are
 * used).  Return: 0 or -errno. */
int plan_init(struct plan *p, const struct memmap *usable);

/* Place one item, record its segment, take its range out of p->free.
 * Return: 0, or -ENOSPC/-EINVAL/-E2BIG with a kx_fail() message that says
 * why nothing fits ("plan: initrd: 40 MiB does not fit below 0x3fffffff
 * (largest free range 12 MiB)"). */
int plan_add(struct plan *p, struct plan_item *item);

/* Sort the segments by address and check the invariants (page-aligned,
 * non-overlapping, <= 16).  Return: 0 or -errno (kx_fail). */
int plan_finish(struct plan *p);

/* kexec_load's own limit (kernel/kexec_core.c sanity_check_segment_list):
 * no segment, and not all of them together, may take more pages than half
 * of the running kernel's RAM (ram_bytes: its MemTotal).
 * Return: 0, or -E2BIG with a kx_fail() naming the sizes. */
int plan_check_half_ram(const struct plan *p, uint64_t ram_bytes);

#endif
