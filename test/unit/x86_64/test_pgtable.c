/* test/unit: the x86_64 purgatory's page-table insertion
 * (purgatory/arch/x86_64/pgtable.c) on a simulated physical memory: 64
 * pages of a buffer stand for physical 0..256 KiB, holding the tables;
 * the addresses mapped are MMIO addresses far above, never dereferenced.
 * An independent walker here checks each result as the CPU would read
 * it, and a copy of the memory shows what else was written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "purgatory/arch/x86_64/pgtable.h"

#define PAGES 64
#define SPARE0 32		/* spare pages: 32..39 */
#define NSPARE 8
#define UART 0xfe001000ull	/* an MMIO UART above 2 GiB of RAM */
#define LEAF (X86_PTE_P | X86_PTE_RW | X86_PTE_PCD | X86_PTE_PWT)

static _Alignas(4096) uint8_t mem[PAGES * 4096];
static uint8_t before[sizeof(mem)];
static struct x86_pt pt;

static uint64_t *table(unsigned int page)
{
	return (uint64_t *)(mem + page * 4096);
}

static uint64_t phys(unsigned int page)
{
	return (uint64_t)page * 4096;
}

static unsigned int idx(uint64_t addr, unsigned int level)
{
	return (addr >> (12 + 9 * (level - 1))) & 511;
}

/* A fresh tree: root table in page 1, the rest of memory garbage apart
 * from the tables the test links in (spare pages too: they must be
 * zeroed before use). */
static void reset(unsigned int levels)
{
	memset(mem, 0xa5, sizeof(mem));
	memset(table(1), 0, 4096);
	pt.phys_base = (uintptr_t)mem;
	pt.root = phys(1);
	pt.levels = levels;
	pt.spare = phys(SPARE0);
	pt.nr_spare = NSPARE;
}

/* An empty table in page p, linked at `level`'s entry for addr in the
 * table of page parent. */
static void link_table(unsigned int parent, unsigned int level, uint64_t addr,
		       unsigned int p)
{
	memset(table(p), 0, 4096);
	table(parent)[idx(addr, level)] = phys(p) | X86_PTE_P | X86_PTE_RW;
}

/* What the MMU would do: the physical address addr translates to, or -1
 * when a level is absent; *leaf = the final entry, *size = its page size. */
static int64_t walk(uint64_t addr, uint64_t *leaf, uint64_t *size)
{
	uint64_t t = pt.root;
	unsigned int level;

	for (level = pt.levels; level >= 1; level--) {
		uint64_t e;

		assert_true(t + 4096 <= sizeof(mem));
		e = ((uint64_t *)(mem + t))[idx(addr, level)];
		if (!(e & X86_PTE_P))
			return -1;
		if (level == 1 || ((level == 2 || level == 3) && (e & X86_PTE_PS))) {
			*size = 1ull << (12 + 9 * (level - 1));
			*leaf = e;
			return (int64_t)((e & X86_PTE_ADDR & ~(*size - 1)) |
					 (addr & (*size - 1)));
		}
		t = e & X86_PTE_ADDR;
	}
	return -1;
}

/* addr maps 1:1 through a new uncached 4 KiB entry. */
static void expect_mapped_4k(uint64_t addr)
{
	uint64_t leaf = 0, size = 0;

	assert_int_equal(walk(addr, &leaf, &size), (int64_t)addr);
	assert_int_equal(size, 4096);
	assert_int_equal(leaf & ~X86_PTE_ADDR, LEAF);
}

static unsigned int present_entries(unsigned int page)
{
	unsigned int i, n = 0;

	for (i = 0; i < 512; i++)
		n += table(page)[i] & X86_PTE_P;
	return n;
}

/* Nothing below the PML4: PDPT, PD and PT come from the spares, zeroed,
 * one entry each; a second call changes nothing, and the next page
 * shares the new page table. */
static void test_absent_pml4e(void **state)
{
	unsigned int p;

	reset(4);
	assert_int_equal(x86_pt_map_uncached(&pt, UART + 0x40), 1);
	expect_mapped_4k(UART);
	expect_mapped_4k(UART + 0xfff);
	assert_int_equal(pt.nr_spare, NSPARE - 3);
	assert_int_equal(pt.spare, phys(SPARE0 + 3));
	for (p = SPARE0; p < SPARE0 + 3; p++)
		assert_int_equal(present_entries(p), 1);
	assert_int_equal(present_entries(1), 1);

	memcpy(before, mem, sizeof(mem));
	assert_int_equal(x86_pt_map_uncached(&pt, UART), 0);
	assert_memory_equal(mem, before, sizeof(mem));

	assert_int_equal(x86_pt_map_uncached(&pt, UART + 0x1000), 1);
	expect_mapped_4k(UART + 0x1000);
	assert_int_equal(pt.nr_spare, NSPARE - 3);
	assert_int_equal(present_entries(SPARE0 + 2), 2);
}

/* kexec's usual shape: RAM 0..2 GiB in two 1 GiB pages, nothing at
 * PDPT[3] where the UART is: a PD and a PT are added, RAM untouched. */
