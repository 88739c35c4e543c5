/* Host unit tests: what the arm64 purgatory maps and how
 * (purgatory/arch/arm64/idmap.c), per translation regime: the ranges from
 * struct purgatory_args (page-rounded, nothing else), their attributes, the
 * TCR/MAIR/TTBR0 values, the list cleaned before the jump, and every
 * reason to hash with the MMU off, with the line it prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kexshim/purgatory.h"
#include "purgatory/purgatory.h"
#include "purgatory/arch/arm64/idmap.h"
#include "purgatory/arch/arm64/pgtable.h"

#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)

#define POOL_PHYS 0x48010000ull		/* inside the blob, as in mmu.c */
#define BLOB 0x48000000ull
#define BLOB_END (BLOB + 0x72a50)	/* mem_size need not be page-rounded */
#define UART 0x09000000ull

/* ID_AA64MMFR0_EL1 with TGran4 = 0b0000 and PARange = pa. */
#define MMFR0(pa) ((uint64_t)(pa))
#define MMFR0_NO_4K (0xfull << 28 | 5)

/* Leaf attributes as the Arm ARM wants them: AF, Inner Shareable, AttrIndx. */
#define BASE_NORMAL (PTE_AF | PTE_SH_INNER | PTE_ATTRINDX(IDMAP_ATTR_NORMAL))
#define BASE_DEVICE (PTE_AF | PTE_SH_INNER | PTE_ATTRINDX(IDMAP_ATTR_DEVICE))

static uint64_t (*pool)[PGT_ENTRIES];
static struct pgt t;
static struct idmap m;
static struct purgatory_args args;

struct capture {
	char buf[256];
	size_t len;
};
static struct capture cap;

static void capture_putc(void *ctx, char c)
{
	struct capture *c2 = ctx;

	assert_true(c2->len + 1 < sizeof(c2->buf));
	c2->buf[c2->len++] = c;
	c2->buf[c2->len] = '\0';
}

static const struct pg_out out = { .putc = capture_putc, .ctx = &cap };

static void add_region(uint64_t start, uint64_t len)
{
	args.regions[args.nr_regions].start = start;
	args.regions[args.nr_regions].len = len;
	args.nr_regions++;
}

/* A kexshim-like plan: kernel, initrd at an odd address and length, dtb. */
static int setup(void **state)
{
	pool = aligned_alloc(4096, IDMAP_POOL_TABLES * 4096);
	if (!pool)
		return -1;
	memset(pool, 0x5a, IDMAP_POOL_TABLES * 4096);
	memset(&args, 0, sizeof(args));
	memset(&m, 0xee, sizeof(m));
	memset(&cap, 0, sizeof(cap));
	args.console.type = PURGATORY_CONSOLE_PL011;
	args.console.base = UART;
	add_region(0x40200000, 34000000);
	add_region(0x44000001, 2000003);
	add_region(0x47e00000, 0x1f00);
	return pgt_init(&t, pool, POOL_PHYS, IDMAP_POOL_TABLES);
}

static int teardown(void **state)
{
	free(pool);
	return 0;
}

static int build(unsigned int el, int e2h, uint64_t mmfr0)
{
	struct idmap_cpu cpu = { .el = el, .e2h = e2h, .mmfr0 = mmfr0 };
	int ret = idmap_build(&m, &t, &cpu, &args, BLOB, BLOB_END);

	if (ret)
		idmap_print_error(&out, &m, &cpu, ret);
	return ret;
}

/* Return: the leaf descriptor mapping va (0 if none), as the MMU walks. */
static uint64_t leaf(uint64_t va)
{
	uint64_t *tab = pool[0];
	unsigned int l;

	for (l = 0; l <= 3; l++) {
		uint64_t e = tab[(va >> (39 - 9 * l)) & 511];

		if (!(e & 1))
			return 0;
		if (l == 3 || (e & 3) == PTE_TYPE_BLOCK)
			return e;
		tab = pool[((e & PTE_ADDR_MASK) - POOL_PHYS) / 4096];
	}
	return 0;
}

static uint64_t attrs_of(uint64_t va)
{
	uint64_t e = leaf(va);

	assert_int_not_equal(e, 0);
	return e & ~(PTE_ADDR_MASK | PTE_TYPE_MASK);
}

