/* purgatory (arm64): turn the MMU and the caches on for the hashing.
 * Called by entry.S between two kernels, once our vectors are in place,
 * with the MMU and the D-cache off as kexec left them: every access is then
 * Device-nGnRnE, uncached and one at a time, and hashing the segments that
 * way is what took kexec-tools' arm64 purgatory minutes on real machines.
 * With an identity map of Normal Write-Back memory the same code hashes at
 * cache speed; enter_kernel.S undoes all of it before the jump. */
#include "arm64.h"
#include "common/util.h"
#include "idmap.h"
#include "pgtable.h"
#include "purgatory.h"

#define HCR_EL2_E2H		(1ull << 34)
/* SCTLR_ELx: the same bits in the EL1 and EL2 layouts. */
#define SCTLR_M			(1ull << 0)	/* stage 1 MMU */
#define SCTLR_C			(1ull << 2)	/* data and unified caches */
#define SCTLR_I			(1ull << 12)	/* instruction cache */
#define SCTLR_WXN		(1ull << 19)	/* writable means XN */
/* CTR_EL0.DminLine, bits [19:16]: log2 of the smallest D-cache line in
 * 4-byte words. */
#define CTR_DMINLINE(r)		(((r) >> 16) & 0xf)

/* The tables, in the blob's memory but not in its file; outside .bss (the
 * linker script puts .bss.pgtable in its own 4 KiB-aligned section) since
 * pgtable.c zeroes each table as it hands it out. */
static uint64_t pool[IDMAP_POOL_TABLES][PGT_ENTRIES]
	__attribute__((section(".bss.pgtable"), aligned(4096)));
_Static_assert(ARRAY_SIZE(pool) >= PGT_WORST_CASE(PURGATORY_MAX_REGIONS + 2),
	       "the pool must hold the worst case: every region, the "
	       "purgatory and the console");

/* Read by enter_kernel.S: the ranges to clean to the PoC before the jump
 * (none if the MMU stayed off).  In .bss, cleared by entry.S. */
struct idmap arm64_idmap;

/* Where the blob's memory ends (args->mem_size from its start). */
extern char __purgatory_end[];

/* Return: bytes in the smallest D-cache line of any cache level. */
static uint64_t dcache_line(void)
{
	return 4ull << CTR_DMINLINE(read_sysreg(ctr_el0));
}

/*
 * Invalidate [start, end) (whole lines: the blob's range is page aligned)
 * to the PoC.  We wrote the tables, the bss and the stack with the MMU
 * off, straight to memory; a line of the old kernel's for these addresses
 * (it had all RAM mapped cacheable) would hide what we wrote once the
 * caches are on.  Linux's head.S does the same for the tables it builds
 * with the MMU off.
 */
static void dcache_inval_poc(uint64_t start, uint64_t end)
{
	uint64_t line = dcache_line(), a;

	asm volatile("dsb sy" : : : "memory");
	for (a = start; a < end; a += line)
		asm volatile("dc ivac, %0" : : "r" (a) : "memory");
	asm volatile("dsb sy" : : : "memory");
}

/* Point the MMU at the map and turn it and both caches on, at our EL
 * (with HCR_EL2.E2H the _EL2 registers hold the EL1 layouts, which
 * m->tcr and the descriptors already follow). */
static void mmu_enable(unsigned int el, const struct idmap *m)
{
	uint64_t sctlr;

	if (el == 2) {
		write_sysreg(mair_el2, m->mair);
		write_sysreg(tcr_el2, m->tcr);
		write_sysreg(ttbr0_el2, m->ttbr0);
		asm volatile("isb\n\ttlbi alle2\n\tdsb nsh\n\tisb" : : : "memory");
		sctlr = read_sysreg(sctlr_el2);
	} else {
		write_sysreg(mair_el1, m->mair);
		write_sysreg(tcr_el1, m->tcr);
		write_sysreg(ttbr0_el1, m->ttbr0);
		asm volatile("isb\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
		sctlr = read_sysreg(sctlr_el1);
	}
	/* No stale instructions once the I-cache is on.  WXN off: our code
	 * shares its pages with the bss and the stack. */
	asm volatile("ic iallu\n\tdsb nsh\n\tisb" : : : "memory");
	sctlr = (sctlr | SCTLR_M | SCTLR_C | SCTLR_I) & ~SCTLR_WXN;
	if (el == 2)
		write_sysreg(sctlr_el2, sctlr);
	else
		write_sysreg(sctlr_el1, sctlr);
	asm volatile("isb" : : : "memory");
}

void arm64_mmu_on(const struct purgatory_args *args)
{
	struct pg_out out = {
		.putc = console_putc,
		.ctx = (void *)&args->console,
	};
	/* args sits at offset 0 of the blob, 4 KiB aligned (entry.S). */
	uint64_t blob = (uint64_t)(uintptr_t)args;
	uint64_t blob_end = (uint64_t)(uintptr_t)__purgatory_end;
	struct idmap_cpu cpu;
	struct pgt t;
	int ret;

	cpu.el = current_el();
	cpu.e2h = cpu.el == 2 && (read_sysreg(hcr_el2) & HCR_EL2_E2H);
	cpu.mmfr0 = read_sysreg(id_aa64mmfr0_el1);

	/* Identity: the pool's address as we see it is its physical one.
	 * pgt_init() cannot fail on a pool of more than no table. */
	(void)pgt_init(&t, pool, (uint64_t)(uintptr_t)pool, ARRAY_SIZE(pool));
	ret = idmap_build(&arm64_idmap, &t, &cpu, args, blob, blob_end);
	if (ret) {
		/* nr_clean is 0: enter_kernel.S has nothing to clean. */
		idmap_print_error(&out, &arm64_idmap, &cpu, ret);
		return;
	}

	dcache_inval_poc(blob, ALIGN_UP(blob_end, PGT_PAGE_SIZE));
	mmu_enable(cpu.el, &arm64_idmap);

	pg_puts(&out, "purgatory: MMU and caches on at EL");
	pg_put_dec(&out, cpu.el);
	if (cpu.e2h)
		pg_puts(&out, " (E2H)");
	pg_puts(&out, ": ");
	pg_put_dec(&out, arm64_idmap.nr_mapped);
	pg_puts(&out, " ranges in ");
	pg_put_dec(&out, t.used);
	pg_puts(&out, " page tables, ");
	pg_put_dec(&out, arm64_idmap.pa_bits);
	pg_puts(&out, "-bit PA\n");
}