static void test_absent_pdpte(void **state)
{
	uint64_t leaf, size;

	reset(4);
	link_table(1, 4, 0, 2);
	table(2)[0] = 0x00000000 | X86_PTE_P | X86_PTE_RW | X86_PTE_PS;
	table(2)[1] = 0x40000000 | X86_PTE_P | X86_PTE_RW | X86_PTE_PS;
	assert_int_equal(x86_pt_map_uncached(&pt, UART), 1);
	expect_mapped_4k(UART);
	assert_int_equal(pt.nr_spare, NSPARE - 2);
	assert_int_equal(present_entries(2), 3);
	assert_int_equal(walk(0x7fffffff, &leaf, &size), 0x7fffffff);
	assert_int_equal(size, 1ull << 30);
}

static void test_absent_pde(void **state)
{
	reset(4);
	link_table(1, 4, UART, 2);
	link_table(2, 3, UART, 3);
	assert_int_equal(x86_pt_map_uncached(&pt, UART), 1);
	expect_mapped_4k(UART);
	assert_int_equal(pt.nr_spare, NSPARE - 1);
}

/* A page table exists, the UART's entry is empty: no new table, and the
 * table's other entries stay as they were. */
static void test_absent_pte(void **state)
{
	reset(4);
	link_table(1, 4, UART, 2);
	link_table(2, 3, UART, 3);
	link_table(3, 2, UART, 4);
	table(4)[0] = 0xfe000000 | LEAF;
	table(4)[511] = 0xfe1ff000 | LEAF;
	assert_int_equal(x86_pt_map_uncached(&pt, UART), 1);
	expect_mapped_4k(UART);
	assert_int_equal(pt.nr_spare, NSPARE);
	assert_int_equal(table(4)[0], 0xfe000000 | LEAF);
	assert_int_equal(table(4)[511], 0xfe1ff000 | LEAF);
	assert_int_equal(present_entries(4), 3);
}

/* A 1 GiB page, a 2 MiB page or a 4 KiB entry already covering the UART:
 * nothing is written, whatever its attributes. */
static void test_already_mapped(void **state)
{
	reset(4);
	link_table(1, 4, UART, 2);
	table(2)[idx(UART, 3)] = 0xc0000000 | X86_PTE_P | X86_PTE_RW | X86_PTE_PS;
	memcpy(before, mem, sizeof(mem));
	assert_int_equal(x86_pt_map_uncached(&pt, UART), 0);
	assert_memory_equal(mem, before, sizeof(mem));

	reset(4);
	link_table(1, 4, UART, 2);
	link_table(2, 3, UART, 3);
	table(3)[idx(UART, 2)] = 0xfe000000 | X86_PTE_P | X86_PTE_RW | X86_PTE_PS;
	memcpy(before, mem, sizeof(mem));
	assert_int_equal(x86_pt_map_uncached(&pt, UART), 0);
	assert_memory_equal(mem, before, sizeof(mem));

	reset(4);
	link_table(1, 4, UART, 2);
	link_table(2, 3, UART, 3);
	link_table(3, 2, UART, 4);
	table(4)[idx(UART, 1)] = UART | X86_PTE_P | X86_PTE_RW;
	memcpy(before, mem, sizeof(mem));
	assert_int_equal(x86_pt_map_uncached(&pt, UART), 0);
	assert_memory_equal(mem, before, sizeof(mem));
}

/* CR4.LA57: five levels, four new tables; an address above 2^47 is fine
 * there, and not with four levels. */
static void test_5level(void **state)
{
	const uint64_t high = 0x0001234567890000ull; /* bit 48 set */

	reset(5);
	assert_int_equal(x86_pt_map_uncached(&pt, UART), 1);
	expect_mapped_4k(UART);
	assert_int_equal(pt.nr_spare, NSPARE - 4);
	assert_int_equal(x86_pt_map_uncached(&pt, high), 1);
	expect_mapped_4k(high);

	reset(4);
	memcpy(before, mem, sizeof(mem));
	assert_int_equal(x86_pt_map_uncached(&pt, high), -1);
	assert_int_equal(x86_pt_map_uncached(&pt, 0x0000800000000000ull), -1);
	assert_memory_equal(mem, before, sizeof(mem));
	/* Beyond 52 physical address bits even with five levels. */
	reset(5);
	assert_int_equal(x86_pt_map_uncached(&pt, 1ull << 52), -1);
}

/* Too few spare pages: refused before anything is written. */
static void test_out_of_spares(void **state)
{
	reset(4);
	pt.nr_spare = 2;
	memcpy(before, mem, sizeof(mem));
	assert_int_equal(x86_pt_map_uncached(&pt, UART), -1);
	assert_memory_equal(mem, before, sizeof(mem));
	assert_int_equal(pt.nr_spare, 2);
	pt.nr_spare = 3;
	assert_int_equal(x86_pt_map_uncached(&pt, UART), 1);
	expect_mapped_4k(UART);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_absent_pml4e),
		cmocka_unit_test(test_absent_pdpte),
		cmocka_unit_test(test_absent_pde),
		cmocka_unit_test(test_absent_pte),
		cmocka_unit_test(test_already_mapped),
		cmocka_unit_test(test_5level),
		cmocka_unit_test(test_out_of_spares),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
