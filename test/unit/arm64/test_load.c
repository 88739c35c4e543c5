/* Host unit tests: arm64 placement through arch_ops.load (and once through
 * load_prepare end to end) on fake /proc/iomem maps: the kernel at a 2 MiB
 * base + text_offset, the initrd inside the kernel's 1 GiB-aligned 32 GiB
 * window, the dtb on its own 2 MiB block, and the purgatory's entry and
 * registers.  Uses the real Debian Image ($KEXSHIM_KERNEL_DIR_ARM64). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <ftw.h>
#include <libfdt.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "image/image.h"
#include "lib/error.h"
#include "load/load.h"
#include "lib/readfile.h"
#include "arch/arch.h"
#include "arch/arm64/arm64.h"
#include "kexec/memmap.h"
#include "kexec/plan.h"

#define MiB (1024ull * 1024)
#define GiB (1024ull * MiB)

static char tmp[] = "/tmp/kexshim-arm64-load-XXXXXX";
static char root[1024], kernel_path[4096], initrd_path[4096];
static uint8_t *debian;
static size_t debian_len;
static uint8_t *initrd;
#define INITRD_SIZE (5 * MiB + 123)
static struct load l;
static struct arch_load ld;

/* What the arch code sees of l, refreshed at each call. */
static struct arch_load *view(void)
{
	load_arch_view(&l, &ld);
	return &ld;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

/* A tree as an EFI boot's /sys/firmware/fdt looks, plus a stdout-path to
 * a PL011 (as in device-tree mode). */
static void write_live_fdt(void)
{
	const fdt32_t be[4] = { cpu_to_fdt32(0), cpu_to_fdt32(0x9000000),
				cpu_to_fdt32(0), cpu_to_fdt32(0x1000) };
	char path[4096];
	uint8_t buf[8192];
	FILE *f;
	int c, u;

	assert_int_equal(fdt_create_empty_tree(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_setprop_u32(buf, 0, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(buf, 0, "#size-cells", 2), 0);
	c = fdt_add_subnode(buf, 0, "chosen");
	assert_true(c >= 0);
	u = fdt_add_subnode(buf, 0, "pl011@9000000");
	assert_true(u >= 0);
	assert_int_equal(fdt_setprop_string(buf, u, "compatible", "arm,pl011"),
			 0);
	assert_int_equal(fdt_setprop(buf, u, "reg", be, sizeof(be)), 0);
	c = fdt_path_offset(buf, "/chosen");
	assert_int_equal(fdt_setprop_string(buf, c, "stdout-path",
					    "/pl011@9000000"), 0);
	assert_int_equal(fdt_setprop_u64(buf, c, "linux,uefi-system-table",
					 0xbfe1c018), 0);
	assert_int_equal(fdt_pack(buf), 0);

	snprintf(path, sizeof(path), "%s/sys", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/firmware", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/firmware/fdt", root);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, fdt_totalsize(buf), f),
			 fdt_totalsize(buf));
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	const char *kdir = getenv("KEXSHIM_KERNEL_DIR_ARM64");
	char *buf;
	FILE *f;
	size_t i;

	if (!mkdtemp(tmp))
		return -1;
	snprintf(root, sizeof(root), "%s/root", tmp);
	mkdir(root, 0755);
	snprintf(initrd_path, sizeof(initrd_path), "%s/initrd", tmp);
	initrd = malloc(INITRD_SIZE);
	if (!initrd)
		return -1;
	for (i = 0; i < INITRD_SIZE; i++)
		initrd[i] = (uint8_t)(i * 31 + 7);
	f = fopen(initrd_path, "wb");
	if (!f || fwrite(initrd, 1, INITRD_SIZE, f) != INITRD_SIZE ||
	    fclose(f))
		return -1;
	/* A missing kernel fails the tests that need it, never skips. */
	if (!kdir)
		return 0;
	snprintf(kernel_path, sizeof(kernel_path), "%s/vmlinuz", kdir);
	if (!read_file_whole("test", kernel_path, 0, &buf, &debian_len))
		debian = (uint8_t *)buf;
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(p);
}

static int teardown(void **state)
{
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(debian);
	free(initrd);
	return 0;
}

static int each_teardown(void **state)
{
	load_release(&l);
	return 0;
}

static void need_debian(void)
{
	if (!debian)
		fail_msg("KEXSHIM_KERNEL_DIR_ARM64/vmlinuz missing: run "
			 "tools/fetch-kernel arm64");
}

/* Set l up as load_prepare would, over an iomem text. */
static void start(const char *iomem, const uint8_t *kernel, size_t klen,
		  size_t initrd_size)
{
	memset(&l, 0, sizeof(l));
	l.req.root = root;
	l.img.kernel_path = "vmlinuz";
	l.img.kernel = kernel;
	l.img.kernel_size = klen;
	l.img.cmdline = "console=ttyAMA0";
	if (initrd_size) {
		l.img.initrd = initrd;
		l.img.initrd_size = initrd_size;
		l.img.initrd_desc = "initrd.img";
	}
	assert_int_equal(memmap_parse_iomem("iomem", iomem, strlen(iomem),
					    &l.firmware, &l.usable), 0);
	assert_int_equal(plan_init(&l.plan, &l.usable), 0);
	write_live_fdt();
}

static const struct plan_segment *seg(const char *name)
{
	size_t i;

	for (i = 0; i < l.plan.n; i++)
		if (!strcmp(l.plan.seg[i].name, name))
			return &l.plan.seg[i];
	fail_msg("no %s segment", name);
	return NULL;
}

static void load_ok(void)
{
	int err = arch_ops.load(view());

	if (err)
		fail_msg("arch_ops.load: %d: %s", err, kx_last_error());
}

/* The dtb on a whole 2 MiB block, x0 pointing at it, a readable tree. */
static void check_dtb(void)
{
	const struct plan_segment *d = seg("dtb");

	assert_int_equal(d->mem % (2 * MiB), 0);
	assert_int_equal(d->memsz, 2 * MiB);
	assert_true(d->bufsz <= 2 * MiB);
	assert_int_equal(fdt_check_header(d->buf), 0);
	assert_int_equal(l.args.regs[0], d->mem);
	assert_int_equal(l.args.regs[1], 0);
	assert_int_equal(l.args.regs[2], 0);
	assert_int_equal(l.args.regs[3], 0);
}

static uint64_t chosen_u64(const char *prop)
{
	const void *fdt = seg("dtb")->buf;
	int c = fdt_path_offset(fdt, "/chosen");
	const void *v;
	fdt64_t x;
	int len;

	assert_true(c >= 0);
	v = fdt_getprop(fdt, c, prop, &len);
	assert_non_null(v);
	assert_int_equal(len, 8);
	memcpy(&x, v, 8);
	return fdt64_to_cpu(x);
}

/* ---- tests ---- */

/* 2 GiB at 0x40000000 with firmware carve-outs, one right at the start. */
static const char virt_2g[] =
	"09000000-09000fff : pl011@9000000\n"
	"40000000-bfffffff : System RAM\n"
	"  40000000-401fffff : reserved\n"
	"  40210000-4159ffff : Kernel code\n"
	"  48000000-480fffff : reserved\n"
	"  bf000000-bfffffff : reserved\n";

static void test_virt_2g(void **state)
{
	const struct plan_segment *k, *i;

	need_debian();
	start(virt_2g, debian, debian_len, INITRD_SIZE);
	load_ok();
	k = seg("kernel");
	/* Lowest 2 MiB boundary past the reserved start; image_size
	 * (0x2010000) kept free of the others, only the file loaded. */
	assert_int_equal(k->mem, 0x40200000);
	assert_int_equal(k->memsz, (debian_len + 4095) & ~(size_t)4095);
	assert_int_equal(k->bufsz, debian_len);
	for (size_t n = 0; n < l.plan.n; n++)
		if (&l.plan.seg[n] != k)
			assert_true(l.plan.seg[n].mem >= k->mem + 0x2010000 ||
				    l.plan.seg[n].mem + l.plan.seg[n].memsz <= k->mem);
	assert_ptr_equal(k->buf, debian);
	assert_int_equal(l.args.entry, 0x40200000);
	/* The initrd high, but below the reserved top. */
	i = seg("initrd");
	assert_int_equal(i->bufsz, INITRD_SIZE);
	assert_true(i->mem + i->memsz <= 0xbf000000);
	assert_true(i->mem >= 0xb0000000);
	assert_int_equal(chosen_u64("linux,initrd-start"), i->mem);
	assert_int_equal(chosen_u64("linux,initrd-end"), i->mem + INITRD_SIZE);
	check_dtb();
	/* Close to the kernel (the pre-4.2 512 MiB rule costs nothing). */
	assert_true(seg("dtb")->mem >= 0x42210000 &&
		    seg("dtb")->mem < 0x60200000);
	assert_int_equal(l.args.console.type, PURGATORY_CONSOLE_PL011);
	assert_int_equal(l.args.console.base, 0x9000000);
	assert_int_equal(plan_finish(&l.plan), 0);
}

/* RAM from 0x60000000: the kernel's window starts at the 1 GiB boundary
 * below it (0x40000000), not at the kernel, so it ends at 0x840000000. */
static const char split_1g[] =
	"60000000-8ffffffff : System RAM\n";

static void test_window_aligned(void **state)
{
	const struct plan_segment *k, *i;

	need_debian();
	start(split_1g, debian, debian_len, INITRD_SIZE);
	load_ok();
	k = seg("kernel");
	assert_int_equal(k->mem, 0x60000000);
	i = seg("initrd");
	/* Highest place inside [0, 0x40000000 + 32 GiB). */
	assert_true(i->mem + i->memsz <= 0x840000000ull);
	assert_true(i->mem + i->memsz > 0x840000000ull - 4096);
	assert_int_equal(plan_finish(&l.plan), 0);
}

/* Low RAM and RAM past the window: the initrd stays low although the
 * planner alone would take the highest range. */
static const char low_and_far[] =
	"40000000-7fffffff : System RAM\n"
	"880000000-8ffffffff : System RAM\n";

static void test_window_bites(void **state)
{
	const struct plan_segment *i;

	need_debian();
	start(low_and_far, debian, debian_len, INITRD_SIZE);
	load_ok();
	assert_int_equal(seg("kernel")->mem, 0x40000000);
	i = seg("initrd");
	assert_true(i->mem + i->memsz <= 0x80000000);
	assert_int_equal(plan_finish(&l.plan), 0);
}

/* The initrd fits only 64 GiB up, outside any window with the kernel. */
static const char initrd_far[] =
	"40000000-43ffffff : System RAM\n"
	"1000000000-103fffffff : System RAM\n";

static void test_initrd_outside_window(void **state)
{
	int err;

	need_debian();
	start(initrd_far, debian, debian_len, INITRD_SIZE * 8);
	err = arch_ops.load(view());
	assert_int_equal(err, -ENOSPC);
	if (!strstr(kx_last_error(), "32 GiB window") ||
	    !strstr(kx_last_error(), "initrd.img"))
		fail_msg("unclear error: %s", kx_last_error());
}

static void test_old_kernel_text_offset(void **state)
{
	static const char map[] =
		"40000000-7fffffff : System RAM\n"
		"  40000000-400fffff : reserved\n";
	uint8_t *img = calloc(1, 1 * MiB);

	assert_non_null(img);
	/* Before v3.17: image_size 0 means text_offset 0x80000. */
	put_le64(img + 0x08, 0x80000);
	memcpy(img + 0x38, "ARMd", 4);
	start(map, img, 1 * MiB, 0);
	load_ok();
	/* Base 0x40200000 is the first 2 MiB boundary whose +0x80000 is
	 * past the reserved MiB. */
	assert_int_equal(seg("kernel")->mem, 0x40280000);
	assert_int_equal(l.args.entry, 0x40280000);
	check_dtb();
	free(img);
}

static void test_no_room_for_kernel(void **state)
{
	/* Bit 3 set: the image must lie below 2^48; all RAM is above. */
	static const char map[] = "1000000000000-100003fffffff : System RAM\n";
	uint8_t img[4096] = { 0 };

	put_le64(img + 0x10, 0x100000);
	put_le64(img + 0x18, ARM64_IMAGE_FLAG_PHYS_ANYWHERE);
	memcpy(img + 0x38, "ARMd", 4);
	start(map, img, sizeof(img), 0);
	assert_int_equal(arch_ops.load(view()), -ENOSPC);
	assert_non_null(strstr(kx_last_error(), "no free RAM for the kernel"));
}

/* Linux would cut bootargs at COMMAND_LINE_SIZE - 1 without a word. */
static void test_cmdline_too_long(void **state)
{
	static char line[2049];
	uint8_t img[4096] = { 0 };

	put_le64(img + 0x10, 0x100000);
	memcpy(img + 0x38, "ARMd", 4);
	start(virt_2g, img, sizeof(img), 0);
	memset(line, 'a', 2047);
	l.img.cmdline = line;
	assert_int_equal(arch_ops.load(view()), 0);
	load_release(&l);
	start(virt_2g, img, sizeof(img), 0);
	line[2047] = 'b';
	l.img.cmdline = line;
	assert_int_equal(arch_ops.load(view()), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "arm64-image: vmlinuz: command "
			       "line is 2048 bytes, the kernel takes at most "
			       "2047"));
	assert_int_equal(l.plan.n, 0);
}

