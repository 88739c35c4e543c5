/* Host unit tests: /proc/iomem parser, memmap_remove/normalize and the
 * /sys/firmware/memmap reader.  Fixtures: test/unit/fixtures/iomem/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/error.h"
#include "kexec/memmap.h"
#include "lib/readfile.h"

static struct memmap fw, usable;

/* Read a fixture; a missing one fails the test (never skipped). */
static char *fixture(const char *name, size_t *len)
{
	const char *top = getenv("KEXSHIM_TOP");
	char path[4096];
	char *buf;

	snprintf(path, sizeof(path), "%s/test/unit/fixtures/iomem/%s",
		 top ? top : ".", name);
	if (read_file_whole("test", path, 0, &buf, len))
		fail_msg("fixture %s", kx_last_error());
	return buf;
}

static int parse_fixture(const char *name)
{
	size_t len;
	char *text = fixture(name, &len);
	int ret = memmap_parse_iomem(name, text, len, &fw, &usable);

	free(text);
	return ret;
}

static void check_range(const struct memmap *m, size_t i, uint64_t start,
			uint64_t end, uint32_t type)
{
	assert_true(i < m->n);
	assert_int_equal(m->r[i].start, start);
	assert_int_equal(m->r[i].end, end);
	assert_int_equal(m->r[i].type, type);
}

/* Sorted, non-empty, and (same type) not touching: normalize's promise. */
static void check_normal(const struct memmap *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		assert_true(m->r[i].start < m->r[i].end);
		if (i) {
			assert_true(m->r[i - 1].start <= m->r[i].start);
			if (m->r[i - 1].type == m->r[i].type)
				assert_true(m->r[i - 1].end < m->r[i].start);
		}
	}
}

static uint32_t type_at(const struct memmap *m, uint64_t addr)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->r[i].start <= addr && addr < m->r[i].end)
			return m->r[i].type;
	return 0;
}

static void test_q35_ovmf(void **state)
{
	assert_int_equal(parse_fixture("qemu-q35-ovmf-2g.iomem"), 0);
	check_normal(&usable);
	check_normal(&fw);
	assert_int_equal(usable.n, 8);
	check_range(&usable, 0, 0x1000, 0xa0000, MEMMAP_RAM);
	check_range(&usable, 1, 0x100000, 0x800000, MEMMAP_RAM);
	check_range(&usable, 2, 0x808000, 0x80b000, MEMMAP_RAM);
	check_range(&usable, 3, 0x80c000, 0x810000, MEMMAP_RAM);
	/* Three "System RAM" lines split by setup_data merge into one, and
	 * the Kernel code/data/bss children stay usable. */
	check_range(&usable, 4, 0x900000, 0x7e8ef000, MEMMAP_RAM);
	check_range(&usable, 5, 0x7ea00000, 0x7ebd6000, MEMMAP_RAM);
	check_range(&usable, 6, 0x7ebd7000, 0x7f6f2000, MEMMAP_RAM);
	check_range(&usable, 7, 0x7f7ff000, 0x7fe70000, MEMMAP_RAM);

	check_range(&fw, 0, 0, 0x1000, MEMMAP_RESERVED);
	assert_int_equal(type_at(&fw, 0x800000), MEMMAP_NVS);
	assert_int_equal(type_at(&fw, 0x7f77e000), MEMMAP_ACPI);
	assert_int_equal(type_at(&fw, 0x7f785fff), MEMMAP_ACPI);
	assert_int_equal(type_at(&fw, 0x7f786000), MEMMAP_NVS);
	assert_int_equal(type_at(&fw, 0x7ff78000), MEMMAP_NVS);
	/* MMCONFIG's e820 reservation is nested under "PCI MMCONFIG". */
	assert_int_equal(type_at(&fw, 0xb0000000), MEMMAP_RESERVED);
	assert_int_equal(type_at(&fw, 0xffc00000), MEMMAP_RESERVED);
	/* PCI windows, IOAPIC, HPET are not firmware memory. */
	assert_int_equal(type_at(&fw, 0x80000000), 0);
	assert_int_equal(type_at(&fw, 0xc0000000), 0);
	assert_int_equal(type_at(&fw, 0xfec00000), 0);
	assert_int_equal(type_at(&fw, 0x100000000ull), 0);
	assert_int_equal(memmap_ram_bytes(&fw), memmap_ram_bytes(&usable));
	/* ~2 GiB guest minus firmware: between 1.9 and 2 GiB. */
	assert_true(memmap_ram_bytes(&usable) > 1900ull << 20);
	assert_true(memmap_ram_bytes(&usable) < 2048ull << 20);
}

