/* Host unit tests: one table of bad inputs across the parsers and the
 * planner, each with the one-line error it must give and no plan.  Kernel
 * cases cut and poke the real Debian bzImage ($KEXSHIM_KERNEL_DIR/vmlinuz)
 * at its header boundaries and go through load_prepare() as `kexshim plan`
 * does, over the saved q35 iomem; file cases put what should be a file
 * (missing, empty, a directory, a FIFO) in each input's place; the rest
 * hand bytes to one parser.  Never reaches a syscall that loads. */
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

#include "config/bls.h"
#include "config/entry.h"
#include "config/loaderconf.h"
#include "fdt/dt.h"
#include "image/image.h"
#include "image/pe.h"
#include "kexec/memmap.h"
#include "kexec/plan.h"
#include "kmod/modules.h"
#include "lib/arena.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "lib/warn.h"
#include "load/load.h"
#include "shimconf.h"

static char tmp[] = "/tmp/kexshim-badinput-XXXXXX";
static char kpath[4096], iomem[4096], root[4096];
static uint8_t *kernel; /* the real bzImage */
static size_t kernel_len, setup_end;
static struct load l;

/* ---- the cases ---- */

enum input { IN_KERNEL, IN_INITRD, IN_MEMMAP };
enum what { MISSING, EMPTY, DIRECTORY, FIFO };

struct bad {
	const char *name;
	int (*run)(const struct bad *b);
	const char *want;     /* in the message, after the path when any */
	/* kernel cases: cut at (from the end when negative), then poke */
	long cut;
	uint32_t off, width;
	uint64_t val;
	uint32_t off2;        /* and a u64 there when not 0 */
	uint64_t val2;
	/* file and planner cases */
	int input, what;
	/* parser cases: the bytes */
	const char *text;
	size_t len;           /* 0: strlen(text) */
};

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static int load(const char *k, const char *initrd, const char *mm,
		const char *cmdline)
{
	struct load_request req = {
		.kernel = k, .memmap = mm, .root = root, .uki_profile = -1,
		.cmdline = cmdline,
	};
	int rc;

	if (initrd)
		req.initrd[req.nr_initrd++] = initrd;
	rc = load_prepare(&l, &req);
	/* a failed load leaves no plan behind */
	if (rc) {
		assert_int_equal(l.plan.n, 0);
		assert_int_equal(l.entry, 0);
	}
	load_release(&l);
	return rc;
}

/* The real kernel, cut and poked. */
static int run_kernel(const struct bad *b)
{
	size_t n = b->cut > 0 ? (size_t)b->cut :
		   b->cut < 0 ? kernel_len - (size_t)-b->cut : kernel_len;
	uint8_t *k = malloc(kernel_len);
	int rc;

	assert_non_null(k);
	memcpy(k, kernel, kernel_len);
	/* little-endian host, as the header */
	if (b->width)
		memcpy(k + b->off, &b->val, b->width);
	if (b->off2)
		memcpy(k + b->off2, &b->val2, sizeof(b->val2));
	write_bytes(kpath, k, n);
	free(k);
	rc = load(kpath, NULL, iomem, NULL);
	unlink(kpath);
	return rc;
}

/* Cut where the setup code ends, plus cut (the protected-mode part's
 * boundaries depend on this kernel's setup_sects). */
static int run_kernel_setup(const struct bad *b)
{
	struct bad c = *b;

	c.cut = (long)setup_end + b->cut;
	return run_kernel(&c);
}

/* Cut relative to where the protected-mode part (syssize * 16) ends:
 * the Debian kernel's signature follows it and may go. */
static int run_kernel_payload(const struct bad *b)
{
	struct bad c = *b;
	uint32_t syssize;

	memcpy(&syssize, kernel + 0x1f4, 4);
	c.cut = (long)(setup_end + (size_t)syssize * 16) + b->cut;
	return run_kernel(&c);
}

static int run_cmdline(const struct bad *b)
{
	char *cl = malloc(b->len + 1);
	int rc;

	assert_non_null(cl);
	memset(cl, 'a', b->len);
	cl[b->len] = '\0';
	write_bytes(kpath, kernel, kernel_len);
	rc = load(kpath, NULL, iomem, cl);
	unlink(kpath);
	free(cl);
	return rc;
}

