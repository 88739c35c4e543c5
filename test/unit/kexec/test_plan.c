/* Host unit tests: the segment planner on fake memory maps, plus a
 * property test over random maps and items. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "lib/error.h"
#include "kexec/memmap.h"
#include "kexec/plan.h"

#define KiB 1024ull
#define MiB (1024ull * 1024)
#define GiB (1024ull * MiB)

static struct plan p;
static struct memmap map;
static const uint8_t bytes[8192];

static void map_reset(void)
{
	memset(&map, 0, sizeof(map));
}

static void map_add(uint64_t start, uint64_t end, uint32_t type)
{
	map.r[map.n++] = (struct memmap_range){ start, end, type };
}

static struct plan_item item(const char *name, uint64_t memsz)
{
	struct plan_item it = { .name = name, .memsz = memsz };

	return it;
}

/* No segment may touch [start, end). */
static void assert_clear_of(uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < p.n; i++)
		assert_true(p.seg[i].mem + p.seg[i].memsz <= start ||
			    p.seg[i].mem >= end);
}

static void test_holes(void **state)
{
	struct plan_item a = item("kernel", 20 * MiB);
	struct plan_item b = item("small", 8 * KiB);
	struct plan_item c = item("big", 250 * MiB);

	map_reset();
	map_add(0x1000, 0x9fc00, MEMMAP_RAM); /* partial last page */
	map_add(0x100000, 0x10000000, MEMMAP_RAM);
	map_add(0x20000000, 0x40000000, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	a.min = 0x100000;
	assert_int_equal(plan_add(&p, &a), 0);
	assert_int_equal(a.addr, 0x100000);
	/* Lowest address: the low hole. */
	assert_int_equal(plan_add(&p, &b), 0);
	assert_int_equal(b.addr, 0x1000);
	/* Does not fit before the hole at 0x10000000; goes after it. */
	assert_int_equal(plan_add(&p, &c), 0);
	assert_int_equal(c.addr, 0x20000000);
	/* The partial page at 0x9f000 is never used. */
	struct plan_item d = item("d", 0x9c001);
	d.max = 0x100000;
	assert_int_equal(plan_add(&p, &d), -ENOSPC);
	struct plan_item e = item("e", 0x9c000);
	e.max = 0x100000;
	assert_int_equal(plan_add(&p, &e), 0);
	assert_int_equal(e.addr, 0x3000);
	assert_int_equal(plan_finish(&p), 0);
	assert_int_equal(p.n, 4);
}

static void test_reserved_ranges(void **state)
{
	struct plan_item a = item("kernel", 64 * MiB);
	struct plan_item b = item("initrd", 16 * MiB);

	/* plan_init takes only RAM; other types in the map are ignored. */
	map_reset();
	map_add(0x0, 0x1000, MEMMAP_RESERVED);
	map_add(0x1000, 0xa0000, MEMMAP_RAM);
	map_add(0x100000, 0x800000, MEMMAP_RAM);
	map_add(0x800000, 0x900000, MEMMAP_NVS);
	map_add(0x900000, 0x7e8ef000, MEMMAP_RAM);
	map_add(0x7e8ef000, 0x7ea00000, MEMMAP_RESERVED);
	map_add(0x7ea00000, 0x7f000000, MEMMAP_RAM);
	map_add(0x7f000000, 0x80000000, MEMMAP_ACPI);
	assert_int_equal(plan_init(&p, &map), 0);
	a.align = 2 * MiB;
	a.min = 16 * MiB;
	assert_int_equal(plan_add(&p, &a), 0);
	assert_int_equal(a.addr, 16 * MiB);
	b.flags = PLAN_HIGH;
	b.max = 0x80000000;
	assert_int_equal(plan_add(&p, &b), 0);
	/* 6 MiB above the reserved range is too small; below it then. */
	assert_int_equal(b.addr, 0x7e8ef000 - 16 * MiB);
	assert_int_equal(plan_finish(&p), 0);
	assert_clear_of(0x7e8ef000, 0x7ea00000);
	assert_clear_of(0x800000, 0x900000);
	assert_clear_of(0x7f000000, 0x80000000);
}

static void test_crashkernel(void **state)
{
	static const char iomem[] =
		"00001000-0009efff : System RAM\n"
		"00100000-bffdffff : System RAM\n"
		"  01000000-01e01c56 : Kernel code\n"
		"  a7000000-beffffff : Crash kernel\n"
		"bffe0000-bfffffff : Reserved\n";
	struct plan_item a = item("initrd", 64 * MiB);
	struct plan_item b = item("initrd2", 8 * MiB);

	assert_int_equal(memmap_parse_iomem("t", iomem, strlen(iomem), NULL,
					    &map), 0);
	assert_int_equal(plan_init(&p, &map), 0);
	a.flags = b.flags = PLAN_HIGH;
	a.max = b.max = 0xc0000000;
	/* 64 MiB does not fit above the crashkernel (15.9 MiB there). */
	assert_int_equal(plan_add(&p, &a), 0);
	assert_int_equal(a.addr, 0xa7000000 - 64 * MiB);
	/* 8 MiB does. */
	assert_int_equal(plan_add(&p, &b), 0);
	assert_int_equal(b.addr, 0xbffe0000 - 8 * MiB);
	assert_clear_of(0xa7000000, 0xbf000000);
}

static void test_512m(void **state)
{
	struct plan_item k = item("kernel", 0x3f98000); /* Debian init_size */
	struct plan_item i = item("initrd", 100 * MiB);
	struct plan_item bp = item("boot_params", 3 * 4096);

	map_reset();
	map_add(0x1000, 0x9f000, MEMMAP_RAM);
	map_add(0x100000, 0x20000000, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	assert_int_equal(memmap_ram_bytes(&p.free), 0x9e000 + 0x1ff00000);
	k.align = 2 * MiB;
	k.min = 16 * MiB;
	k.buf = bytes;
	k.bufsz = sizeof(bytes);
	assert_int_equal(plan_add(&p, &k), 0);
	assert_int_equal(k.addr, 16 * MiB);
	i.flags = PLAN_HIGH;
	i.max = 0x7fffffff;
	assert_int_equal(plan_add(&p, &i), 0);
	assert_int_equal(i.addr, 0x20000000 - 100 * MiB);
	bp.min = 0x10000;
	bp.max = 0x100000;
	assert_int_equal(plan_add(&p, &bp), 0);
	assert_int_equal(bp.addr, 0x10000);
	assert_int_equal(plan_finish(&p), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.seg[0].name, "boot_params");
	assert_string_equal(p.seg[1].name, "kernel");
	assert_string_equal(p.seg[2].name, "initrd");
	/* memsz rounded up to pages; bufsz kept. */
	assert_int_equal(p.seg[1].memsz, 0x3f98000);
	assert_int_equal(p.seg[1].bufsz, sizeof(bytes));
	assert_ptr_equal(p.seg[1].buf, bytes);
}

static void test_above_4g(void **state)
{
	struct plan_item a = item("anywhere", 32 * MiB);
	struct plan_item b = item("below4g", 32 * MiB);
	struct plan_item c = item("above", 3 * GiB);

	map_reset();
	map_add(0x100000, 0x80000000, MEMMAP_RAM);
	map_add(0x100000000ull, 0x240000000ull, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	a.flags = PLAN_HIGH;
	assert_int_equal(plan_add(&p, &a), 0);
	assert_int_equal(a.addr, 0x240000000ull - 32 * MiB);
	b.flags = PLAN_HIGH;
	b.max = 0x100000000ull;
	assert_int_equal(plan_add(&p, &b), 0);
	assert_int_equal(b.addr, 0x80000000 - 32 * MiB);
	/* Bigger than all low RAM: only high RAM holds it. */
	assert_int_equal(plan_add(&p, &c), 0);
	assert_int_equal(c.addr, 0x100000000ull);
	assert_int_equal(plan_finish(&p), 0);
}

static void test_initrd_too_large(void **state)
{
	struct plan_item i = item("initrd", 600 * MiB);

	map_reset();
	map_add(0x1000, 0x9f000, MEMMAP_RAM);
	map_add(0x100000, 0x100000 + 480 * MiB, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	i.flags = PLAN_HIGH;
	i.min = 0x100000;
	i.max = 0x80000000;
	assert_int_equal(plan_add(&p, &i), -ENOSPC);
	assert_string_equal(kx_last_error(),
			    "plan: initrd: 600 MiB does not fit in [0x100000, 0x7fffffff] (largest free range 480 MiB)");
	assert_int_equal(p.n, 0);
	/* Largest free range counts only what lies in the window. */
	i.min = 0x100000 + 400 * MiB;
	i.max = 0;
	i.memsz = 100 * MiB + 4096;
	assert_int_equal(plan_add(&p, &i), -ENOSPC);
	assert_string_equal(kx_last_error(),
			    "plan: initrd: 100.0 MiB does not fit in [0x19100000, 0xffffffffffffffff] (largest free range 80 MiB)");
	/* Alignment is part of the story. */
	i.min = 0;
	i.memsz = 400 * MiB;
	i.align = 256 * MiB;
	assert_int_equal(plan_add(&p, &i), -ENOSPC);
	assert_non_null(strstr(kx_last_error(), "400 MiB aligned to 256 MiB"));
}

static void test_align_2m(void **state)
{
	struct plan_item a = item("kernel", 5 * MiB);
	struct plan_item b = item("b", 4096);

	map_reset();
	map_add(0x101000, 0x10000000, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	a.align = 2 * MiB;
	assert_int_equal(plan_add(&p, &a), 0);
	assert_int_equal(a.addr, 0x200000);
	assert_int_equal(p.seg[0].memsz, 5 * MiB);
	/* The gap left below the aligned kernel is still free. */
	assert_int_equal(plan_add(&p, &b), 0);
	assert_int_equal(b.addr, 0x101000);
	/* align < 4096 means 4096, and 0 too. */
	b.align = 16;
	assert_int_equal(plan_add(&p, &b), 0);
	assert_int_equal(b.addr % 4096, 0);
	a.align = 2 * MiB;
	a.flags = PLAN_HIGH;
	a.memsz = 3 * MiB + 1;
	assert_int_equal(plan_add(&p, &a), 0);
	assert_int_equal(a.addr, 0x10000000 - 4 * MiB);
	assert_int_equal(plan_finish(&p), 0);
}

static void test_fixed(void **state)
{
	struct plan_item k = item("kernel", 16 * MiB);
	struct plan_item f = item("legacy", 1 * MiB);

	map_reset();
	map_add(0x1000, 0x9f000, MEMMAP_RAM);
	map_add(0x100000, 0x40000000, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	k.flags = PLAN_FIXED;
	k.fixed = 0x1000000;
	assert_int_equal(plan_add(&p, &k), 0);
	assert_int_equal(k.addr, 0x1000000);
	/* Collides with the kernel: the message names it. */
	f.flags = PLAN_FIXED;
	f.fixed = 0x1800000;
	assert_int_equal(plan_add(&p, &f), -ENOSPC);
	assert_string_equal(kx_last_error(),
			    "plan: legacy: 1 MiB at fixed address 0x1800000 collides with kernel at [0x1000000, 0x2000000)");
	/* Straddles the hole at 0x9f000. */
	f.fixed = 0x0;
	assert_int_equal(plan_add(&p, &f), -ENOSPC);
	assert_string_equal(kx_last_error(),
			    "plan: legacy: 1 MiB at fixed address 0x0: [0x0, 0x1000) is not usable RAM");
	f.fixed = 0x80000;
	assert_int_equal(plan_add(&p, &f), -ENOSPC);
	assert_string_equal(kx_last_error(),
			    "plan: legacy: 1 MiB at fixed address 0x80000: [0x9f000, 0x100000) is not usable RAM");
	/* Beyond RAM. */
	f.fixed = 0x3ff80000;
	assert_int_equal(plan_add(&p, &f), -ENOSPC);
	assert_non_null(strstr(kx_last_error(), "[0x40000000, 0x40080000) is not usable RAM"));
	/* Not aligned, or outside [min, max). */
	f.fixed = 0x2000800;
	assert_int_equal(plan_add(&p, &f), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "not aligned"));
	f.fixed = 0x4000000;
	f.max = 0x4000000;
	assert_int_equal(plan_add(&p, &f), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "outside"));
	f.max = 0;
	f.fixed = 0x2000000; /* right after the kernel: fine */
	assert_int_equal(plan_add(&p, &f), 0);
	assert_int_equal(plan_finish(&p), 0);
	assert_int_equal(p.n, 2);
}

/* A kernel's init_size / image_size: kept free of the others, not
 * loaded (kexec would allocate, zero and copy it page by page). */
static void test_keep_free(void **state)
{
	struct plan_item k = item("kernel", 1 * MiB);
	struct plan_item f = item("legacy", 1 * MiB);
	struct plan_item r = item("initrd", 8 * MiB);

	map_reset();
	map_add(0x100000, 0x4000000, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	k.flags = PLAN_FIXED;
	k.fixed = 0x1000000;
	k.keep_free = 16 * MiB;
	assert_int_equal(plan_add(&p, &k), 0);
	assert_int_equal(p.seg[0].memsz, 1 * MiB);
	assert_int_equal(p.seg[0].reserved, 16 * MiB);
	/* Inside the kept range: a collision with the kernel's extent. */
	f.flags = PLAN_FIXED;
	f.fixed = 0x1800000;
	assert_int_equal(plan_add(&p, &f), -ENOSPC);
	assert_string_equal(kx_last_error(),
			    "plan: legacy: 1 MiB at fixed address 0x1800000 collides with kernel at [0x1000000, 0x2000000)");
	/* Placed freely: never inside it. */
	assert_int_equal(plan_add(&p, &r), 0);
	assert_int_equal(plan_finish(&p), 0);
	assert_clear_of(0x1000000 + 1 * MiB, 0x2000000);
	/* Smaller than memsz: memsz is what counts. */
	map_reset();
	map_add(0x100000, 0x4000000, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	r.keep_free = 4096;
	assert_int_equal(plan_add(&p, &r), 0);
	assert_int_equal(p.seg[0].memsz, 8 * MiB);
	assert_int_equal(p.seg[0].reserved, 8 * MiB);
}

static void test_high_under_max(void **state)
{
	struct plan_item a = item("initrd", 10 * MiB);

	map_reset();
	map_add(0x100000, 0x100000000ull, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	a.flags = PLAN_HIGH;
	a.max = 0x37ffffff + 1; /* initrd_addr_max + 1 */
	assert_int_equal(plan_add(&p, &a), 0);
	assert_int_equal(a.addr, 0x38000000 - 10 * MiB);
	/* An unaligned max: the segment ends below it, page-aligned. */
	a.max = 0x2fffffff;
	assert_int_equal(plan_add(&p, &a), 0);
	assert_int_equal(a.addr, 0x2ffff000 - 10 * MiB);
}

static void test_too_many(void **state)
{
	struct plan_item a = item("x", 4096);
	int i;

	map_reset();
	map_add(0x100000, 0x1000000, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	for (i = 0; i < PLAN_MAX_SEGMENTS; i++)
		assert_int_equal(plan_add(&p, &a), 0);
	a.name = "purgatory";
	assert_int_equal(plan_add(&p, &a), -E2BIG);
	assert_non_null(strstr(kx_last_error(), "plan: more than 16 segments"));
	assert_int_equal(p.n, PLAN_MAX_SEGMENTS);
	assert_int_equal(plan_finish(&p), 0);
}

static void test_bad_items(void **state)
{
	struct plan_item a = item("kernel", 4096);

	map_reset();
	map_add(0x100000, 0x1000000, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	a.buf = bytes;
	a.bufsz = 4097;
	assert_int_equal(plan_add(&p, &a), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "smaller than bufsz"));
	a.bufsz = 16;
	a.align = 3 * 4096;
	assert_int_equal(plan_add(&p, &a), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "not a power of two"));
	a.align = 0;
	a.memsz = 0;
	a.bufsz = 0;
	assert_int_equal(plan_add(&p, &a), -EINVAL);
	a.memsz = 4096;
	a.min = 0x200000;
	a.max = 0x200000;
	assert_int_equal(plan_add(&p, &a), -EINVAL);
	a.min = a.max = 0;
	a.memsz = UINT64_MAX - 10;
	assert_int_equal(plan_add(&p, &a), -EINVAL);
	assert_int_equal(p.n, 0);

	map_reset();
	map_add(0x100, 0x900, MEMMAP_RAM); /* no whole page */
	map_add(0x0, 0x100000, MEMMAP_RESERVED);
	assert_int_equal(plan_init(&p, &map), -ENOMEM);
}

static void test_finish_sorts(void **state)
{
	static const uint64_t fixed[] = { 0x500000, 0x100000, 0x300000, 0x200000 };
	struct plan_item a = item("a", 4096);
	size_t i;

	map_reset();
	map_add(0x100000, 0x1000000, MEMMAP_RAM);
	assert_int_equal(plan_init(&p, &map), 0);
	a.flags = PLAN_FIXED;
	for (i = 0; i < 4; i++) {
		a.fixed = fixed[i];
		assert_int_equal(plan_add(&p, &a), 0);
	}
	assert_int_equal(plan_finish(&p), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(p.seg[i].mem, (i + 1) * 0x100000 +
				 (i == 3 ? 0x100000 : 0));
	/* Defence in depth: a corrupted plan is caught. */
	p.seg[1].mem = p.seg[0].mem;
	assert_int_equal(plan_finish(&p), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "overlap"));
	p.seg[1].mem = 0x200800;
	assert_int_equal(plan_finish(&p), -EINVAL);
}

/* --- property test --- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: fixed seed, reproducible. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void random_map(struct memmap *m)
{
	uint64_t addr = rnd_below(4 * MiB);
	size_t i, n = 1 + rnd_below(24);

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		/* Sizes from bytes to GiB, starts not page-aligned. */
		uint64_t len = 1 + rnd_below(rnd_below(4) == 0 ? 4 * GiB :
					     rnd_below(2) ? 64 * MiB : 64 * KiB);
		uint32_t type = rnd_below(4) ? MEMMAP_RAM :
				(uint32_t[]){ MEMMAP_RESERVED, MEMMAP_ACPI,
					      MEMMAP_NVS }[rnd_below(3)];

		m->r[m->n++] = (struct memmap_range){ addr, addr + len, type };
		addr += len + (rnd_below(2) ? rnd_below(256 * MiB) : 0);
	}
	/* Sometimes unsorted, as a caller might pass it. */
	if (rnd_below(2) && m->n > 1) {
		struct memmap_range t = m->r[0];

		m->r[0] = m->r[m->n - 1];
		m->r[m->n - 1] = t;
	}
}

static int in_usable(const struct memmap *m, uint64_t s, uint64_t e)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->r[i].type == MEMMAP_RAM && m->r[i].start <= s &&
		    e <= m->r[i].end)
			return 1;
	return 0;
}

static void random_item(struct plan_item *it, const struct memmap *m)
{
	static const char *names[] = { "kernel", "initrd", "boot_params",
				       "cmdline", "dtb", "purgatory" };
	uint64_t r = rnd_below(8);

	memset(it, 0, sizeof(*it));
	it->name = names[rnd_below(6)];
	it->memsz = 1 + rnd_below(rnd_below(3) ? 2 * MiB : 256 * MiB);
	it->bufsz = rnd_below(3) ? rnd_below(it->memsz < sizeof(bytes) ?
					     it->memsz + 1 : sizeof(bytes) + 1) : 0;
	it->buf = it->bufsz ? bytes : NULL;
	it->align = rnd_below(3) ? 0 : 1ull << rnd_below(28);
	if (rnd_below(2))
		it->min = rnd_below(8 * GiB);
	if (rnd_below(2))
		it->max = it->min + 1 + rnd_below(8 * GiB);
	if (r == 0) {
		it->flags = PLAN_FIXED;
		/* Mostly somewhere plausible: inside a map range. */
		const struct memmap_range *mr = &m->r[rnd_below(m->n)];
		uint64_t a = it->align < 4096 ? 4096 : it->align;

		it->fixed = (mr->start + rnd_below(mr->end - mr->start)) & ~(a - 1);
		if (rnd_below(2)) {
			it->min = 0;
			it->max = 0;
		}
	} else if (r < 4) {
		it->flags = PLAN_HIGH;
	}
}

/* The placement is the lowest (highest with PLAN_HIGH) aligned address
 * any free range offered: brute force over the free map before the add. */
static int check_extreme(const struct memmap *before,
			 const struct plan_item *it)
{
	int fits = 0;
	uint64_t a = it->align < 4096 ? 4096 : it->align;
	uint64_t size = (it->memsz + 4095) & ~4095ull;
	uint64_t hi = it->max ? it->max : UINT64_MAX;
	size_t i;

	for (i = 0; i < before->n; i++) {
		uint64_t s = before->r[i].start > it->min ? before->r[i].start : it->min;
		uint64_t e = before->r[i].end < hi ? before->r[i].end : hi;
		uint64_t c;

		if (s >= e || e - s < size)
			continue;
		if (it->flags & PLAN_HIGH) {
			c = (e - size) & ~(a - 1);
			if (c >= s) {
				fits = 1;
				assert_true(c <= it->addr);
			}
		} else {
			c = (s + a - 1) & ~(a - 1);
			if (c >= s && c <= e && e - c >= size) {
				fits = 1;
				assert_true(c >= it->addr);
			}
		}
	}
	return fits;
}

static void test_property(void **state)
{
	static struct memmap before;
	static struct memmap m;
	struct plan_item items[20];
	int iter, placed_total = 0, failed_total = 0;

	for (iter = 0; iter < 4000; iter++) {
		size_t n_items = 1 + rnd_below(19), i, j, placed = 0;
		int ret;

		random_map(&m);
		ret = plan_init(&p, &m);
		if (ret) {
			assert_int_equal(ret, -ENOMEM);
			continue;
		}
		for (i = 0; i < n_items; i++) {
			struct plan_item *it = &items[i];
			uint64_t a;

			random_item(it, &m);
			it->addr = 0xdeadbeef;
			before = p.free;
			ret = plan_add(&p, it);
			if (ret) {
				assert_true(ret == -ENOSPC || ret == -EINVAL ||
					    ret == -E2BIG);
				assert_non_null(strstr(kx_last_error(), "plan: "));
				if (ret == -E2BIG)
					assert_int_equal(p.n, PLAN_MAX_SEGMENTS);
				it->addr = UINT64_MAX; /* not placed */
				/* Refused only when nothing fits. */
				if (ret == -ENOSPC && !(it->flags & PLAN_FIXED))
					assert_false(check_extreme(&before, it));
				failed_total++;
				continue;
			}
			placed++;
			a = it->align < 4096 ? 4096 : it->align;
			/* Aligned, inside [min, max), inside usable RAM. */
			assert_int_equal(it->addr % a, 0);
			assert_true(it->addr >= it->min);
			if (it->max)
				assert_true(it->addr + it->memsz <= it->max);
			assert_true(in_usable(&m, it->addr, it->addr + it->memsz));
			if (it->flags & PLAN_FIXED)
				assert_int_equal(it->addr, it->fixed);
			else
				assert_true(check_extreme(&before, it));
		}
		assert_int_equal(p.n, placed);
		assert_int_equal(plan_finish(&p), 0);
		for (i = 0; i < p.n; i++) {
			const struct plan_segment *s = &p.seg[i];
			int found = 0;

			assert_int_equal(s->mem % 4096, 0);
			assert_int_equal(s->memsz % 4096, 0);
			assert_true(s->memsz >= s->bufsz);
			assert_true(in_usable(&m, s->mem, s->mem + s->memsz));
			if (i)
				assert_true(p.seg[i - 1].mem + p.seg[i - 1].memsz <=
					    s->mem);
			/* Each segment is one of the placed items. */
			for (j = 0; j < n_items && !found; j++)
				found = items[j].addr == s->mem &&
					s->memsz - items[j].memsz < 4096;
			assert_true(found);
			/* Nothing free overlaps a segment any more. */
			for (j = 0; j < p.free.n; j++)
				assert_true(p.free.r[j].end <= s->mem ||
					    p.free.r[j].start >= s->mem + s->memsz);
		}
		placed_total += placed;
	}
	/* The generator must exercise both outcomes. */
	assert_true(placed_total > 10000);
	assert_true(failed_total > 1000);
	print_message("property: %d placed, %d refused\n", placed_total,
		      failed_total);
}

/* kernel/kexec_core.c: PAGE_COUNT(memsz) > totalram_pages() / 2 per
 * segment, and their sum, make kexec_load fail with a bare EINVAL. */
static void test_half_of_ram(void **state)
{
	struct memmap m = { .n = 1 };
	struct plan_item a = { .name = "kernel", .memsz = 300 * MiB };
	struct plan_item b = { .name = "initrd", .memsz = 212 * MiB };
	struct plan pl;

	m.r[0] = (struct memmap_range){ 0x100000, 0x40100000, MEMMAP_RAM };
	assert_int_equal(plan_init(&pl, &m), 0);
	assert_int_equal(plan_add(&pl, &a), 0);
	assert_int_equal(plan_add(&pl, &b), 0);
	/* 512 MiB of 1 GiB: exactly half is allowed. */
	assert_int_equal(plan_check_half_ram(&pl, 1024 * MiB), 0);
	assert_int_equal(plan_check_half_ram(&pl, 1022 * MiB), -E2BIG);
	assert_string_equal(kx_last_error(), "plan: the segments take 512 MiB, "
			    "more than half of the 1022 MiB of RAM (511 MiB) "
			    "kexec_load allows");
	/* One segment alone. */
	assert_int_equal(plan_check_half_ram(&pl, 590 * MiB), -E2BIG);
	assert_string_equal(kx_last_error(), "plan: kernel: 300 MiB is more "
			    "than half of the 590 MiB of RAM kexec_load allows "
			    "per segment");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_half_of_ram),
		cmocka_unit_test(test_holes),
		cmocka_unit_test(test_reserved_ranges),
		cmocka_unit_test(test_crashkernel),
		cmocka_unit_test(test_512m),
		cmocka_unit_test(test_above_4g),
		cmocka_unit_test(test_initrd_too_large),
		cmocka_unit_test(test_align_2m),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_keep_free),
		cmocka_unit_test(test_high_under_max),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_bad_items),
		cmocka_unit_test(test_finish_sorts),
		cmocka_unit_test(test_property),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