static void test_gz_kernel(void **state)
{
	const struct plan_segment *k;
	size_t small_len = 256 * 1024, gz_len;
	uint8_t *small = calloc(1, small_len), *gz;
	z_stream zs;

	assert_non_null(small);
	put_le64(small + 0x10, 2 * MiB);
	memcpy(small + 0x38, "ARMd", 4);
	gz = malloc(small_len);
	assert_non_null(gz);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = small;
	zs.avail_in = small_len;
	zs.next_out = gz;
	zs.avail_out = small_len;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	gz_len = zs.total_out;
	deflateEnd(&zs);

	/* The load flow unwraps it (boot/image/) before the arch sees it. */
	start(virt_2g, gz, gz_len, 0);
	assert_int_equal(image_unwrap(&l.arena, "vmlinuz.gz", gz, gz_len,
				      IMAGE_UNPACK_MAX, -1, &l.kernel), 0);
	l.img.kernel = l.kernel.kernel;
	l.img.kernel_size = l.kernel.kernel_size;
	load_ok();
	k = seg("kernel");
	assert_int_equal(k->bufsz, small_len);
	assert_int_equal(k->memsz, (small_len + 4095) & ~(size_t)4095);
	assert_memory_equal(k->buf, small, small_len);
	free(gz);
	free(small);
}