/* One input replaced by something that is no file to read. */
static int run_file(const struct bad *b)
{
	char bad[4096];
	int rc;

	snprintf(bad, sizeof(bad), "%s/bad", tmp);
	switch (b->what) {
	case EMPTY:
		write_bytes(bad, "", 0);
		break;
	case DIRECTORY:
		assert_int_equal(mkdir(bad, 0700), 0);
		break;
	case FIFO:
		assert_int_equal(mkfifo(bad, 0600), 0);
		break;
	}
	write_bytes(kpath, kernel, kernel_len);
	/* a FIFO must be refused, not waited on: fail, do not hang */
	alarm(10);
	rc = load(b->input == IN_KERNEL ? bad : kpath,
		  b->input == IN_INITRD ? bad : NULL,
		  b->input == IN_MEMMAP ? bad : iomem, NULL);
	alarm(0);
	remove(bad);
	unlink(kpath);
	return rc;
}

/* A Type #1 entry whose file name is text's first line, the rest its
 * body. */
static int run_bls(const struct bad *b)
{
	const char *nl = strchr(b->text, '\n');
	char name[256];
	struct boot_entry e;
	int rc;

	snprintf(name, sizeof(name), "/loader/entries/%.*s",
		 (int)(nl - b->text), b->text);
	rc = bls_parse_entry(name, nl + 1, strlen(nl + 1), &e);
	if (!rc)
		entry_free(&e);
	return rc;
}

static int run_loaderconf(const struct bad *b)
{
	struct warnings w = { 0 };
	struct loader_conf c;
	int rc = loader_conf_parse("loader.conf", b->text,
				   b->len ? b->len : strlen(b->text), &c, &w);

	if (!rc)
		loader_conf_free(&c);
	return rc;
}

static int run_iomem(const struct bad *b)
{
	struct memmap fw, us;

	return memmap_parse_iomem("iomem", b->text,
				  b->len ? b->len : strlen(b->text), &fw, &us);
}

/* shimconf reports in its own struct (the EFI side has no kx_fail):
 * turned into kx_fail text as the loader prints it. */
static int run_shimconf(const struct bad *b)
{
	static struct shimconf conf;
	struct shimconf_error err;
	char msg[256];

	if (shimconf_parse(b->text, b->len ? b->len : strlen(b->text), &conf,
			   &err) == SHIMCONF_OK)
		return 0;
	shimconf_format_error(&err, msg, sizeof(msg));
	return kx_fail(EINVAL, "kexshim.conf: %s", msg);
}

static int run_dtb(const struct bad *b)
{
	return dt_check("t.dtb", b->text, b->len);
}

static int run_pe(const struct bad *b)
{
	struct pe_file pe;

	return pe_parse("image", "t.efi", (const uint8_t *)b->text, b->len, &pe);
}

static int run_unwrap(const struct bad *b)
{
	struct arena ar = { 0 };
	struct image img;
	int rc;

	memset(&img, 0, sizeof(img));
	rc = image_unwrap(&ar, "t", (const uint8_t *)b->text, b->len, 1 << 20,
			  -1, &img);
	arena_release(&ar);
	return rc;
}

/* modules.dep as text (text NULL: no modules.dep at all, what 1: a
 * directory in its place). */
static int run_modules(const struct bad *b)
{
	char dir[256], dep[512], alias[512];
	struct modules *m = NULL;
	int rc;

	snprintf(dir, sizeof(dir), "%s/mods", tmp);
	snprintf(dep, sizeof(dep), "%s/modules.dep", dir);
	snprintf(alias, sizeof(alias), "%s/modules.alias", dir);
	mkdir(dir, 0700);
	if (b->what == DIRECTORY)
		mkdir(dep, 0700);
	else if (b->text)
		write_bytes(dep, b->text, strlen(b->text));
	write_bytes(alias, "alias a* a\n", 11);
	rc = modules_open(dir, &m);
	modules_close(m);
	remove(dep);
	remove(alias);
	rmdir(dir);
	return rc;
}

/* ---- the planner, on 1 GiB of RAM at 1 MiB ---- */

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static int plan_with(struct plan_item *items, size_t n)
{
	struct memmap ram = { .n = 1, .r = { { MiB, GiB + MiB, MEMMAP_RAM } } };
	static struct plan p;
	size_t i;
	int rc = plan_init(&p, &ram);

	for (i = 0; !rc && i < n; i++)
		rc = plan_add(&p, &items[i]);
	if (!rc)
		rc = plan_finish(&p);
	return rc;
}

