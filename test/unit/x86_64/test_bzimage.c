/*
 * test/unit/test_bzimage.c: host tests of boot/arch/x86_64/bzimage.c, the
 * bzImage validation the shim runs before planning a target kernel, on the
 * real Debian vmlinuz ($KEXSHIM_KERNEL_DIR/vmlinuz; missing is a failure),
 * on corrupted copies of it, and on small synthetic images; then where
 * arch_ops.load puts a non-relocatable kernel.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "arch/arch.h"
#include "arch/x86_64/bzimage.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "kexec/plan.h"
#include "load/load.h"

static uint8_t *vmlinuz;
static size_t vmlinuz_len;
static uint8_t *copy;
static struct bzimage bz;
static char empty_root[] = "/tmp/kexshim-test-bzimage-XXXXXX";
static struct load ld;
static struct arch_load view; /* load_arch_view(&ld) */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

static int read_kernel(void **state)
{
	const char *dir = getenv("KEXSHIM_KERNEL_DIR");
	char path[4096];
	struct stat st;
	FILE *f;

	if (!dir || !*dir) {
		fprintf(stderr, "KEXSHIM_KERNEL_DIR is not set (run make check-unit)\n");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/vmlinuz", dir);
	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st)) {
		fprintf(stderr, "%s: cannot open\n", path);
		return -1;
	}
	vmlinuz_len = st.st_size;
	vmlinuz = malloc(vmlinuz_len);
	copy = malloc(vmlinuz_len);
	if (!vmlinuz || !copy ||
	    fread(vmlinuz, 1, vmlinuz_len, f) != vmlinuz_len) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return mkdtemp(empty_root) ? 0 : -1;
}

static int free_kernel(void **state)
{
	rmdir(empty_root);
	free(vmlinuz);
	free(copy);
	return 0;
}

/* A fresh copy of the real kernel to corrupt. */
static uint8_t *fresh(void)
{
	memcpy(copy, vmlinuz, vmlinuz_len);
	return copy;
}

static void expect_error(const uint8_t *buf, size_t len, const char *what)
{
	int ret = bzimage_parse("/esp/vmlinuz", buf, len, &bz);

	assert_int_equal(ret, -EINVAL);
	if (!strstr(kx_last_error(), what))
		fail_msg("error \"%s\" lacks \"%s\"", kx_last_error(), what);
	assert_non_null(strstr(kx_last_error(), "bzimage: /esp/vmlinuz: "));
}

/* ---- the real Debian kernel ---- */

static void test_real_kernel(void **state)
{
	assert_int_equal(bzimage_parse("vmlinuz", vmlinuz, vmlinuz_len, &bz), 0);
	assert_int_equal(bz.version, 0x020f);
	assert_int_equal(bz.hdr_end, 0x26c);
	assert_int_equal(bz.setup_size, (vmlinuz[0x1f1] + 1) * 512);
	assert_ptr_equal(bz.kernel, vmlinuz + bz.setup_size);
	/* syssize * 16: the appended signature is not part of the kernel. */
	assert_int_equal(bz.kernel_size,
			 (size_t)(vmlinuz[0x1f4] | vmlinuz[0x1f5] << 8 |
				  vmlinuz[0x1f6] << 16) * 16);
	assert_true(bz.kernel_size <= vmlinuz_len - bz.setup_size);
	assert_int_equal(bz.init_size, 0x3f98000);
	assert_true(bz.relocatable);
	assert_int_equal(bz.kernel_alignment, 0x200000);
	assert_int_equal(bz.pref_address, 0x1000000);
	assert_int_equal(bz.cmdline_size, 2047);
	assert_int_equal(bz.initrd_addr_max, 0x7fffffff);
	assert_int_equal(bz.xloadflags, 0x7f);
	assert_ptr_equal(bz.hdr, vmlinuz + 0x1f1);
	assert_int_equal(bz.hdr->setup_sects, vmlinuz[0x1f1]);
}

/* ---- corrupted copies ---- */

