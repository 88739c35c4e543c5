/* Host unit tests: the arm64 purgatory's page-table builder
 * (purgatory/arch/arm64/pgtable.c) on a heap pool that claims to sit at
 * another physical address, read back by a walker that follows the
 * descriptors as the MMU would (4 KiB granule, levels 0 to 3): which
 * entries, block or page, which attributes, nothing outside the ranges,
 * conflicts, pool exhaustion and the worst case PGT_WORST_CASE() promises. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "purgatory/arch/arm64/pgtable.h"

#define KiB 1024ull
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)
#define TiB (1024 * GiB)

/* Where the pool claims to be: the descriptors hold this, never the host
 * pointer. */
#define POOL_PHYS 0x8765430000ull
#define POOL_MAX 128

/* Two attribute sets, as the purgatory's Normal and Device leaves. */
#define NORMAL (PTE_AF | PTE_SH_INNER | PTE_ATTRINDX(0))
#define DEVICE (PTE_AF | PTE_SH_INNER | PTE_ATTRINDX(1) | PTE_PXN | PTE_UXN)

static uint64_t (*pool)[PGT_ENTRIES];
static struct pgt t;

static int setup(void **state)
{
	pool = aligned_alloc(4096, POOL_MAX * 4096);
	if (!pool)
		return -1;
	/* The builder must zero what it hands out. */
	memset(pool, 0xa5, POOL_MAX * 4096);
	return pgt_init(&t, pool, POOL_PHYS, POOL_MAX);
}

static int teardown(void **state)
{
	free(pool);
	return 0;
}

/* Return: the pool table a table descriptor points at (asserting it is a
 * table of the pool that was handed out). */
static uint64_t *follow(uint64_t desc)
{
	uint64_t pa = desc & PTE_ADDR_MASK;

	assert_int_equal(desc & ~PTE_ADDR_MASK, PTE_TYPE_TABLE);
	assert_true(pa >= POOL_PHYS);
	assert_int_equal((pa - POOL_PHYS) % 4096, 0);
	assert_true((pa - POOL_PHYS) / 4096 < t.used);
	return pool[(pa - POOL_PHYS) / 4096];
}

/* Walk va.  Return: the leaf descriptor, 0 if unmapped; *level = the
 * level of the leaf (1, 2 block; 3 page) or of the invalid entry. */
static uint64_t walk(uint64_t va, unsigned int *level)
{
	uint64_t *tab = pool[0];
	unsigned int l;

	for (l = 0; l <= 3; l++) {
		uint64_t e = tab[(va >> (39 - 9 * l)) & 511];

		*level = l;
		if (!(e & 1))
			return 0;
		if (l == 3) {
			assert_int_equal(e & 3, PTE_TYPE_PAGE);
			return e;
		}
		if ((e & 3) == PTE_TYPE_BLOCK) {
			assert_true(l == 1 || l == 2);
			return e;
		}
		tab = follow(e);
	}
	return 0;
}

/* va is mapped, identity, with attrs, by a leaf at level. */
static void assert_leaf(uint64_t va, uint64_t attrs, unsigned int level)
{
	unsigned int l;
	uint64_t e = walk(va, &l);
	uint64_t size = 1ull << (39 - 9 * level);

	assert_int_not_equal(e, 0);
	assert_int_equal(l, level);
	assert_int_equal(e & PTE_ADDR_MASK, va & ~(size - 1) & PTE_ADDR_MASK);
	assert_int_equal(e & ~(PTE_ADDR_MASK | PTE_TYPE_MASK), attrs);
}

static void assert_unmapped(uint64_t va)
{
	unsigned int l;

	assert_int_equal(walk(va, &l), 0);
}

/* Return: the number of valid entries in all tables handed out. */
static unsigned int valid_entries(void)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < t.used; i++)
		for (j = 0; j < PGT_ENTRIES; j++)
			n += pool[i][j] & 1;
	return n;
}

static void test_init_zeroes_root(void **state)
{
	unsigned int i;

	assert_int_equal(t.used, 1);
	for (i = 0; i < PGT_ENTRIES; i++)
		assert_int_equal(pool[0][i], 0);
	/* Table 1 is not handed out yet: still the fill pattern. */
	assert_int_equal(pool[1][0], 0xa5a5a5a5a5a5a5a5ull);
	assert_int_equal(pgt_init(&t, pool, POOL_PHYS, 0), PGT_ENOMEM);
}