static void assert_clean(unsigned int i, uint64_t start, uint64_t end)
{
	assert_int_equal(m.clean[i].start, start);
	assert_int_equal(m.clean[i].end, end);
}

/* EL1&0, 48-bit PA: Normal WB for the blob (executable) and the regions
 * (not), Device for the UART; the TCR in the TCR_EL1 layout. */
static void test_el1(void **state)
{
	assert_int_equal(build(1, 0, MMFR0(5)), 0);
	assert_int_equal(m.pa_bits, 48);
	assert_int_equal(m.mair, 0x04ff);
	assert_int_equal(m.ttbr0, POOL_PHYS);
	/* T0SZ 16, IRGN0/ORGN0 WBWA, SH0 inner, TG0 4K, T1SZ 16, EPD1,
	 * TG1 4K (0b10), IPS 0b101. */
	assert_int_equal(m.tcr, 0x10 | 0x100 | 0x400 | 0x3000 | 0x100000 |
			 0x800000 | 0x80000000ull | 0x500000000ull);
	assert_int_equal(attrs_of(BLOB), BASE_NORMAL);
	assert_int_equal(attrs_of(0x40200000), BASE_NORMAL | PTE_PXN | PTE_UXN);
	assert_int_equal(attrs_of(UART), BASE_DEVICE | PTE_PXN | PTE_UXN);
	assert_int_equal(m.nr_mapped, 5);
	assert_int_equal(cap.len, 0);
}

/* EL2 without E2H: AP[1] RES1, one XN bit (54), PXN (53) RES0; TCR_EL2's
 * own layout with PS at [18:16] and RES1 bits 31 and 23. */
static void test_el2(void **state)
{
	assert_int_equal(build(2, 0, MMFR0(2)), 0);
	assert_int_equal(m.pa_bits, 40);
	assert_int_equal(m.tcr, 0x10 | 0x100 | 0x400 | 0x3000 | (2 << 16) |
			 (1ull << 31) | (1 << 23));
	assert_int_equal(attrs_of(BLOB), BASE_NORMAL | PTE_AP1);
	assert_int_equal(attrs_of(0x44000000), BASE_NORMAL | PTE_AP1 | PTE_UXN);
	assert_int_equal(attrs_of(UART), BASE_DEVICE | PTE_AP1 | PTE_UXN);
}

/* EL2 with E2H: the EL2&0 regime, TCR_EL2 in the TCR_EL1 layout, EL1
 * attributes (AP[1] would give EL0 access and make the code PXN). */
static void test_el2_e2h(void **state)
{
	assert_int_equal(build(2, 1, MMFR0(1)), 0);
	assert_int_equal(m.pa_bits, 36);
	assert_int_equal(m.tcr, 0x10 | 0x100 | 0x400 | 0x3000 | 0x100000 |
			 0x800000 | 0x80000000ull | 0x100000000ull);
	assert_int_equal(attrs_of(BLOB), BASE_NORMAL);
	assert_int_equal(attrs_of(0x47e01000), BASE_NORMAL | PTE_PXN | PTE_UXN);
}

/* 52-bit PARange: the 4 KiB granule without FEAT_LPA2 outputs 48 bits. */
static void test_pa52_is_48(void **state)
{
	assert_int_equal(build(1, 0, MMFR0(6)), 0);
	assert_int_equal(m.pa_bits, 48);
	assert_int_equal(m.tcr >> 32 & 7, 5);
}

/* Only the pages of the ranges: page-rounded, edges exact, and the clean
 * list is the Normal ones in order (blob first, no console). */
