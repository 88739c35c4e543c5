/* purgatory (arm64): what the purgatory maps while it hashes, and the
 * register values that turn the map on, for the translation regime it runs
 * in (EL1&0, EL2, or EL2&0 with HCR_EL2.E2H).  Pure (idmap.c; the host unit
 * tests run it): mmu.c reads the ID registers, calls idmap_build() and
 * writes what comes back; enter_kernel.S cleans idmap.clean[] to the PoC
 * before it turns the MMU off. */
#ifndef KEXSHIM_PURGATORY_ARM64_IDMAP_H
#define KEXSHIM_PURGATORY_ARM64_IDMAP_H

/* Offsets into struct idmap for enter_kernel.S. */
#define IDMAP_NR_CLEAN	0x00
#define IDMAP_CLEAN	0x08

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

#include "kexshim/purgatory.h"
#include "pgtable.h"

/* Every region, the purgatory's own memory and the console's registers. */
#define IDMAP_MAX_RANGES	(PURGATORY_MAX_REGIONS + 2)
/* The page-table pool that always suffices for them (pgtable.h), each
 * range being at most 512 GiB long: 109 tables, 436 KiB.  Longer ones
 * may run out, and the purgatory then hashes with the MMU off. */
#define IDMAP_POOL_TABLES	PGT_WORST_CASE(IDMAP_MAX_RANGES)

/* MAIR_ELx attribute indexes (AttrIndx of a descriptor) and values.
 * Arm ARM, MAIR_ELx.Attr<n>: 0xff is Normal, Inner and Outer Write-Back
 * Non-transient, Read- and Write-Allocate; 0x04 is Device-nGnRE. */
#define IDMAP_ATTR_NORMAL	0
#define IDMAP_ATTR_DEVICE	1
#define IDMAP_MAIR		(0xffull << (8 * IDMAP_ATTR_NORMAL) | \
				 0x04ull << (8 * IDMAP_ATTR_DEVICE))

/* What the CPU says, read by mmu.c. */
struct idmap_cpu {
	unsigned int el;	/* CurrentEL.EL */
	int e2h;		/* at EL2: HCR_EL2.E2H */
	uint64_t mmfr0;		/* ID_AA64MMFR0_EL1 */
};

/* [start, end), 4 KiB aligned. */
struct idmap_range {
	uint64_t start;
	uint64_t end;
};

/* idmap_build() results (m->bad says what failed). */
enum {
	IDMAP_EEL = -1,		/* not at EL1 or EL2 */
	IDMAP_EGRANULE = -2,	/* no 4 KiB granule (ID_AA64MMFR0_EL1.TGran4) */
	IDMAP_ECOUNT = -3,	/* nr_regions > PURGATORY_MAX_REGIONS */
	IDMAP_ERANGE = -4,	/* beyond the physical address range */
	IDMAP_ECONFLICT = -5,	/* overlaps a mapping with other attributes */
	IDMAP_ENOMEM = -6,	/* the page-table pool is exhausted */
};

/* m->bad: a segment (region) index, or one of these. */
#define IDMAP_BAD_NONE		(-1)
#define IDMAP_BAD_PURGATORY	(-2)
#define IDMAP_BAD_CONSOLE	(-3)

struct idmap {
	/* The Normal ranges mapped, page-rounded: what enter_kernel.S cleans
	 * and invalidates to the PoC.  nr_clean is 0 unless the map is
	 * complete. */
	uint64_t nr_clean;				/* 0x00 */
	struct idmap_range clean[IDMAP_MAX_RANGES];	/* 0x08 */
	unsigned int nr_mapped;	/* ranges mapped, the console's included */
	unsigned int pa_bits;	/* TCR_ELx.{I}PS, as a width */
	int bad;		/* what the error is about (IDMAP_BAD_*) */
	uint64_t mair;		/* for MAIR_ELx */
	uint64_t tcr;		/* for TCR_ELx, in the regime's layout */
	uint64_t ttbr0;		/* for TTBR0_ELx: the root, ASID 0 */
};
_Static_assert(offsetof(struct idmap, nr_clean) == IDMAP_NR_CLEAN, "nr_clean");
_Static_assert(offsetof(struct idmap, clean) == IDMAP_CLEAN, "clean");
_Static_assert(sizeof(struct idmap_range) == 16, "enter_kernel.S: ldp");

/* Map, in the tables of t (fresh from pgt_init()): the purgatory's memory
 * [blob_start, blob_end) as Normal executable, every region of args as
 * Normal execute-never, the console's registers (PL011, 8250 MMIO) as
 * Device-nGnRE execute-never; all page-rounded, nothing else.  Fill m with
 * the ranges to clean and the register values.
 * Return: 0, or an IDMAP_E* error with m->bad naming the culprit. */
int idmap_build(struct idmap *m, struct pgt *t, const struct idmap_cpu *cpu,
		const struct purgatory_args *args, uint64_t blob_start,
		uint64_t blob_end);

struct pg_out;
/* Print why the map could not be built, err being idmap_build()'s
 * result: "purgatory: hashing with the MMU off: ...\n". */
void idmap_print_error(const struct pg_out *out, const struct idmap *m,
		       const struct idmap_cpu *cpu, int err);

#endif /* __ASSEMBLER__ */
#endif