/* One page: a table at each level 0..2, then the page; the table
 * descriptors carry POOL_PHYS + 4 KiB * n in the order handed out. */
static void test_one_page(void **state)
{
	assert_int_equal(pgt_map(&t, 0x40000000, 0x40001000, NORMAL), 0);
	assert_int_equal(t.used, 4);
	assert_int_equal(pool[0][0], (POOL_PHYS + 0x1000) | PTE_TYPE_TABLE);
	assert_int_equal(pool[1][1], (POOL_PHYS + 0x2000) | PTE_TYPE_TABLE);
	assert_int_equal(pool[2][0], (POOL_PHYS + 0x3000) | PTE_TYPE_TABLE);
	assert_int_equal(pool[3][0], 0x40000000 | NORMAL | PTE_TYPE_PAGE);
	assert_int_equal(valid_entries(), 4);
	assert_leaf(0x40000fff, NORMAL, 3);
	assert_unmapped(0x3ffff000);
	assert_unmapped(0x40001000);
}

static void test_2mib_block(void **state)
{
	assert_int_equal(pgt_map(&t, 0x40200000, 0x40400000, DEVICE), 0);
	assert_int_equal(t.used, 3);	/* no level-3 table */
	assert_leaf(0x40200000, DEVICE, 2);
	assert_leaf(0x403fffff, DEVICE, 2);
	assert_unmapped(0x401ff000);
	assert_unmapped(0x40400000);
	assert_int_equal(valid_entries(), 3);
}

static void test_1gib_block(void **state)
{
	assert_int_equal(pgt_map(&t, 0x80000000, 0xc0000000, NORMAL), 0);
	assert_int_equal(t.used, 2);	/* root and one level-1 table */
	assert_leaf(0x80000000, NORMAL, 1);
	assert_leaf(0xbfffffff, NORMAL, 1);
	assert_unmapped(0x7ffff000);
	assert_unmapped(0xc0000000);
}

/* Two pages either side of a 2 MiB boundary: two level-3 tables with one
 * page each, not a block. */
static void test_straddle_2mib(void **state)
{
	assert_int_equal(pgt_map(&t, 0x401ff000, 0x40201000, NORMAL), 0);
	assert_int_equal(t.used, 5);
	assert_leaf(0x401ff000, NORMAL, 3);
	assert_leaf(0x40200000, NORMAL, 3);
	assert_unmapped(0x401fe000);
	assert_unmapped(0x40201000);
	assert_int_equal(valid_entries(), 1 + 1 + 2 + 2);
}

/* Pages at the edges, blocks between: 1 page, 2 MiB blocks, 1 GiB block,
 * 2 MiB blocks, 3 pages, crossing two 1 GiB boundaries. */
static void test_blocks_between_pages(void **state)
{
	uint64_t s = 1 * GiB - 2 * MiB - 4 * KiB, e = 3 * GiB + 2 * MiB + 12 * KiB;

	assert_int_equal(pgt_map(&t, s, e, NORMAL), 0);
	assert_leaf(s, NORMAL, 3);
	assert_unmapped(s - 4 * KiB);
	assert_leaf(1 * GiB - 2 * MiB, NORMAL, 2);
	assert_leaf(1 * GiB, NORMAL, 1);
	assert_leaf(2 * GiB, NORMAL, 1);
	assert_leaf(3 * GiB, NORMAL, 2);
	assert_leaf(3 * GiB + 2 * MiB, NORMAL, 3);
	assert_leaf(e - 4 * KiB, NORMAL, 3);
	assert_unmapped(e);
	/* Root, level 1, level 2 x2, level 3 x2. */
	assert_int_equal(t.used, 6);
}

static uint64_t rng = 88172645463325252ull;

static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* The level the leaf for va must have in a map of [s, e) alone: the
 * largest block that lies whole inside the range. */
static unsigned int want_level(uint64_t s, uint64_t e, uint64_t va)
{
	unsigned int l;

	for (l = 1; l < 3; l++) {
		uint64_t size = 1ull << (39 - 9 * l);
		uint64_t b = va & ~(size - 1);

		if (b >= s && b + size <= e)
			return l;
	}
	return 3;
}