static void test_truncated(void **state)
{
	size_t setup = (vmlinuz[0x1f1] + 1) * 512;
	size_t need, cuts[] = { 0, 100, 1023, 4096, setup - 1, setup,
				setup + 1, 1 << 20, vmlinuz_len / 2 };
	char msg[128];
	size_t i;

	assert_int_equal(bzimage_parse("vmlinuz", vmlinuz, vmlinuz_len, &bz), 0);
	need = bz.setup_size + bz.kernel_size;
	expect_error(vmlinuz, 0, "too small");
	expect_error(vmlinuz, 1023, "too small");
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		expect_error(vmlinuz, cuts[i], cuts[i] < 1024 ? "too small" :
			     "truncated");
	expect_error(vmlinuz, 4096, "truncated: setup is");
	/* A whole paragraph short of what syssize promises is a real
	 * truncation ... */
	snprintf(msg, sizeof(msg), "truncated: syssize says %zu bytes, file has %zu",
		 bz.kernel_size, bz.kernel_size - 16);
	expect_error(vmlinuz, need - 16, msg);
	/* ... up to 15 bytes are syssize's rounding up to 16-byte units:
	 * the kernel is what the file has. */
	assert_int_equal(bzimage_parse("vmlinuz", vmlinuz, need - 15, &bz), 0);
	assert_int_equal(bz.kernel_size, need - 15 - bz.setup_size);
	assert_int_equal(bzimage_parse("vmlinuz", vmlinuz, need - 1, &bz), 0);
	assert_int_equal(bz.kernel_size, need - 1 - bz.setup_size);
	/* Exactly syssize: only the appended signature is gone, fine. */
	assert_int_equal(bzimage_parse("vmlinuz", vmlinuz, need, &bz), 0);
	assert_int_equal(bz.kernel_size, need - bz.setup_size);
}

static void test_bad_magic(void **state)
{
	uint8_t *b = fresh();

	memcpy(b + 0x202, "HdrX", 4);
	expect_error(b, vmlinuz_len, "bad magic 0x58726448 (want HdrS)");
}

static void test_bad_boot_flag(void **state)
{
	uint8_t *b = fresh();

	put16(b + 0x1fe, 0x55aa);
	expect_error(b, vmlinuz_len, "bad boot flag 0x55aa (want 0xaa55)");
}

static void test_old_protocol(void **state)
{
	uint8_t *b = fresh();

	put16(b + 0x206, 0x020a);
	expect_error(b, vmlinuz_len, "boot protocol 2.10 too old (need 2.12)");
	put16(b + 0x206, 0x020b);
	expect_error(b, vmlinuz_len, "boot protocol 2.11 too old");
	put16(b + 0x206, 0x020c);
	assert_int_equal(bzimage_parse("vmlinuz", b, vmlinuz_len, &bz), 0);
}

static void test_init_size(void **state)
{
	uint8_t *b = fresh();

	put32(b + 0x260, 0x7fffffff);
	expect_error(b, vmlinuz_len, "absurd init_size 0x7fffffff");
	put32(b + 0x260, 0);
	expect_error(b, vmlinuz_len, "init_size is 0");
	put32(b + 0x260, 0x100000);
	expect_error(b, vmlinuz_len, "init_size 0x100000 is smaller than");
}

static void test_no_kernel_64(void **state)
{
	uint8_t *b = fresh();

	put16(b + 0x236, 0x7e);
	expect_error(b, vmlinuz_len, "lack XLF_KERNEL_64");
}

static void test_not_bzimage(void **state)
{
	uint8_t *b = fresh();

	b[0x211] &= ~1; /* zImage */
	expect_error(b, vmlinuz_len, "lack LOADED_HIGH");
}

static void test_bad_alignment(void **state)
{
	uint8_t *b = fresh();

	put32(b + 0x230, 0x300000);
	expect_error(b, vmlinuz_len, "kernel_alignment 0x300000 is not a power of two");
	put32(b + 0x230, 0);
	expect_error(b, vmlinuz_len, "kernel_alignment 0x0");
}

static void test_header_length(void **state)
{
	uint8_t *b = fresh();

	b[0x201] = 0x40; /* header would end at 0x242, before init_size */
	expect_error(b, vmlinuz_len, "setup header ends at 0x242");
	b[0x201] = 0xa0; /* past the room boot_params has */
	expect_error(b, vmlinuz_len, "setup header ends at 0x2a2");
}

static void test_syssize_zero(void **state)
{
	uint8_t *b = fresh();

	put32(b + 0x1f4, 0);
	expect_error(b, vmlinuz_len, "syssize is 0");
}

static void test_cmdline_size_zero(void **state)
{
	uint8_t *b = fresh();

	put32(b + 0x238, 0);
	expect_error(b, vmlinuz_len, "cmdline_size is 0");
}

/* ---- synthetic images ---- */

#define SYN_PAYLOAD (64 * 1024)
#define SYN_PREF 0x1000000ull
#define SYN_INIT 0x400000u