static void test_crashkernel(void **state)
{
	assert_int_equal(parse_fixture("crashkernel-4g.iomem"), 0);
	check_normal(&usable);
	assert_int_equal(usable.n, 4);
	check_range(&usable, 0, 0x1000, 0x9f000, MEMMAP_RAM);
	check_range(&usable, 1, 0x100000, 0xa7000000, MEMMAP_RAM);
	check_range(&usable, 2, 0xbf000000, 0xbffe0000, MEMMAP_RAM);
	check_range(&usable, 3, 0x100000000ull, 0x140000000ull, MEMMAP_RAM);
	/* The firmware map still has the crashkernel as RAM. */
	assert_int_equal(type_at(&fw, 0xa8000000), MEMMAP_RAM);
	assert_int_equal(memmap_ram_bytes(&fw) - memmap_ram_bytes(&usable),
			 0x18000000);
}

static void test_arm64_reserved(void **state)
{
	assert_int_equal(parse_fixture("arm64-virt.iomem"), 0);
	check_normal(&usable);
	assert_int_equal(usable.n, 9);
	check_range(&usable, 0, 0x40000000, 0x415a0000, MEMMAP_RAM);
	check_range(&usable, 1, 0x419d0000, 0x48000000, MEMMAP_RAM);
	check_range(&usable, 2, 0x48100000, 0xb8e00000, MEMMAP_RAM);
	check_range(&usable, 3, 0xb9c00000, 0xbb620000, MEMMAP_RAM);
	check_range(&usable, 4, 0xbb6e0000, 0xbbc30000, MEMMAP_RAM);
	check_range(&usable, 5, 0xbbdc0000, 0xbbf30000, MEMMAP_RAM);
	check_range(&usable, 6, 0xbbf40000, 0xbf870000, MEMMAP_RAM);
	check_range(&usable, 7, 0xbfa10000, 0xbfa20000, MEMMAP_RAM);
	check_range(&usable, 8, 0xbfaa0000, 0xbfae0000, MEMMAP_RAM);
	/* Top-level lower-case "reserved" is firmware reserved memory. */
	assert_int_equal(type_at(&fw, 0xbbc30000), MEMMAP_RESERVED);
	assert_int_equal(type_at(&fw, 0x40000000), MEMMAP_RAM);
	assert_int_equal(type_at(&fw, 0x09000000), 0);
}

static void test_high_ram(void **state)
{
	assert_int_equal(parse_fixture("q35-8g-high.iomem"), 0);
	check_normal(&usable);
	assert_int_equal(usable.n, 4);
	check_range(&usable, 2, 0x808000, 0x7f8ef000, MEMMAP_RAM);
	check_range(&usable, 3, 0x100000000ull, 0x270000000ull, MEMMAP_RAM);
	assert_int_equal(type_at(&fw, 0x280000000ull), MEMMAP_SOFT_RESERVED);
	assert_int_equal(type_at(&fw, 0x300000000ull), MEMMAP_PRAM);
	assert_int_equal(type_at(&fw, 0x380000000ull), 0);
}

static void test_build_host(void **state)
{
	/* This build machine's own /proc/iomem, saved as root. */
	assert_int_equal(parse_fixture("build-host.iomem"), 0);
	check_normal(&usable);
	assert_int_equal(usable.n, 3);
	check_range(&usable, 0, 0x1000, 0x9fc00, MEMMAP_RAM);
	check_range(&usable, 1, 0x100000, 0xc0000000, MEMMAP_RAM);
	check_range(&usable, 2, 0x100000000ull, 0x640000000ull, MEMMAP_RAM);
	assert_int_equal(type_at(&fw, 0xeec00000), MEMMAP_RESERVED);
	assert_int_equal(type_at(&fw, 0x4000000000ull), 0);
}

