/*
 * test/unit/kexec/test_regions.c: host tests of boot/kexec/regions.c, the
 * purgatory regions hashed on every CPU: each segment but the skipped one
 * is covered exactly, in page-aligned pieces, each with the SHA-256 of its
 * bytes; one region per segment with one CPU; never more regions than the
 * table holds; an empty segment still gets its (empty) region.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/sha256.h"
#include "kexec/regions.h"

#define MIB (1u << 20)

static uint8_t *data;

static int setup(void **state)
{
	size_t i;

	data = malloc(40 * MIB);
	if (!data)
		return -1;
	for (i = 0; i < 40 * MIB; i++)
		data[i] = (uint8_t)(i * 2654435761u >> 13);
	return 0;
}

static int teardown(void **state)
{
	free(data);
	return 0;
}

/* A plan of n segments of the given sizes, 64 MiB apart. */
static void make_plan(struct plan *p, const size_t *sizes, size_t n)
{
	size_t i, off = 0;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < n; i++) {
		p->seg[i].name = "s";
		p->seg[i].buf = data + off;
		p->seg[i].bufsz = sizes[i];
		p->seg[i].mem = 0x10000000ull + i * 64ull * MIB;
		p->seg[i].memsz = p->seg[i].reserved = (sizes[i] + 4095) & ~4095ul;
		off = (off + sizes[i]) % (8 * MIB);
	}
	p->n = n;
}

/* Every segment but skip covered exactly, pieces page-aligned, digests. */
static void assert_covered(const struct plan *p, size_t skip,
			   const struct purgatory_args *a)
{
	size_t i, j, n = 0;

	for (i = 0; i < p->n; i++) {
		uint64_t off = 0;

		if (i == skip)
			continue;
		do {
			const struct purgatory_region *r = NULL;
			uint8_t d[SHA256_DIGEST_SIZE];

			for (j = 0; j < a->nr_regions; j++)
				if (a->regions[j].start == p->seg[i].mem + off)
					r = &a->regions[j];
			assert_non_null(r);
			assert_int_equal(r->start % 4096, 0);
			assert_true(r->len <= p->seg[i].bufsz - off);
			assert_true(r->len || !p->seg[i].bufsz);
			sha256(r->len ? (const uint8_t *)p->seg[i].buf + off :
					(const uint8_t *)"", r->len, d);
			assert_memory_equal(r->sha256, d, sizeof(d));
			off += r->len;
			n++;
		} while (off < p->seg[i].bufsz);
	}
	assert_int_equal(n, a->nr_regions);
	assert_true(a->nr_regions <= PURGATORY_MAX_REGIONS);
}

static void test_split(void **state)
{
	static const size_t sizes[] = { 4696, 8225280, 57344, 25596408, 0 };
	struct purgatory_args a;
	struct plan p;

	make_plan(&p, sizes, 5);
	/* One CPU: one region per segment, as the purgatory always had. */
	memset(&a, 0xa5, sizeof(a));
	assert_int_equal(regions_hash(&p, 2, 1, &a), 0);
	assert_int_equal(a.nr_regions, 4);
	assert_covered(&p, 2, &a);
	/* Two CPUs: the large ones cut, about four pieces per CPU. */
	assert_int_equal(regions_hash(&p, 2, 2, &a), 0);
	assert_true(a.nr_regions >= 8);
	assert_covered(&p, 2, &a);
	/* Many CPUs: more pieces, still within the table. */
	assert_int_equal(regions_hash(&p, 2, 64, &a), 0);
	assert_covered(&p, 2, &a);
}

static void test_table_full(void **state)
{
	size_t sizes[16], i;
	struct purgatory_args a;
	struct plan p;

	/* 15 segments to verify (the 16th is the purgatory): no room to cut
	 * them, whatever the CPUs. */
	for (i = 0; i < 16; i++)
		sizes[i] = (i + 1) * MIB + 17;
	make_plan(&p, sizes, 16);
	assert_int_equal(regions_hash(&p, 15, 8, &a), 0);
	assert_int_equal(a.nr_regions, 15);
	assert_covered(&p, 15, &a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_table_full),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