static int run_plan(const struct bad *b)
{
	struct plan_item it[20];
	size_t i, n = 1;

	memset(it, 0, sizeof(it));
	for (i = 0; i < 20; i++) {
		it[i].name = "seg";
		it[i].memsz = 4096;
	}
	switch (b->what) {
	case 0: /* more than KEXEC_SEGMENT_MAX */
		n = 17;
		break;
	case 1: /* larger than RAM */
		it[0].memsz = 2 * GiB;
		break;
	case 2: /* fixed, outside RAM */
		it[0].flags = PLAN_FIXED;
		it[0].fixed = 4 * GiB;
		break;
	case 3: /* fixed, overlapping the one before */
		n = 2;
		it[0].flags = it[1].flags = PLAN_FIXED;
		it[0].fixed = 16 * MiB;
		it[0].memsz = 2 * MiB;
		it[1].fixed = 17 * MiB;
		break;
	case 4: /* memsz wraps when rounded up to pages */
		it[0].memsz = UINT64_MAX - 100;
		break;
	case 5: /* fixed + memsz wraps */
		it[0].flags = PLAN_FIXED;
		it[0].fixed = UINT64_MAX - 4095;
		it[0].memsz = 8192;
		break;
	case 6: /* file bytes larger than memory size */
		it[0].buf = kernel;
		it[0].bufsz = 8192;
		break;
	case 7: /* alignment not a power of two */
		it[0].align = 3 * 4096;
		break;
	case 8: /* a window that excludes all RAM */
		it[0].min = 2 * GiB;
		it[0].max = 3 * GiB;
		break;
	case 9: /* min above max */
		it[0].min = 512 * MiB;
		it[0].max = 256 * MiB;
		break;
	case 10: /* keep_free wraps */
		it[0].keep_free = UINT64_MAX;
		break;
	case 11: /* fixed, not page-aligned */
		it[0].flags = PLAN_FIXED;
		it[0].fixed = 16 * MiB + 1;
		break;
	}
	return plan_with(it, n);
}

/* bzImage setup header fields (boot.rst) */
#define POKE(o, w, v) .off = (o), .width = (w), .val = (v)

static const char dtb_short[] = "\xd0\x0d\xfe\xed";
/* a v17 header: magic, totalsize 0x48, struct 0x38, strings 0x48,
 * rsvmap 0x28, version 17/16; the map has no terminator */
static const char dtb_rsv[0x48] =
	"\xd0\x0d\xfe\xed\x00\x00\x00\x48\x00\x00\x00\x38\x00\x00\x00\x48"
	"\x00\x00\x00\x28\x00\x00\x00\x11\x00\x00\x00\x10\x00\x00\x00\x00"
	"\x00\x00\x00\x00\x00\x00\x00\x10\x11\x11\x11\x11\x11\x11\x11\x11"
	"\x11\x11\x11\x11\x11\x11\x11\x11\x00\x00\x00\x01\x00\x00\x00\x00"
	"\x00\x00\x00\x02\x00\x00\x00\x09";
static const char dtb_big[0x28] =
	"\xd0\x0d\xfe\xed\x00\x10\x00\x00\x00\x00\x00\x38\x00\x00\x00\x48"
	"\x00\x00\x00\x28\x00\x00\x00\x11\x00\x00\x00\x10";