static uint8_t syn[5 * 512 + SYN_PAYLOAD];
static uint16_t syn_more_xlf; /* xloadflags beyond 64-bit + above 4G */

/* A minimal 2.15 bzImage with setup_sects 0 (which means 4). */
static size_t synthetic(int relocatable)
{
	memset(syn, 0, sizeof(syn));
	syn[0x1f1] = 0;
	put32(syn + 0x1f4, SYN_PAYLOAD / 16);
	put16(syn + 0x1fe, 0xaa55);
	syn[0x200] = 0xeb;
	syn[0x201] = 0x6a;
	memcpy(syn + 0x202, "HdrS", 4);
	put16(syn + 0x206, 0x020f);
	syn[0x211] = 0x01;
	put32(syn + 0x22c, 0x7fffffff);
	put32(syn + 0x230, 0x200000);
	syn[0x234] = relocatable;
	syn[0x235] = 21;
	put16(syn + 0x236, 0x0003 | syn_more_xlf);
	put32(syn + 0x238, 255);
	put64(syn + 0x258, SYN_PREF);
	put32(syn + 0x260, SYN_INIT);
	memset(syn + 5 * 512, 0xcc, SYN_PAYLOAD);
	return sizeof(syn);
}

static void test_setup_sects_zero(void **state)
{
	size_t len = synthetic(1);

	assert_int_equal(bzimage_parse("syn", syn, len, &bz), 0);
	assert_int_equal(bz.setup_size, 5 * 512);
	assert_ptr_equal(bz.kernel, syn + 5 * 512);
	assert_int_equal(bz.kernel_size, SYN_PAYLOAD);
	/* With 4 sectors taken literally as 0 the payload would be 2 KiB
	 * longer than the file: a real truncation shows up. */
	expect_error(syn, len - 16, "truncated: syssize says 65536 bytes, file has 65520");
}

/* Plan the synthetic image with arch_ops.load over RAM [4 KiB, 640 KiB)
 * and [1 MiB, 1 GiB) minus hole, in an empty fake root (no sysfs: the
 * e820 comes from l->firmware). */

static int plan_synthetic(int relocatable, uint64_t hole_start,
			  uint64_t hole_end)
{
	struct memmap_range ram[] = {
		{ 0x1000, 0xa0000, MEMMAP_RAM },
		{ 0x100000, 0x40000000, MEMMAP_RAM },
	};

	memset(&ld, 0, sizeof(ld));
	ld.req.root = empty_root;
	ld.img.kernel_path = "/esp/old-vmlinuz";
	ld.img.kernel = syn;
	ld.img.kernel_size = synthetic(relocatable);
	ld.img.cmdline = "console=ttyS0";
	memcpy(ld.usable.r, ram, sizeof(ram));
	ld.usable.n = 2;
	ld.firmware = ld.usable;
	if (hole_end)
		assert_int_equal(memmap_remove(&ld.usable, hole_start, hole_end), 0);
	assert_int_equal(plan_init(&ld.plan, &ld.usable), 0);
	load_arch_view(&ld, &view);
	return arch_ops.load(&view);
}

static const struct plan_segment *segment(const char *name)
{
	size_t i;

	for (i = 0; i < ld.plan.n; i++)
		if (!strcmp(ld.plan.seg[i].name, name))
			return &ld.plan.seg[i];
	fail_msg("no segment \"%s\"", name);
	return NULL;
}

static void test_fixed_at_pref_address(void **state)
{
	const struct plan_segment *k;

	assert_int_equal(plan_synthetic(0, 0, 0), 0);
	k = segment("kernel");
	assert_int_equal(k->mem, SYN_PREF);
	/* init_size stays free of the others, only the payload is loaded. */
	assert_int_equal(k->memsz, (SYN_PAYLOAD + 4095) & ~4095u);
	assert_int_equal(k->bufsz, SYN_PAYLOAD);
	for (size_t i = 0; i < ld.plan.n; i++)
		if (&ld.plan.seg[i] != k)
			assert_true(ld.plan.seg[i].mem >= SYN_PREF + SYN_INIT ||
				    ld.plan.seg[i].mem + ld.plan.seg[i].memsz <= SYN_PREF);
	assert_ptr_equal(k->buf, syn + 5 * 512);
	assert_int_equal(ld.args.entry, SYN_PREF + 0x200);
	load_release(&ld);

	/* Relocatable, the same image goes low but not below pref_address. */
	assert_int_equal(plan_synthetic(1, 0, 0), 0);
	assert_int_equal(segment("kernel")->mem, SYN_PREF);
	load_release(&ld);
	/* ... and around a hole at pref_address, 2 MiB aligned. */
	assert_int_equal(plan_synthetic(1, SYN_PREF, SYN_PREF + 0x1000), 0);
	assert_int_equal(segment("kernel")->mem, SYN_PREF + 0x200000);
	load_release(&ld);
}