static void test_exact_pages(void **state)
{
	assert_int_equal(build(1, 0, MMFR0(5)), 0);
	assert_int_equal(m.nr_clean, 4);
	assert_clean(0, BLOB, 0x48073000);
	assert_clean(1, 0x40200000, 0x4226d000);	/* ends at 0x4226cc80 */
	assert_clean(2, 0x44000000, 0x441e9000);	/* ends at 0x441e8484 */
	assert_clean(3, 0x47e00000, 0x47e02000);
	assert_int_not_equal(leaf(0x48072000), 0);
	assert_int_equal(leaf(0x48073000), 0);
	assert_int_equal(leaf(0x401ff000), 0);
	assert_int_not_equal(leaf(0x4226c000), 0);
	assert_int_equal(leaf(0x4226d000), 0);
	assert_int_equal(leaf(0x43fff000), 0);
	assert_int_not_equal(leaf(0x441e8000), 0);
	assert_int_equal(leaf(0x441e9000), 0);
	assert_int_equal(leaf(0x47e02000), 0);
	assert_int_equal(leaf(UART - 0x1000), 0);
	assert_int_equal(leaf(UART + 0x1000), 0);
	assert_int_equal(leaf(0), 0);
}

/* An empty region reads nothing: not mapped, wherever it claims to be. */
static void test_empty_region_not_mapped(void **state)
{
	add_region(0xfffffffffffff000ull, 0);
	assert_int_equal(build(1, 0, MMFR0(5)), 0);
	assert_int_equal(m.nr_clean, 4);
}

/* A region ending exactly at the top of the PA range fits; one byte more,
 * or a length that wraps around, does not, and the map is not used. */
static void test_pa_range_edges(void **state)
{
	add_region((1ull << 40) - 0x100, 0x100);
	assert_int_equal(build(1, 0, MMFR0(2)), 0);
	assert_int_not_equal(leaf((1ull << 40) - 1), 0);

	assert_int_equal(pgt_init(&t, pool, POOL_PHYS, IDMAP_POOL_TABLES), 0);
	args.regions[3].len = 0x101;
	assert_int_equal(build(1, 0, MMFR0(2)), IDMAP_ERANGE);
	assert_int_equal(m.bad, 3);
	assert_int_equal(m.nr_clean, 0);
	assert_string_equal(cap.buf, "purgatory: hashing with the MMU off: "
			    "segment 3 is beyond the 40-bit physical address range\n");

	memset(&cap, 0, sizeof(cap));
	args.regions[3].start = 0x40000000;
	args.regions[3].len = ~0ull - 0x10;
	assert_int_equal(pgt_init(&t, pool, POOL_PHYS, IDMAP_POOL_TABLES), 0);
	assert_int_equal(build(1, 0, MMFR0(5)), IDMAP_ERANGE);
	assert_int_equal(m.bad, 3);
}

static void test_console_beyond_pa(void **state)
{
	args.console.base = 1ull << 36;
	assert_int_equal(build(1, 0, MMFR0(1)), IDMAP_ERANGE);
	assert_int_equal(m.bad, IDMAP_BAD_CONSOLE);
	assert_string_equal(cap.buf, "purgatory: hashing with the MMU off: "
			    "the console is beyond the 36-bit physical address range\n");
}

static void test_purgatory_beyond_pa(void **state)
{
	struct idmap_cpu cpu = { .el = 1, .mmfr0 = MMFR0(0) };

	assert_int_equal(idmap_build(&m, &t, &cpu, &args, 1ull << 32,
				     (1ull << 32) + 0x8000), IDMAP_ERANGE);
	assert_int_equal(m.bad, IDMAP_BAD_PURGATORY);
}

/* A segment on top of the purgatory's own pages (executable there, not
 * in a segment) cannot be both. */
static void test_region_over_blob(void **state)
{
	args.regions[1].start = BLOB + 0x1000;
	assert_int_equal(build(2, 0, MMFR0(5)), IDMAP_ECONFLICT);
	assert_int_equal(m.bad, 1);
	assert_int_equal(m.nr_clean, 0);
	assert_string_equal(cap.buf, "purgatory: hashing with the MMU off: "
			    "segment 1 overlaps a mapping with other attributes\n");
}

/* The UART inside a segment: Device and Normal for one page. */
static void test_console_in_region(void **state)
{
	args.console.base = 0x40200000 + 0x5000;
	assert_int_equal(build(1, 0, MMFR0(5)), IDMAP_ECONFLICT);
	assert_int_equal(m.bad, 0);
}

/* A console that is not MMIO needs no mapping; an unaligned base gets the
 * pages its registers can reach. */