/* Random ranges, each alone in a fresh pool: every probed address inside
 * is mapped by the largest block that fits, the pages just outside are
 * not, and the tables stay within the worst case. */
static void test_random_ranges(void **state)
{
	unsigned int n, k;

	for (n = 0; n < 2000; n++) {
		uint64_t s, e, len, probe[8];

		assert_int_equal(pgt_init(&t, pool, POOL_PHYS, POOL_MAX), 0);
		s = (xorshift() % (1ull << 36)) & ~0xfffull;
		switch (n % 4) {
		case 0: len = xorshift() % (64 * KiB); break;
		case 1: len = xorshift() % (8 * MiB); break;
		case 2: len = xorshift() % (4 * GiB); break;
		default: len = xorshift() % (600 * GiB); break;
		}
		if (n % 3 == 0)
			s &= ~(2 * MiB - 1);	/* aligned starts too */
		len = (len + 4096) & ~0xfffull;
		if (len > 512 * GiB)
			len = 512 * GiB;
		e = s + len;
		assert_int_equal(pgt_map(&t, s, e, NORMAL), 0);
		assert_true(t.used <= PGT_WORST_CASE(1));

		probe[0] = s;
		probe[1] = e - 4096;
		probe[2] = s + (len / 2 & ~0xfffull);
		probe[3] = (s + 2 * MiB) & ~(2 * MiB - 1);
		probe[4] = (e - 1) & ~(2 * MiB - 1);
		probe[5] = (s + GiB) & ~(GiB - 1);
		probe[6] = (e - 1) & ~(GiB - 1);
		probe[7] = s + (xorshift() % len & ~0xfffull);
		for (k = 0; k < 8; k++)
			if (probe[k] >= s && probe[k] < e)
				assert_leaf(probe[k], NORMAL,
					    want_level(s, e, probe[k]));
		if (s)
			assert_unmapped(s - 4096);
		assert_unmapped(e);
	}
}

/* Overlapping and touching ranges with the same attributes merge: one
 * page shared by two ranges, a block over pages mapped before. */
static void test_overlap_same_attrs(void **state)
{
	assert_int_equal(pgt_map(&t, 0x40000000, 0x40003000, NORMAL), 0);
	assert_int_equal(pgt_map(&t, 0x40002000, 0x40005000, NORMAL), 0);
	assert_leaf(0x40004000, NORMAL, 3);
	assert_int_equal(t.used, 4);
	/* The whole 2 MiB now: the level-3 table stays and fills up. */
	assert_int_equal(pgt_map(&t, 0x40000000, 0x40200000, NORMAL), 0);
	assert_int_equal(t.used, 4);
	assert_leaf(0x401ff000, NORMAL, 3);
	/* And a page inside a block mapped before adds nothing. */
	assert_int_equal(pgt_map(&t, 0x40400000, 0x40600000, NORMAL), 0);
	assert_int_equal(pgt_map(&t, 0x40401000, 0x40402000, NORMAL), 0);
	assert_int_equal(t.used, 4);
	assert_leaf(0x40401000, NORMAL, 2);
}

static void test_conflicts(void **state)
{
	assert_int_equal(pgt_map(&t, 0x09000000, 0x09001000, DEVICE), 0);
	assert_int_equal(pgt_map(&t, 0x08fff000, 0x09001000, NORMAL),
			 PGT_ECONFLICT);
	assert_int_equal(pgt_map(&t, 0x40000000, 0x40200000, NORMAL), 0);
	assert_int_equal(pgt_map(&t, 0x40100000, 0x40101000, DEVICE),
			 PGT_ECONFLICT);
	/* The mappings made before stay as they were. */
	assert_leaf(0x09000000, DEVICE, 3);
	assert_leaf(0x40100000, NORMAL, 2);
}

