/* purgatory (x86_64): add one page to the identity map kexec left us (see
 * pgtable.c).  Pure C over "physical memory" reached through phys_base, so
 * the host tests run it on a simulated page-table tree. */
#ifndef KEXSHIM_PURGATORY_X86_64_PGTABLE_H
#define KEXSHIM_PURGATORY_X86_64_PGTABLE_H

#include <stdint.h>

#define X86_PAGE_SIZE		4096u
/* Intel SDM vol. 3A, 4.5 (4-level and 5-level paging), entry bits: */
#define X86_PTE_P		(1ull << 0)	/* present */
#define X86_PTE_RW		(1ull << 1)	/* writable */
#define X86_PTE_PWT		(1ull << 3)	/* write-through */
#define X86_PTE_PCD		(1ull << 4)	/* cache disable */
#define X86_PTE_PS		(1ull << 7)	/* PDPTE/PDE: 1 GiB / 2 MiB page */
#define X86_PTE_ADDR		0x000ffffffffff000ull	/* bits 51:12 */

/* The most tables one address can need: PML4 (under a PML5), PDPT, PD,
 * PT. */
#define X86_PT_MAX_NEW		4

struct x86_pt {
	/* Where physical address 0 is, seen from this code: 0 in the
	 * purgatory (identity-mapped), a buffer in the host tests. */
	uintptr_t phys_base;
	uint64_t root;		/* physical address of the top table (CR3) */
	unsigned int levels;	/* 4, or 5 with CR4.LA57 */
	uint64_t spare;		/* physical address of the next spare page */
	unsigned int nr_spare;	/* spare 4 KiB pages left at spare */
};

/*
 * Make the 4 KiB page holding addr present at the same linear address, for
 * MMIO: a new entry is uncached (PCD|PWT: PAT entry 3, UC by default and
 * as Linux programs PAT).  Missing tables come from the spare pages, which
 * are zeroed first.  A page already mapped, by a 4 KiB entry or a 2 MiB or
 * 1 GiB page, is left as it is.
 * Return: 1 when an entry was added (the caller invalidates the TLB entry
 * of addr), 0 when addr was mapped already, -1 when it cannot be mapped
 * (addr outside the lower half the identity map can reach, or too few
 * spare pages); on 0 and -1 nothing was written.
 */
int x86_pt_map_uncached(struct x86_pt *pt, uint64_t addr);

#endif