static void test_console_kinds(void **state)
{
	args.console.type = PURGATORY_CONSOLE_NONE;
	assert_int_equal(build(1, 0, MMFR0(5)), 0);
	assert_int_equal(m.nr_mapped, 4);
	assert_int_equal(leaf(UART), 0);

	assert_int_equal(pgt_init(&t, pool, POOL_PHYS, IDMAP_POOL_TABLES), 0);
	args.console.type = PURGATORY_CONSOLE_8250_IO;
	args.console.base = 0x3f8;
	assert_int_equal(build(1, 0, MMFR0(5)), 0);
	assert_int_equal(leaf(0), 0);

	assert_int_equal(pgt_init(&t, pool, POOL_PHYS, IDMAP_POOL_TABLES), 0);
	args.console.type = PURGATORY_CONSOLE_8250_MMIO;
	args.console.base = 0xfe215040;
	args.console.reg_shift = 2;
	assert_int_equal(build(1, 0, MMFR0(5)), 0);
	assert_int_equal(attrs_of(0xfe215000), BASE_DEVICE | PTE_PXN | PTE_UXN);
	assert_int_equal(attrs_of(0xfe216000), BASE_DEVICE | PTE_PXN | PTE_UXN);
	assert_int_equal(leaf(0xfe217000), 0);
	assert_int_equal(m.nr_clean, 4);
}

static void test_no_4k_granule(void **state)
{
	assert_int_equal(build(1, 0, MMFR0_NO_4K), IDMAP_EGRANULE);
	assert_int_equal(m.nr_clean, 0);
	assert_string_equal(cap.buf, "purgatory: hashing with the MMU off: "
			    "no 4 KiB translation granule\n");
	/* 0b0001 (4 KiB with 52-bit addresses) has it. */
	assert_int_equal(build(1, 0, 1ull << 28 | 5), 0);
}

static void test_wrong_el(void **state)
{
	assert_int_equal(build(3, 0, MMFR0(5)), IDMAP_EEL);
	assert_string_equal(cap.buf, "purgatory: hashing with the MMU off: running at EL3\n");
}

static void test_bad_count(void **state)
{
	args.nr_regions = PURGATORY_MAX_REGIONS + 1;
	assert_int_equal(build(1, 0, MMFR0(5)), IDMAP_ECOUNT);
	assert_int_equal(m.nr_clean, 0);
}

static void test_pool_exhausted(void **state)
{
	assert_int_equal(pgt_init(&t, pool, POOL_PHYS, 5), 0);
	/* Blob: root + 3 tables; the UART, in another GiB: 2 more. */
	assert_int_equal(build(1, 0, MMFR0(5)), IDMAP_ENOMEM);
	assert_int_equal(m.bad, IDMAP_BAD_CONSOLE);
	assert_string_equal(cap.buf, "purgatory: hashing with the MMU off: "
			    "out of page tables at the console\n");
}

/* IDMAP_POOL_TABLES holds the worst case: 16 regions, the blob and the
 * console, each two pages across a 512 GiB boundary of its own. */
static void test_worst_case_fits(void **state)
{
	struct idmap_cpu cpu = { .el = 1, .mmfr0 = MMFR0(5) };
	uint64_t b;
	unsigned int i;

	args.nr_regions = 0;
	for (i = 0; i < PURGATORY_MAX_REGIONS; i++)
		add_region((2 * i + 1) * 512 * GiB - 0x800, 0x1000);
	args.console.base = 33 * 512 * GiB - 0x800;
	b = 35 * 512 * GiB - 0x1000;
	assert_int_equal(idmap_build(&m, &t, &cpu, &args, b, b + 0x1800), 0);
	assert_int_equal(t.used, IDMAP_POOL_TABLES);
	assert_int_equal(m.nr_clean, PURGATORY_MAX_REGIONS + 1);
	assert_int_equal(m.nr_mapped, IDMAP_MAX_RANGES);
	assert_int_equal(IDMAP_POOL_TABLES * 4096, 436 * 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_el1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_el2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_el2_e2h, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pa52_is_48, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exact_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_region_not_mapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pa_range_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_beyond_pa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purgatory_beyond_pa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_region_over_blob, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_in_region, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_4k_granule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_el, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhausted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worst_case_fits, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