static void test_window_math(void **state)
{
	uint64_t min, max;

	arm64_initrd_window(0x40200000, 0x42210000, &min, &max);
	assert_int_equal(min, 0);
	assert_int_equal(max, 0x840000000ull);
	/* A kernel high up: the window may also lie below it. */
	arm64_initrd_window(0x1040000000ull, 0x1042010000ull, &min, &max);
	assert_int_equal(min, 0x1080000000ull - 32 * GiB);
	assert_int_equal(max, 0x1040000000ull + 32 * GiB);
}

/* load_prepare end to end: files, a saved QEMU virt iomem, the fake root. */
static void test_load_prepare(void **state)
{
	const char *top = getenv("KEXSHIM_TOP");
	char iomem[4096];
	struct load_request req = { 0 };
	const struct plan_segment *k;
	int err;

	need_debian();
	snprintf(iomem, sizeof(iomem),
		 "%s/test/unit/fixtures/iomem/arm64-virt.iomem",
		 top ? top : ".");
	write_live_fdt();
	req.kernel = kernel_path;
	req.initrd[0] = initrd_path;
	req.nr_initrd = 1;
	req.cmdline = "console=ttyAMA0 panic=-1";
	req.memmap = iomem;
	req.root = root;
	err = load_prepare(&l, &req);
	if (err)
		fail_msg("load_prepare: %d: %s", err, kx_last_error());
	k = seg("kernel");
	/* [0x40000000, 0x415a0000) is too small for 0x2010000 bytes; the
	 * next 2 MiB boundary after the reserved range is 0x41a00000. */
	assert_int_equal(k->mem, 0x41a00000);
	assert_int_equal(l.args.entry, k->mem);
	assert_int_equal(seg("initrd")->bufsz, INITRD_SIZE);
	(void)seg("purgatory");
	check_dtb();
	assert_int_equal(l.args.console.type, PURGATORY_CONSOLE_PL011);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_teardown(f, each_teardown)
		T(test_virt_2g),
		T(test_window_aligned),
		T(test_window_bites),
		T(test_initrd_outside_window),
		T(test_old_kernel_text_offset),
		T(test_no_room_for_kernel),
		T(test_cmdline_too_long),
		T(test_gz_kernel),
		T(test_window_math),
		T(test_load_prepare),
#undef T
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
