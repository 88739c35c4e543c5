/* purgatory (x86_64): make an MMIO console reachable, runs between two
 * kernels before the first character is printed (entry.S calls it ahead
 * of purgatory_main).  kexec's identity map leaves out MMIO (see
 * pgtable.c): map the UART's page(s) into the live tables, or, if that
 * cannot be done, stay quiet rather than fault. */
#include "pgtable.h"
#include "purgatory.h"

#define X86_CR4_LA57	(1ul << 12)	/* 5-level paging */

/* Two register pages (a block straddling a page boundary) with every
 * table each can need.  In .bss, cleared by entry.S; page-aligned at run
 * time because kexec loads segments page-aligned (checked below). */
#define SPARE_PAGES	(2 * X86_PT_MAX_NEW)
static uint8_t spare_pages[SPARE_PAGES][X86_PAGE_SIZE]
	__attribute__((aligned(X86_PAGE_SIZE)));

/* Return: 0 if [first, last] is mapped now, -1 if not. */
static int map_range(uint64_t first, uint64_t last)
{
	struct x86_pt pt;
	unsigned long cr3, cr4;
	uint64_t page;

	asm volatile("mov %%cr3, %0" : "=r" (cr3));
	asm volatile("mov %%cr4, %0" : "=r" (cr4));
	pt.phys_base = 0;
	pt.root = cr3 & X86_PTE_ADDR;
	pt.levels = (cr4 & X86_CR4_LA57) ? 5 : 4;
	pt.spare = (uint64_t)(uintptr_t)spare_pages;
	pt.nr_spare = SPARE_PAGES;
	if (pt.spare & (X86_PAGE_SIZE - 1))
		return -1;

	for (page = first & X86_PTE_ADDR; page <= last; page += X86_PAGE_SIZE) {
		int ret = x86_pt_map_uncached(&pt, page);

		if (ret < 0)
			return -1;
		/* SDM vol. 3A 4.10.4.3: making an entry present needs no
		 * invalidation, but a stale paging-structure cache entry
		 * may still give a "spurious" #PF, which with no IDT is a
		 * triple fault.  invlpg drops those for this address. */
		if (ret > 0)
			asm volatile("invlpg (%0)" : : "r" ((uintptr_t)page)
				     : "memory");
	}
	return 0;
}

void x86_console_map(struct purgatory_args *args)
{
	uint64_t base = args->console.base;
	/* The 8 registers of an 8250, 1 << reg_shift apart; the purgatory
	 * touches THR and LSR only, the rest costs nothing. */
	uint64_t len = 8ull << (args->console.reg_shift & 7);

	if (args->console.type != PURGATORY_CONSOLE_8250_MMIO)
		return;
	if (base + len < base || map_range(base, base + len - 1))
		args->console.type = PURGATORY_CONSOLE_NONE;
}
