/* purgatory (x86_64): one page more in the identity map, runs between two
 * kernels (and in the host tests, on a simulated tree).  Linux's x86 kexec
 * identity-maps only RAM, the segments, the EFI and ACPI tables
 * (machine_kexec_64.c init_pgtable); an MMIO UART elsewhere would fault
 * on its first access, and with the old kernel's IDT gone that is a triple
 * fault.  So console_map.c walks the live tables from CR3 and adds the
 * UART's page here.  The tables are ours from then on: nothing of the old
 * kernel runs again, and the target's 64-bit entry builds its own. */
#include "pgtable.h"

/* Return: the table entry at physical address table, index idx. */
static volatile uint64_t *entry(const struct x86_pt *pt, uint64_t table,
				unsigned int idx)
{
	return (volatile uint64_t *)(pt->phys_base + (uintptr_t)table) + idx;
}

/* Level 1 is the page table, levels + 0 the root: 9 bits each above the
 * 12-bit page offset. */
static unsigned int index_of(uint64_t addr, unsigned int level)
{
	return (unsigned int)(addr >> (12 + 9 * (level - 1))) & 511;
}

/* The first level (from the top) whose entry for addr is absent, with the
 * table holding it in *table; 0 if addr is mapped already. */
static unsigned int first_absent(const struct x86_pt *pt, uint64_t addr,
				 uint64_t *table)
{
	unsigned int level;
	uint64_t t = pt->root;

	for (level = pt->levels; level >= 1; level--) {
		uint64_t e = *entry(pt, t, index_of(addr, level));

		if (!(e & X86_PTE_P)) {
			*table = t;
			return level;
		}
		/* PS in a PDPTE (level 3) or PDE (2) maps a 1 GiB or 2 MiB
		 * page, already covering addr. */
		if (level == 1 || ((level == 2 || level == 3) &&
				   (e & X86_PTE_PS)))
			return 0;
		t = e & X86_PTE_ADDR;
	}
	return 0;
}

int x86_pt_map_uncached(struct x86_pt *pt, uint64_t addr)
{
	/* Identity map: the linear address is the physical one, so it must
	 * be canonical and in the lower half (below 2^47, or 2^56 with 5
	 * levels), and a physical address has at most 52 bits. */
	unsigned int bits = 12 + 9 * pt->levels - 1, level, i;
	uint64_t table;

	if (addr >> (bits < 52 ? bits : 52))
		return -1;
	level = first_absent(pt, addr, &table);
	if (!level)
		return 0;
	/* Tables for every level below the absent entry; count first so
	 * that a failure writes nothing. */
	if (level - 1 > pt->nr_spare)
		return -1;

	/* Link new, zeroed tables top-down, then the page itself.  Nothing
	 * else walks these tables meanwhile: one CPU, interrupts off. */
	for (; level > 1; level--) {
		uint64_t page = pt->spare;

		pt->spare += X86_PAGE_SIZE;
		pt->nr_spare--;
		for (i = 0; i < 512; i++)
			*entry(pt, page, i) = 0;
		*entry(pt, table, index_of(addr, level)) =
			page | X86_PTE_P | X86_PTE_RW;
		table = page;
	}
	/* RW is moot (kexec's relocate_kernel clears CR0.WP), but says what
	 * the page is for. */
	*entry(pt, table, index_of(addr, 1)) = (addr & X86_PTE_ADDR) |
		X86_PTE_P | X86_PTE_RW | X86_PTE_PCD | X86_PTE_PWT;
	return 1;
}