static void test_fixed_range_reserved(void **state)
{
	/* One reserved page inside [pref_address, + init_size). */
	assert_int_equal(plan_synthetic(0, SYN_PREF + 0x200000,
					SYN_PREF + 0x201000), -ENOSPC);
	if (!strstr(kx_last_error(), "bzimage: /esp/old-vmlinuz: non-relocatable kernel needs [0x1000000, 0x1400000) free (pref_address)"))
		fail_msg("message: %s", kx_last_error());
	assert_non_null(strstr(kx_last_error(), "0x1200000"));
	load_release(&ld);
}

/* kexec keeps the shim's paging mode; a kernel without XLF_5LEVEL cannot
 * be entered with 5-level paging on. */
static void test_5level(void **state)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc", empty_root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/cpuinfo", empty_root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("processor\t: 0\nflags\t\t: fpu vme pse la57 rdpid\n\n"
	      "processor\t: 1\nflags\t\t: fpu vme pse la57 rdpid\n", f);
	fclose(f);
	/* The synthetic image's xloadflags are 0x0003. */
	assert_int_equal(plan_synthetic(1, 0, 0), -EINVAL);
	if (!strstr(kx_last_error(), "bzimage: /esp/old-vmlinuz: the shim runs "
		    "with 5-level paging and this kernel cannot be entered so "
		    "(xloadflags 0x0003 lack XLF_5LEVEL)"))
		fail_msg("message: %s", kx_last_error());
	assert_int_equal(ld.plan.n, 0);
	load_release(&ld);
	/* With the flag it plans. */
	syn_more_xlf = XLF_5LEVEL;
	assert_int_equal(plan_synthetic(1, 0, 0), 0);
	syn_more_xlf = 0;
	load_release(&ld);
	/* 4-level ("la57" cleared by the kernel, or a CPU without it). */
	f = fopen(path, "w");
	fputs("flags\t\t: fpu vme pse la57x rdpid\n", f);
	fclose(f);
	assert_int_equal(plan_synthetic(1, 0, 0), 0);
	load_release(&ld);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc", empty_root);
	rmdir(path);
}

/* A payload nobody here made: Debian's memtest86+ 6.10 Linux-protocol
 * binary ($KEXSHIM_MEMTEST_DIR, tools/fetch-deb memtest86+), whose syssize
 * (142784 bytes) rounds its 142776-byte protected-mode part up. */
static void test_memtest86plus(void **state)
{
	const char *dir = getenv("KEXSHIM_MEMTEST_DIR");
	char path[4096], *buf;
	size_t len;

	if (!dir)
		fail_msg("KEXSHIM_MEMTEST_DIR is not set (run make check-unit)");
	snprintf(path, sizeof(path), "%s/boot/memtest86+x64.bin", dir);
	if (read_file_whole("test", path, 0, &buf, &len))
		fail_msg("%s", kx_last_error());
	assert_int_equal(bzimage_parse(path, (uint8_t *)buf, len, &bz), 0);
	assert_int_equal(bz.kernel_size, len - bz.setup_size);
	assert_int_equal(bz.kernel_size, 142776);
	assert_false(bz.relocatable);
	assert_int_equal(bz.pref_address, 0x100000);
	assert_true(bz.xloadflags & XLF_KERNEL_64);
	assert_int_equal(bz.cmdline_size, 255);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_kernel),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_boot_flag),
		cmocka_unit_test(test_old_protocol),
		cmocka_unit_test(test_init_size),
		cmocka_unit_test(test_no_kernel_64),
		cmocka_unit_test(test_not_bzimage),
		cmocka_unit_test(test_bad_alignment),
		cmocka_unit_test(test_header_length),
		cmocka_unit_test(test_syssize_zero),
		cmocka_unit_test(test_cmdline_size_zero),
		cmocka_unit_test(test_setup_sects_zero),
		cmocka_unit_test(test_fixed_at_pref_address),
		cmocka_unit_test(test_fixed_range_reserved),
		cmocka_unit_test(test_memtest86plus),
		cmocka_unit_test(test_5level),
	};

	return cmocka_run_group_tests(tests, read_kernel, free_kernel);
}
