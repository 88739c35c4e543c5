/* fuzz: memmap_parse_iomem() on arbitrary /proc/iomem text (a NUL-terminated
 * copy, as load.c reads it).  Checks the documented results: both maps
 * sorted with non-empty known-type ranges, the usable map merged and all RAM
 * inside the firmware map's RAM, and each output independent of whether the
 * other one is asked for. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "kexec/memmap.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct memmap fw, us, fw_only, us_only;

static int known_type(uint32_t t)
{
	return t == MEMMAP_RAM || t == MEMMAP_RESERVED || t == MEMMAP_ACPI ||
	       t == MEMMAP_NVS || t == MEMMAP_UNUSABLE || t == MEMMAP_PMEM ||
	       t == MEMMAP_PRAM || t == MEMMAP_SOFT_RESERVED;
}

static void check_sorted(const struct memmap *m)
{
	size_t i;

	CHECK(m->n <= MEMMAP_MAX);
	for (i = 0; i < m->n; i++) {
		CHECK(m->r[i].start < m->r[i].end);
		CHECK(known_type(m->r[i].type));
		if (i)
			CHECK(m->r[i - 1].start <= m->r[i].start);
	}
}

/* Is [s, e) covered by the union of fw's RAM ranges (sorted by start)? */
static int covered_by_ram(const struct memmap *f, uint64_t s, uint64_t e)
{
	uint64_t cur = s;
	size_t i;

	for (i = 0; i < f->n && cur < e; i++) {
		if (f->r[i].type != MEMMAP_RAM || f->r[i].end <= cur)
			continue;
		if (f->r[i].start > cur)
			return 0;
		cur = f->r[i].end;
	}
	return cur >= e;
}

static int same_map(const struct memmap *a, const struct memmap *b)
{
	return a->n == b->n && !memcmp(a->r, b->r, a->n * sizeof(a->r[0]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	size_t i;
	int ret, r2;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	ret = memmap_parse_iomem("fuzz", text, size, &fw, &us);
	if (ret) {
		CHECK(ret == -EINVAL || ret == -EPERM || ret == -E2BIG);
		CHECK(!strncmp(kx_last_error(), "memmap: fuzz", 12));
	} else {
		check_sorted(&fw);
		check_sorted(&us);
		for (i = 0; i < us.n; i++) {
			CHECK(us.r[i].type == MEMMAP_RAM);
			/* merged: neither overlapping nor touching */
			if (i)
				CHECK(us.r[i - 1].end < us.r[i].start);
			CHECK(covered_by_ram(&fw, us.r[i].start, us.r[i].end));
		}
	}

	/* Either output may be NULL and changes nothing about the other
	 * (except that one full map no longer stops the scan). */
	r2 = memmap_parse_iomem("fuzz", text, size, &fw_only, NULL);
	if (ret != -E2BIG)
		CHECK(r2 == ret);
	if (!ret)
		CHECK(same_map(&fw, &fw_only));
	r2 = memmap_parse_iomem("fuzz", text, size, NULL, &us_only);
	if (ret != -E2BIG)
		CHECK(r2 == ret);
	if (!ret)
		CHECK(same_map(&us, &us_only));
	free(text);
	return 0;
}