static void test_bad_ranges(void **state)
{
	assert_int_equal(pgt_map(&t, 0x40000800, 0x40001000, NORMAL), PGT_ERANGE);
	assert_int_equal(pgt_map(&t, 0x40000000, 0x40000fff, NORMAL), PGT_ERANGE);
	assert_int_equal(pgt_map(&t, 0x40002000, 0x40001000, NORMAL), PGT_ERANGE);
	assert_int_equal(pgt_map(&t, 0, (1ull << 48) + 4096, NORMAL), PGT_ERANGE);
	assert_int_equal(pgt_map(&t, 0, 4096, NORMAL | 0x40000000), PGT_ERANGE);
	assert_int_equal(pgt_map(&t, 0, 4096, NORMAL | PTE_TYPE_PAGE), PGT_ERANGE);
	/* Empty: nothing mapped, nothing allocated. */
	assert_int_equal(pgt_map(&t, 0x40000000, 0x40000000, NORMAL), 0);
	assert_int_equal(t.used, 1);
	assert_int_equal(valid_entries(), 0);
}

/* The last page below 2^48 and the first page: entries 511 and 0 of
 * every level. */
static void test_address_space_ends(void **state)
{
	assert_int_equal(pgt_map(&t, (1ull << 48) - 4096, 1ull << 48, NORMAL), 0);
	assert_int_equal(pgt_map(&t, 0, 4096, DEVICE), 0);
	assert_leaf((1ull << 48) - 1, NORMAL, 3);
	assert_leaf(0, DEVICE, 3);
	assert_int_equal(pool[0][511] & 3, PTE_TYPE_TABLE);
	assert_int_equal(t.used, 7);
}

static void test_pool_exhausted(void **state)
{
	assert_int_equal(pgt_init(&t, pool, POOL_PHYS, 3), 0);
	assert_int_equal(pgt_map(&t, 0x40000000, 0x40001000, NORMAL), PGT_ENOMEM);
	assert_int_equal(t.used, 3);
	assert_int_equal(pgt_init(&t, pool, POOL_PHYS, 4), 0);
	assert_int_equal(pgt_map(&t, 0x40000000, 0x40001000, NORMAL), 0);
	assert_int_equal(pgt_map(&t, 0x40001000, 0x40002000, NORMAL), 0);
	assert_int_equal(pgt_map(&t, 0x40200000, 0x40201000, NORMAL), PGT_ENOMEM);
}

/*
 * The worst case is reached: 18 ranges (16 regions, the purgatory, the
 * console) of two pages each straddling a 512 GiB boundary, every other
 * one so that no two share a level-0 entry -- two tables at each of levels
 * 1 to 3 per range, none shared -- need PGT_WORST_CASE(18) tables exactly,
 * and fail with one fewer.
 */
#define WORST_RANGES 18

/* Return: the 512 GiB boundary range i (1..WORST_RANGES) straddles. */
static uint64_t worst_boundary(unsigned int i)
{
	return (2 * i - 1) * 512 * GiB;
}

static void map_worst(int want_last)
{
	unsigned int i;
	int ret = 0;

	for (i = 1; i <= WORST_RANGES; i++) {
		uint64_t b = worst_boundary(i);

		ret = pgt_map(&t, b - 4096, b + 4096, NORMAL);
		if (i < WORST_RANGES)
			assert_int_equal(ret, 0);
	}
	assert_int_equal(ret, want_last);
}

static void test_worst_case(void **state)
{
	unsigned int i;

	assert_int_equal(PGT_WORST_CASE(WORST_RANGES), 109);
	assert_true(PGT_WORST_CASE(WORST_RANGES) <= POOL_MAX);
	assert_int_equal(pgt_init(&t, pool, POOL_PHYS, PGT_WORST_CASE(WORST_RANGES)), 0);
	map_worst(0);
	assert_int_equal(t.used, PGT_WORST_CASE(WORST_RANGES));
	for (i = 1; i <= WORST_RANGES; i++) {
		assert_leaf(worst_boundary(i) - 4096, NORMAL, 3);
		assert_leaf(worst_boundary(i), NORMAL, 3);
		assert_unmapped(worst_boundary(i) + 4096);
	}
	assert_int_equal(valid_entries(), WORST_RANGES * (2 * 3 + 2));

	assert_int_equal(pgt_init(&t, pool, POOL_PHYS, PGT_WORST_CASE(WORST_RANGES) - 1), 0);
	map_worst(PGT_ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_zeroes_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_2mib_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_1gib_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_straddle_2mib, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blocks_between_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_same_attrs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_space_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhausted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_worst_case, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