static void test_null_outputs(void **state)
{
	static const char t[] = "00001000-0009ffff : System RAM\n";

	assert_int_equal(memmap_parse_iomem("t", t, strlen(t), NULL, &usable), 0);
	assert_int_equal(usable.n, 1);
	assert_int_equal(memmap_parse_iomem("t", t, strlen(t), &fw, NULL), 0);
	assert_int_equal(fw.n, 1);
	/* No trailing newline, CRLF line ends, upper-case hex. */
	static const char crlf[] = "00001000-0009FFFF : System RAM\r\n"
				   "00100000-00FFFFFF : System RAM";
	assert_int_equal(memmap_parse_iomem("t", crlf, strlen(crlf), NULL,
					    &usable), 0);
	assert_int_equal(usable.n, 2);
	check_range(&usable, 1, 0x100000, 0x1000000, MEMMAP_RAM);
}

static void test_all_zero(void **state)
{
	/* What a non-root reader sees. */
	static const char t[] = "00000000-00000000 : Reserved\n"
				"00000000-00000000 : System RAM\n"
				"  00000000-00000000 : Kernel code\n"
				"00000000-00000000 : PCI Bus 0000:00\n";

	assert_int_equal(memmap_parse_iomem("/proc/iomem", t, strlen(t), &fw,
					    &usable), -EPERM);
	assert_string_equal(kx_last_error(),
			    "memmap: /proc/iomem: addresses are all zero (read /proc/iomem as root)");
}

static void test_malformed(void **state)
{
	static const char *bad[] = {
		"00001000-0009ffff : System RAM\n00100000 : System RAM\n",
		"00001000-0009ffff : System RAM\n00100000-zz : System RAM\n",
		"00001000-0009ffff : System RAM\n00200000-00100000 : System RAM\n",
		"00001000-0009ffff : System RAM\n00100000-001fffff System RAM\n",
		"00001000-0009ffff : System RAM\n00100000-001fffff : \n",
		"00001000-0009ffff : System RAM\n00000000000000001-2 : x\n",
		"00001000-0009ffff : System RAM\n\tx\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(memmap_parse_iomem("m", bad[i], strlen(bad[i]),
						    &fw, &usable), -EINVAL);
		/* Line 2 is the bad one. */
		assert_non_null(strstr(kx_last_error(), "memmap: m:2: "));
	}
	assert_int_equal(memmap_parse_iomem("m", "", 0, &fw, &usable), -EINVAL);
	assert_string_equal(kx_last_error(), "memmap: m: no entries");
}

static void test_remove(void **state)
{
	struct memmap m = { .n = 2 };

	m.r[0] = (struct memmap_range){ 0x1000, 0x10000, MEMMAP_RAM };
	m.r[1] = (struct memmap_range){ 0x100000, 0x200000, MEMMAP_RAM };
	/* Split in the middle. */
	assert_int_equal(memmap_remove(&m, 0x4000, 0x6000), 0);
	assert_int_equal(m.n, 3);
	check_range(&m, 0, 0x1000, 0x4000, MEMMAP_RAM);
	check_range(&m, 1, 0x6000, 0x10000, MEMMAP_RAM);
	check_range(&m, 2, 0x100000, 0x200000, MEMMAP_RAM);
	/* Trim the tail of one and the head of the next, across a hole. */
	assert_int_equal(memmap_remove(&m, 0x8000, 0x180000), 0);
	assert_int_equal(m.n, 3);
	check_range(&m, 1, 0x6000, 0x8000, MEMMAP_RAM);
	check_range(&m, 2, 0x180000, 0x200000, MEMMAP_RAM);
	/* Swallow a whole range; empty and disjoint removals are no-ops. */
	assert_int_equal(memmap_remove(&m, 0x6000, 0x8000), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(memmap_remove(&m, 0x5000, 0x5000), 0);
	assert_int_equal(memmap_remove(&m, 0x300000, 0x400000), 0);
	assert_int_equal(m.n, 2);
	/* Exact boundaries: nothing left of the range. */
	assert_int_equal(memmap_remove(&m, 0x180000, 0x200000), 0);
	assert_int_equal(m.n, 1);
	check_range(&m, 0, 0x1000, 0x4000, MEMMAP_RAM);
}

static void test_remove_full(void **state)
{
	static struct memmap m;
	size_t i;

	m.n = MEMMAP_MAX;
	for (i = 0; i < MEMMAP_MAX; i++)
		m.r[i] = (struct memmap_range){ i * 0x10000, i * 0x10000 + 0x8000,
						MEMMAP_RAM };
	assert_int_equal(memmap_remove(&m, 0x1000, 0x2000), -ENOSPC);
	assert_int_equal(m.n, MEMMAP_MAX); /* untouched */
	check_range(&m, 0, 0, 0x8000, MEMMAP_RAM);
	/* Trimming needs no new slot. */
	assert_int_equal(memmap_remove(&m, 0x0, 0x2000), 0);
	check_range(&m, 0, 0x2000, 0x8000, MEMMAP_RAM);
}

static void test_normalize(void **state)
{
	struct memmap m = { .n = 6 };

	m.r[0] = (struct memmap_range){ 0x5000, 0x6000, MEMMAP_RAM };
	m.r[1] = (struct memmap_range){ 0x1000, 0x3000, MEMMAP_RAM };
	m.r[2] = (struct memmap_range){ 0x3000, 0x5000, MEMMAP_RAM };
	m.r[3] = (struct memmap_range){ 0x6000, 0x7000, MEMMAP_ACPI };
	m.r[4] = (struct memmap_range){ 0x9000, 0x9000, MEMMAP_RAM };
	m.r[5] = (struct memmap_range){ 0x2000, 0x2800, MEMMAP_RAM };
	memmap_normalize(&m);
	assert_int_equal(m.n, 2);
	check_range(&m, 0, 0x1000, 0x6000, MEMMAP_RAM);
	check_range(&m, 1, 0x6000, 0x7000, MEMMAP_ACPI);
	assert_int_equal(memmap_ram_bytes(&m), 0x5000);
}

/* --- /sys/firmware/memmap reader against a temp tree --- */

static void put(const char *dir, int n, const char *file, const char *val)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d", dir, n);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/%s", dir, n, file);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(val, f);
	fclose(f);
}