static const char mz_only[] = "MZ";
/* DOS header whose e_lfanew points past the file / to 4 GiB */
static const char mz_lfanew[64] = "MZ\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	"\0\0\0\0\x00\x10\x00\x00";
static const char mz_lfanew_max[64] = "MZ\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	"\0\0\0\0\xf0\xff\xff\xff";
static const char gz_junk[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
	"\xff\xff\xff\xff\xff\xff";
static const char zstd_junk[] = "\x28\xb5\x2f\xfd\xff\xff\xff\xff\xff\xff";
static const char xz_junk[] = "\xfd" "7zXZ\0\xff\xff\xff\xff\xff\xff\xff\xff";

static const struct bad cases[] = {
	/* the kernel cut at every setup header boundary */
	{ "kernel: 1 byte", run_kernel, "too small for a bzImage", .cut = 1 },
	{ "kernel: cut before setup_sects", run_kernel, "too small for a bzImage", .cut = 0x1f1 },
	{ "kernel: cut before boot_flag", run_kernel, "too small for a bzImage", .cut = 0x1fe },
	{ "kernel: cut before the jump", run_kernel, "too small for a bzImage", .cut = 0x200 },
	{ "kernel: cut before HdrS", run_kernel, "too small for a bzImage", .cut = 0x202 },
	{ "kernel: cut inside HdrS", run_kernel, "too small for a bzImage", .cut = 0x204 },
	{ "kernel: cut before version", run_kernel, "too small for a bzImage", .cut = 0x206 },
	{ "kernel: cut before kernel_alignment", run_kernel, "too small for a bzImage", .cut = 0x230 },
	{ "kernel: cut before xloadflags", run_kernel, "too small for a bzImage", .cut = 0x236 },
	{ "kernel: cut before cmdline_size", run_kernel, "too small for a bzImage", .cut = 0x238 },
	{ "kernel: cut before payload_offset", run_kernel, "too small for a bzImage", .cut = 0x248 },
	{ "kernel: cut before pref_address", run_kernel, "too small for a bzImage", .cut = 0x258 },
	{ "kernel: cut before init_size", run_kernel, "too small for a bzImage", .cut = 0x260 },
	{ "kernel: cut before handover_offset", run_kernel, "too small for a bzImage", .cut = 0x264 },
	{ "kernel: cut at the header's end", run_kernel, "too small for a bzImage", .cut = 0x268 },
	{ "kernel: cut inside the setup code", run_kernel_setup, "truncated", .cut = -512 },
	{ "kernel: cut at the setup code's end", run_kernel_setup, "truncated", .cut = 0 },
	{ "kernel: cut 1 byte into the kernel", run_kernel_setup, "truncated", .cut = 1 },
	{ "kernel: cut 4 KiB into the kernel", run_kernel_setup, "truncated", .cut = 4096 },
	/* syssize may overstate by up to 15 bytes (bzimage.c): 16 is short */
	{ "kernel: protected-mode part 16 bytes short", run_kernel_payload, "truncated", .cut = -16 },
	{ "kernel: protected-mode part half there", run_kernel_payload, "truncated", .cut = -(1 << 20) },
	/* wrong magic */
	{ "kernel: HdrS wrong", run_kernel, "bad magic", POKE(0x202, 4, 0x58585858) },
	{ "kernel: boot_flag wrong", run_kernel, "bad boot flag 0x1234 (want 0xaa55)", POKE(0x1fe, 2, 0x1234) },
	{ "kernel: HdrS lowercase", run_kernel, "bad magic", POKE(0x202, 4, 0x53726468) },
	/* sizes and offsets */
	{ "kernel: setup_sects 255", run_kernel, "truncated", POKE(0x1f1, 1, 255) },
	{ "kernel: syssize 0", run_kernel, "syssize", POKE(0x1f4, 4, 0) },
	{ "kernel: syssize * 16 beyond the file", run_kernel, "truncated", POKE(0x1f4, 4, 0x10000000) },
	{ "kernel: syssize * 16 overflows 32 bits", run_kernel, "truncated", POKE(0x1f4, 4, 0xffffffff) },
	{ "kernel: protocol 2.00", run_kernel, "protocol", POKE(0x206, 2, 0x0200) },
	{ "kernel: protocol 2.11", run_kernel, "protocol", POKE(0x206, 2, 0x020b) },
	{ "kernel: kernel_alignment 0", run_kernel, "kernel_alignment", POKE(0x230, 4, 0) },
	{ "kernel: kernel_alignment not a power of two", run_kernel, "kernel_alignment", POKE(0x230, 4, 0x300000) },
	{ "kernel: no 64-bit entry", run_kernel, "xloadflags", POKE(0x236, 2, 0) },
	{ "kernel: cmdline_size 0", run_kernel, "cmdline_size is 0", POKE(0x238, 4, 0) },
	{ "kernel: init_size 0", run_kernel, "init_size", POKE(0x260, 4, 0) },
	{ "kernel: init_size 4 GiB - 4 KiB", run_kernel, "absurd init_size 0xfffff000", POKE(0x260, 4, 0xfffff000) },
	{ "kernel: init_size 4 GiB - 1", run_kernel, "absurd init_size 0xffffffff", POKE(0x260, 4, 0xffffffff) },
	{ "kernel: not relocatable, pref_address above RAM", run_kernel, "plan: kernel",
	  POKE(0x234, 1, 0), .off2 = 0x258, .val2 = 0x100000000000ull },
	{ "kernel: not relocatable, pref_address near 2^64", run_kernel, "out of reach",
	  POKE(0x234, 1, 0), .off2 = 0x258, .val2 = 0xfffffffffff00000ull },
	/* the command line */
	{ "command line of cmdline_size + 1 bytes", run_cmdline, "cmdline_size", .len = 2048 },
	{ "command line of 1 MiB", run_cmdline, "cmdline_size", .len = 1 << 20 },
	/* files that are not there, or no files */
	{ "kernel missing", run_file, "No such file or directory", .input = IN_KERNEL, .what = MISSING },
	{ "kernel empty", run_file, "empty file", .input = IN_KERNEL, .what = EMPTY },
	{ "kernel a directory", run_file, "not a regular file", .input = IN_KERNEL, .what = DIRECTORY },
	{ "kernel a FIFO", run_file, "not a regular file", .input = IN_KERNEL, .what = FIFO },
	{ "initrd missing", run_file, "No such file or directory", .input = IN_INITRD, .what = MISSING },
	{ "initrd empty", run_file, "empty file", .input = IN_INITRD, .what = EMPTY },
	{ "initrd a directory", run_file, "not a regular file", .input = IN_INITRD, .what = DIRECTORY },
	{ "initrd a FIFO", run_file, "not a regular file", .input = IN_INITRD, .what = FIFO },
	{ "memmap missing", run_file, "No such file or directory", .input = IN_MEMMAP, .what = MISSING },
	{ "memmap empty", run_file, "no entries", .input = IN_MEMMAP, .what = EMPTY },
	{ "memmap a directory", run_file, "Is a directory", .input = IN_MEMMAP, .what = DIRECTORY },
	{ "memmap a FIFO", run_file, "not a regular file", .input = IN_MEMMAP, .what = FIFO },
	/* the planner */
	{ "plan: 17 segments", run_plan, "16", .what = 0 },
	{ "plan: larger than RAM", run_plan, "does not fit", .what = 1 },
	{ "plan: fixed outside RAM", run_plan, "0x100000000", .what = 2 },
	{ "plan: fixed overlapping", run_plan, "0x1100000", .what = 3 },
	{ "plan: memsz wraps", run_plan, "seg", .what = 4 },
	{ "plan: fixed + memsz wraps", run_plan, "seg", .what = 5 },
	{ "plan: bufsz > memsz", run_plan, "seg", .what = 6 },
	{ "plan: alignment not a power of two", run_plan, "align", .what = 7 },
	{ "plan: window without RAM", run_plan, "does not fit", .what = 8 },
	{ "plan: min above max", run_plan, "seg", .what = 9 },
	{ "plan: keep_free wraps", run_plan, "seg", .what = 10 },
	{ "plan: fixed not page-aligned", run_plan, "seg", .what = 11 },
	/* Type #1 entries and loader.conf; non-UTF-8 names and values */
	{ "bls: no linux line", run_bls, "no 'linux'", .text = "a.conf\ntitle A\n" },
	{ "bls: non-UTF-8 file name", run_bls, "the file name is not UTF-8", .text = "a\xff.conf\nlinux /vmlinuz\n" },
	{ "bls: non-UTF-8 title", run_bls, "UTF-8", .text = "a.conf\ntitle \xc3\x28\nlinux /vmlinuz\n" },
	{ "bls: non-UTF-8 linux path", run_bls, "UTF-8", .text = "a.conf\nlinux /vmlinuz-\xff\n" },
	{ "bls: linux path with ..", run_bls, "..", .text = "a.conf\nlinux /../vmlinuz\n" },
	{ "bls: 9 initrds", run_bls, "initrd", .text = "a.conf\nlinux /v\ninitrd /1\ninitrd /2\n"
	  "initrd /3\ninitrd /4\ninitrd /5\ninitrd /6\ninitrd /7\ninitrd /8\ninitrd /9\n" },
	{ "loader.conf: non-UTF-8", run_loaderconf, "UTF-8", .text = "default \xff*\n" },
	{ "loader.conf: NUL byte", run_loaderconf, "NUL", .text = "timeout 3\n\0x\n", .len = 13 },
	/* kexshim.conf */
	{ "kexshim.conf: non-UTF-8", run_shimconf, "UTF-8", .text = "kernel \\k\xff\n" },
	{ "kexshim.conf: no kernel", run_shimconf, "kernel", .text = "options quiet\n" },
	/* /proc/iomem */
	{ "iomem: garbage", run_iomem, "iomem", .text = "hello\n" },
	{ "iomem: start above end", run_iomem, "iomem", .text = "00200000-00100000 : System RAM\n" },
	{ "iomem: 65-bit address", run_iomem, "iomem", .text = "100000000000000000-100000000000000fff : System RAM\n" },
	/* device trees */
	{ "dtb: 4 bytes", run_dtb, "truncated", .text = dtb_short, .len = 4 },
	{ "dtb: totalsize beyond the file", run_dtb, "truncated", .text = dtb_big, .len = sizeof(dtb_big) },
	{ "dtb: reservation map without end", run_dtb, "reservation map", .text = dtb_rsv, .len = sizeof(dtb_rsv) },
	/* PE, streams */
	{ "pe: MZ only", run_pe, "no MZ header", .text = mz_only, .len = 2 },
	{ "pe: e_lfanew past the file", run_pe, "t.efi", .text = mz_lfanew, .len = 64 },
	{ "pe: e_lfanew near 4 GiB", run_pe, "t.efi", .text = mz_lfanew_max, .len = 64 },
	{ "gzip: corrupt stream", run_unwrap, "gzip", .text = gz_junk, .len = sizeof(gz_junk) - 1 },
	{ "zstd: corrupt stream", run_unwrap, "zstd", .text = zstd_junk, .len = sizeof(zstd_junk) - 1 },
	{ "xz: corrupt stream", run_unwrap, "xz", .text = xz_junk, .len = sizeof(xz_junk) - 1 },
	/* depmod's files */
	{ "modules: no modules.dep", run_modules, "No such file", .text = NULL },
	{ "modules: modules.dep a directory", run_modules, "Is a directory", .what = DIRECTORY },
	{ "modules: dependency without a line", run_modules, "has no line of its own",
	  .text = "a.ko: b.ko\n" },
};

/* ---- the driver ---- */

static void test_case(void **state)
{
	const struct bad *b = *state;
	const char *msg;
	int rc;

	kx_fail(0, "%s", "");
	rc = b->run(b);
	msg = kx_last_error();
	if (getenv("KEXSHIM_BADINPUT_SHOW"))
		print_message("%s: %s\n", b->name, msg);
	if (rc >= 0 || !strstr(msg, b->want) || strchr(msg, '\n') || !*msg)
		fail_msg("%s: rc %d, message '%s', want one line with '%s'",
			 b->name, rc, msg, b->want);
}

static int setup(void **state)
{
	const char *kdir = getenv("KEXSHIM_KERNEL_DIR");
	const char *top = getenv("KEXSHIM_TOP");
	char path[4096];
	char *buf;
	int rc;

	if (!kdir || !mkdtemp(tmp))
		return -1;
	snprintf(path, sizeof(path), "%s/vmlinuz", kdir);
	rc = read_file_whole("test", path, 0, &buf, &kernel_len);
	if (rc)
		return -1;
	kernel = (uint8_t *)buf;
	setup_end = ((size_t)(kernel[0x1f1] ? kernel[0x1f1] : 4) + 1) * 512;
	snprintf(kpath, sizeof(kpath), "%s/vmlinuz", tmp);
	snprintf(root, sizeof(root), "%s/root", tmp);
	mkdir(root, 0700);
	snprintf(iomem, sizeof(iomem),
		 "%s/test/unit/fixtures/iomem/qemu-q35-ovmf-2g.iomem",
		 top ? top : ".");
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	nftw(tmp, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	free(kernel);
	return 0;
}

int main(void)
{
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct CMUnitTest tests[N];
	size_t i;

	for (i = 0; i < N; i++) {
		tests[i] = (struct CMUnitTest)cmocka_unit_test(test_case);
		tests[i].name = cases[i].name;
		tests[i].initial_state = (void *)&cases[i];
	}
	return _cmocka_run_group_tests("badinput", tests, N, setup, teardown);
}