static void entry(const char *dir, int n, const char *start, const char *end,
		  const char *type)
{
	put(dir, n, "start", start);
	put(dir, n, "end", end);
	put(dir, n, "type", type);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

static void test_sysfs(void **state)
{
	char dir[] = "/tmp/kexshim-memmap-XXXXXX";
	char path[4096];
	static const char *types[] = {
		"System RAM", "Reserved", "ACPI Tables",
		"ACPI Non-volatile Storage", "Unusable memory",
		"Persistent Memory (legacy)", "Persistent Memory",
		"Soft Reserved", "Something New",
	};
	static const uint32_t want[] = {
		MEMMAP_RAM, MEMMAP_RESERVED, MEMMAP_ACPI, MEMMAP_NVS,
		MEMMAP_UNUSABLE, MEMMAP_PRAM, MEMMAP_PMEM,
		MEMMAP_SOFT_RESERVED, MEMMAP_RESERVED,
	};
	struct memmap m;
	char s[32], e[32];
	int i;

	assert_non_null(mkdtemp(dir));
	/* Written in reverse so the reader has to sort; 10 entries make
	 * directory order differ from numeric order. */
	for (i = 0; i < 9; i++) {
		snprintf(s, sizeof(s), "0x%x\n", (9 - i) * 0x100000);
		snprintf(e, sizeof(e), "0x%x\n", (9 - i) * 0x100000 + 0xfffff);
		entry(dir, i, s, e, types[i]);
	}
	entry(dir, 9, "0x0\n", "0x9fbff\n", "System RAM\n");
	assert_int_equal(memmap_read_sysfs(dir, &m), 0);
	assert_int_equal(m.n, 10);
	check_range(&m, 0, 0, 0x9fc00, MEMMAP_RAM);
	for (i = 0; i < 9; i++)
		check_range(&m, 9 - i, (9 - i) * 0x100000,
			    (9 - i) * 0x100000 + 0x100000, want[i]);

	/* A missing attribute names the file. */
	snprintf(path, sizeof(path), "%s/3/end", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(memmap_read_sysfs(dir, &m), -ENOENT);
	assert_non_null(strstr(kx_last_error(), "/3/end"));
	/* Garbage in start. */
	put(dir, 3, "end", "0x700000\n");
	put(dir, 4, "start", "zz\n");
	assert_int_equal(memmap_read_sysfs(dir, &m), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "not a number"));

	assert_int_equal(nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS), 0);
	assert_int_equal(memmap_read_sysfs(dir, &m), -ENOENT);
	assert_non_null(strstr(kx_last_error(), dir));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_q35_ovmf),
		cmocka_unit_test(test_crashkernel),
		cmocka_unit_test(test_arm64_reserved),
		cmocka_unit_test(test_high_ram),
		cmocka_unit_test(test_build_host),
		cmocka_unit_test(test_null_outputs),
		cmocka_unit_test(test_all_zero),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_remove_full),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_sysfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
