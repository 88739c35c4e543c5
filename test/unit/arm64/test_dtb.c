/* Host unit tests: the target's device tree (arm64_dtb_build) and the
 * purgatory console (stdout-path, ACPI SPCR).  Base trees are made here
 * with libfdt's sequential writer and put in a fake root as
 * sys/firmware/fdt; results are read back with libfdt. */
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
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/error.h"
#include "lib/readfile.h"
#include "load/load.h"
#include "arch/arm64/arm64.h"
#include "fdt/dt.h"

#define MiB (1024ull * 1024)

static char tmp[] = "/tmp/kexshim-arm64-dtb-XXXXXX";
static char root[1024];
static struct load l;
static struct arch_load ld;

/* What the arch code sees of l, refreshed at each call. */
static struct arch_load *view(void)
{
	load_arch_view(&l, &ld);
	return &ld;
}

/* The shim's pool early in boot: getrandom(GRND_NONBLOCK) says EAGAIN.
 * This definition takes the place of glibc's for the whole test binary. */
static bool crng_unready;

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	if (crng_unready) {
		/* Only GRND_INSECURE would hand out bytes now, and those
		 * must not become a seed the target credits. */
		if (!(flags & 0x0004 /* GRND_INSECURE */)) {
			errno = EAGAIN;
			return -1;
		}
	}
	return syscall(SYS_getrandom, buf, len, flags);
}

#define CMDLINE "console=ttyAMA0 root=/dev/vda \"quoted arg\" panic=-1"
#define UEFI_SYSTAB 0xbfe1c018ull
#define UEFI_MMAP 0xbba4e018ull

/* ---- building trees ---- */

#define OK(x) assert_int_equal((x), 0)

struct tree_opts {
	bool uefi;            /* /chosen has linux,uefi-* */
	bool memory;          /* a /memory node */
	bool old_initrd;      /* /chosen has the running kernel's initrd */
	const char *stdout_path;
	bool dw_uart;         /* a snps,dw-apb-uart under a translated bus */
	size_t big_prop;      /* bytes of a filler property */
};

/* Return: a malloc'ed flattened tree. */
static void *make_tree(const struct tree_opts *o)
{
	size_t cap = 64 * 1024 + o->big_prop;
	void *fdt = malloc(cap);

	assert_non_null(fdt);
	OK(fdt_create(fdt, cap));
	OK(fdt_add_reservemap_entry(fdt, 0x40000000, 0x1000));
	OK(fdt_finish_reservemap(fdt));
	OK(fdt_begin_node(fdt, ""));
	OK(fdt_property_u32(fdt, "#address-cells", 2));
	OK(fdt_property_u32(fdt, "#size-cells", 2));
	OK(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	if (o->big_prop) {
		void *p;

		OK(fdt_property_placeholder(fdt, "filler", o->big_prop, &p));
		memset(p, 0x5a, o->big_prop);
	}

	OK(fdt_begin_node(fdt, "aliases"));
	OK(fdt_property_string(fdt, "serial0", "/pl011@9000000"));
	OK(fdt_end_node(fdt));

	OK(fdt_begin_node(fdt, "chosen"));
	if (o->stdout_path)
		OK(fdt_property_string(fdt, "stdout-path", o->stdout_path));
	OK(fdt_property_string(fdt, "bootargs", "old shim cmdline"));
	if (o->uefi) {
		OK(fdt_property_u64(fdt, "linux,uefi-system-table",
				    UEFI_SYSTAB));
		OK(fdt_property_u64(fdt, "linux,uefi-mmap-start", UEFI_MMAP));
		OK(fdt_property_u32(fdt, "linux,uefi-mmap-size", 0x1e00));
		OK(fdt_property_u32(fdt, "linux,uefi-mmap-desc-size", 0x30));
		OK(fdt_property_u32(fdt, "linux,uefi-mmap-desc-ver", 1));
		OK(fdt_property_u32(fdt, "linux,uefi-secure-boot", 0));
	}
	if (o->old_initrd) {
		OK(fdt_property_u64(fdt, "linux,initrd-start", 0x48000000));
		OK(fdt_property_u64(fdt, "linux,initrd-end", 0x48800000));
		OK(fdt_property_u64(fdt, "linux,elfcorehdr", 0x7f000000));
	}
	OK(fdt_property_u64(fdt, "kaslr-seed", 0));
	OK(fdt_end_node(fdt));

	OK(fdt_begin_node(fdt, "pl011@9000000"));
	OK(fdt_property(fdt, "compatible", "arm,pl011\0arm,primecell",
			sizeof("arm,pl011\0arm,primecell")));
	{
		fdt64_t reg[2] = { cpu_to_fdt64(0x9000000),
				   cpu_to_fdt64(0x1000) };

		OK(fdt_property(fdt, "reg", reg, sizeof(reg)));
	}
	OK(fdt_end_node(fdt));

	if (o->dw_uart) {
		/* soc: 1-cell child addresses, mapped at 0xfe000000. */
		fdt32_t ranges[] = { cpu_to_fdt32(0x0),
				     cpu_to_fdt32(0x0), cpu_to_fdt32(0xfe000000),
				     cpu_to_fdt32(0x1000000) };
		fdt32_t reg[] = { cpu_to_fdt32(0x215040),
				  cpu_to_fdt32(0x40) };

		OK(fdt_begin_node(fdt, "soc"));
		OK(fdt_property_string(fdt, "compatible", "simple-bus"));
		OK(fdt_property_u32(fdt, "#address-cells", 1));
		OK(fdt_property_u32(fdt, "#size-cells", 1));
		OK(fdt_property(fdt, "ranges", ranges, sizeof(ranges)));
		OK(fdt_begin_node(fdt, "serial@215040"));
		OK(fdt_property_string(fdt, "compatible", "snps,dw-apb-uart"));
		OK(fdt_property(fdt, "reg", reg, sizeof(reg)));
		OK(fdt_property_u32(fdt, "reg-shift", 2));
		OK(fdt_property_u32(fdt, "reg-io-width", 4));
		OK(fdt_end_node(fdt));
		OK(fdt_end_node(fdt));
	}

	if (o->memory) {
		fdt64_t reg[2] = { cpu_to_fdt64(0x40000000),
				   cpu_to_fdt64(0x80000000) };

		OK(fdt_begin_node(fdt, "memory@40000000"));
		OK(fdt_property_string(fdt, "device_type", "memory"));
		OK(fdt_property(fdt, "reg", reg, sizeof(reg)));
		OK(fdt_end_node(fdt));
	}
	OK(fdt_end_node(fdt));
	OK(fdt_finish(fdt));
	return fdt;
}

static void write_bytes(const char *rel, const void *buf, size_t len)
{
	char path[4096], dir[4096], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	/* mkdir -p of the parent */
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = dir + strlen(root) + 1; (slash = strchr(slash, '/'));
	     slash++) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void write_live_fdt(const struct tree_opts *o)
{
	void *fdt = make_tree(o);

	write_bytes("/sys/firmware/fdt", fdt, fdt_totalsize(fdt));
	free(fdt);
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(p);
}

static int setup(void **state)
{
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static int counter;

/* Each test gets an empty fake root and a fresh load. */
static int each_setup(void **state)
{
	snprintf(root, sizeof(root), "%s/root%d", tmp, counter++);
	mkdir(root, 0755);
	memset(&l, 0, sizeof(l));
	l.req.root = root;
	l.img.cmdline = CMDLINE;
	l.usable.r[0] = (struct memmap_range){ 0x40000000, 0x48000000,
					       MEMMAP_RAM };
	l.usable.r[1] = (struct memmap_range){ 0x48100000, 0xbba00000,
					       MEMMAP_RAM };
	l.usable.r[2] = (struct memmap_range){ 0x100000000ull,
					       0x140000000ull, MEMMAP_RAM };
	l.usable.n = 3;
	return 0;
}

static int each_teardown(void **state)
{
	load_release(&l);
	return 0;
}

/* ---- reading results ---- */

static int chosen_of(const void *fdt)
{
	int off = fdt_path_offset(fdt, "/chosen");

	assert_true(off >= 0);
	return off;
}

/* Properties are only 4-byte aligned in a tree. */
static uint64_t ld64(const void *p)
{
	fdt64_t v;

	memcpy(&v, p, sizeof(v));
	return fdt64_to_cpu(v);
}

static uint64_t get_u64(const void *fdt, int node, const char *name)
{
	const void *v;
	int len;

	v = fdt_getprop(fdt, node, name, &len);
	if (!v)
		fail_msg("property %s missing", name);
	assert_int_equal(len, 8);
	return ld64(v);
}

static uint32_t get_u32(const void *fdt, int node, const char *name)
{
	const fdt32_t *v;
	int len;

	v = fdt_getprop(fdt, node, name, &len);
	if (!v)
		fail_msg("property %s missing", name);
	assert_int_equal(len, 4);
	return fdt32_to_cpu(*v);
}

static void assert_no_prop(const void *fdt, int node, const char *name)
{
	if (fdt_getprop(fdt, node, name, NULL))
		fail_msg("property %s should be gone", name);
}

static void assert_uefi_kept(const void *fdt)
{
	int c = chosen_of(fdt);

	assert_int_equal(get_u64(fdt, c, "linux,uefi-system-table"),
			 UEFI_SYSTAB);
	assert_int_equal(get_u64(fdt, c, "linux,uefi-mmap-start"), UEFI_MMAP);
	assert_int_equal(get_u32(fdt, c, "linux,uefi-mmap-size"), 0x1e00);
	assert_int_equal(get_u32(fdt, c, "linux,uefi-mmap-desc-size"), 0x30);
	assert_int_equal(get_u32(fdt, c, "linux,uefi-mmap-desc-ver"), 1);
	assert_int_equal(get_u32(fdt, c, "linux,uefi-secure-boot"), 0);
}

static void build(const struct arm64_dtb_info *info, void **fdt,
		  size_t *size)
{
	int err = arm64_dtb_build(view(), info, fdt, size);

	if (err)
		fail_msg("arm64_dtb_build: %d: %s", err, kx_last_error());
	assert_int_equal(fdt_check_header(*fdt), 0);
	assert_int_equal(fdt_totalsize(*fdt), *size);
	assert_true(*size <= 2 * MiB);
	assert_int_equal((uintptr_t)*fdt % 8, 0);
}

/* ---- tests ---- */

static void test_live_tree(void **state)
{
	struct tree_opts o = { .uefi = true, .old_initrd = true,
			       .stdout_path = "serial0:115200n8" };
	struct arm64_dtb_info info = { 0x7f000000, 0x7f123457 };
	struct purgatory_console con;
	const void *seed1;
	uint8_t rng1[64], kaslr1[8];
	const void *p;
	void *fdt, *fdt2;
	size_t size, size2;
	uint64_t addr, rsize;
	int c, len;

	write_live_fdt(&o);
	build(&info, &fdt, &size);
	c = chosen_of(fdt);
	assert_string_equal(fdt_getprop(fdt, c, "bootargs", NULL), CMDLINE);
	assert_int_equal(get_u64(fdt, c, "linux,initrd-start"), 0x7f000000);
	assert_int_equal(get_u64(fdt, c, "linux,initrd-end"), 0x7f123457);
	assert_no_prop(fdt, c, "linux,elfcorehdr");
	assert_uefi_kept(fdt);
	seed1 = fdt_getprop(fdt, c, "kaslr-seed", &len);
	assert_non_null(seed1);
	assert_int_equal(len, 8);
	memcpy(kaslr1, seed1, 8);
	p = fdt_getprop(fdt, c, "rng-seed", &len);
	assert_non_null(p);
	assert_int_equal(len, 64);
	memcpy(rng1, p, 64);
	/* The memreserve entries of the base tree stay. */
	assert_int_equal(fdt_num_mem_rsv(fdt), 1);
	assert_int_equal(fdt_get_mem_rsv(fdt, 0, &addr, &rsize), 0);
	assert_int_equal(addr, 0x40000000);
	/* Its /memory, stdout node and aliases are untouched; an EFI boot
	 * gets no /memory added. */
	assert_true(fdt_path_offset(fdt, "/pl011@9000000") >= 0);
	assert_true(fdt_path_offset(fdt, "/memory@40000000") < 0);

	/* The purgatory's console: the alias resolved to the PL011. */
	arm64_console_find(view(), fdt, &con);
	assert_int_equal(con.type, PURGATORY_CONSOLE_PL011);
	assert_int_equal(con.base, 0x9000000);

	/* Fresh seeds every time. */
	build(&info, &fdt2, &size2);
	c = chosen_of(fdt2);
	assert_memory_not_equal(fdt_getprop(fdt2, c, "kaslr-seed", NULL),
				kaslr1, 8);
	assert_memory_not_equal(fdt_getprop(fdt2, c, "rng-seed", NULL), rng1,
				64);
}

static void test_no_initrd(void **state)
{
	struct tree_opts o = { .uefi = true, .old_initrd = true };
	struct arm64_dtb_info none = { 0, 0 };
	void *fdt;
	size_t size;
	int c;

	write_live_fdt(&o);
	l.img.cmdline = "";
	build(&none, &fdt, &size);
	c = chosen_of(fdt);
	/* The running kernel's initrd is not the target's. */
	assert_no_prop(fdt, c, "linux,initrd-start");
	assert_no_prop(fdt, c, "linux,initrd-end");
	assert_string_equal(fdt_getprop(fdt, c, "bootargs", NULL), "");
	assert_uefi_kept(fdt);
}

static void test_no_chosen_non_efi(void **state)
{
	struct arm64_dtb_info info = { 0x50000000, 0x50001000 };
	struct purgatory_console con;
	void *base, *fdt;
	size_t size;
	int c;

	/* A bare tree: no /chosen, no /memory, not EFI. */
	base = malloc(4096);
	assert_non_null(base);
	OK(fdt_create_empty_tree(base, 4096));
	OK(fdt_setprop_u32(base, 0, "#address-cells", 2));
	OK(fdt_setprop_u32(base, 0, "#size-cells", 1));
	write_bytes("/sys/firmware/fdt", base, fdt_totalsize(base));
	free(base);
	build(&info, &fdt, &size);
	c = chosen_of(fdt);
	assert_int_equal(get_u64(fdt, c, "linux,initrd-start"), 0x50000000);
	assert_no_prop(fdt, c, "linux,uefi-system-table");
	/* usable RAM became /memory; #size-cells 1 holds these sizes. */
	{
		int m = fdt_path_offset(fdt, "/memory@40000000");
		const fdt32_t *reg;
		int len;

		assert_true(m >= 0);
		assert_string_equal(fdt_getprop(fdt, m, "device_type", NULL),
				    "memory");
		reg = fdt_getprop(fdt, m, "reg", &len);
		assert_non_null(reg);
		assert_int_equal(len, 3 * 3 * 4);
		assert_int_equal(fdt32_to_cpu(reg[1]), 0x40000000);
		assert_int_equal(fdt32_to_cpu(reg[2]), 0x08000000);
		assert_int_equal(fdt32_to_cpu(reg[4]), 0x48100000);
		assert_int_equal(fdt32_to_cpu(reg[5]), 0xbba00000 - 0x48100000);
		assert_int_equal(fdt32_to_cpu(reg[6]), 1);
		assert_int_equal(fdt32_to_cpu(reg[7]), 0);
		assert_int_equal(fdt32_to_cpu(reg[8]), 0x40000000);
	}
	/* No stdout-path, no SPCR: the purgatory stays quiet. */
	arm64_console_find(view(), fdt, &con);
	assert_int_equal(con.type, PURGATORY_CONSOLE_NONE);
}

/* --dtb replaces the tree: live uefi props come along, nothing else. */
static void test_dtb_replaces_efi(void **state)
{
	struct tree_opts live = { .uefi = true, .memory = false,
				  .stdout_path = "/pl011@9000000" };
	struct tree_opts user = { .uefi = false, .memory = false,
				  .stdout_path = "/soc/serial@215040",
				  .dw_uart = true };
	struct arm64_dtb_info info = { 0x60000000, 0x60000800 };
	struct purgatory_console con;
	void *ufdt, *fdt;
	size_t size;
	int c;

	write_live_fdt(&live);
	ufdt = make_tree(&user);
	l.img.dtb = ufdt;
	l.img.dtb_size = fdt_totalsize(ufdt);
	l.img.dtb_path = "board.dtb";
	build(&info, &fdt, &size);
	c = chosen_of(fdt);
	assert_uefi_kept(fdt);
	assert_string_equal(fdt_getprop(fdt, c, "bootargs", NULL), CMDLINE);
	/* The user's tree, not the live one. */
	assert_true(fdt_path_offset(fdt, "/soc/serial@215040") >= 0);
	/* EFI: memory comes from the EFI map, no /memory added. */
	assert_true(fdt_node_offset_by_prop_value(fdt, -1, "device_type",
						  "memory", 7) < 0);
	/* Console from the user's stdout-path, through soc's ranges. */
	arm64_console_find(view(), fdt, &con);
	assert_int_equal(con.type, PURGATORY_CONSOLE_8250_MMIO);
	assert_int_equal(con.reg_shift, 2);
	assert_int_equal(con.reg_width, 4); /* its reg-io-width */
	assert_int_equal(con.base, 0xfe215040);
	free(ufdt);
}

static void test_dtb_replaces_non_efi(void **state)
{
	struct tree_opts user = { .uefi = true, .memory = false };
	struct arm64_dtb_info none = { 0, 0 };
	void *ufdt, *fdt;
	size_t size;
	int c;

	/* No live tree at all; the --dtb file carries stale uefi props from
	 * some other boot: they must go, and /memory must appear. */
	ufdt = make_tree(&user);
	l.img.dtb = ufdt;
	l.img.dtb_size = fdt_totalsize(ufdt);
	l.img.dtb_path = "stale.dtb";
	build(&none, &fdt, &size);
	c = chosen_of(fdt);
	assert_no_prop(fdt, c, "linux,uefi-system-table");
	assert_no_prop(fdt, c, "linux,uefi-mmap-start");
	assert_true(fdt_path_offset(fdt, "/memory@40000000") >= 0);
	free(ufdt);
}

static void test_dtb_keeps_user_memory(void **state)
{
	struct tree_opts user = { .memory = true };
	struct arm64_dtb_info none = { 0, 0 };
	void *ufdt, *fdt;
	size_t size;
	const uint8_t *reg;
	int m, len;

	ufdt = make_tree(&user);
	l.img.dtb = ufdt;
	l.img.dtb_size = fdt_totalsize(ufdt);
	l.img.dtb_path = "mem.dtb";
	build(&none, &fdt, &size);
	m = fdt_path_offset(fdt, "/memory@40000000");
	assert_true(m >= 0);
	reg = fdt_getprop(fdt, m, "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(ld64(reg + 8), 0x80000000);
	/* Exactly one memory node: none added. */
	assert_true(fdt_node_offset_by_prop_value(fdt, m, "device_type",
						  "memory", 7) < 0);
	free(ufdt);
}

static void test_errors(void **state)
{
	struct arm64_dtb_info none = { 0, 0 };
	uint8_t junk[256] = { 0xd0, 0x0d, 0xfe, 0xed };
	void *fdt;
	size_t size;

	/* Neither a live tree nor --dtb. */
	assert_int_equal(arm64_dtb_build(view(), &none, &fdt, &size), -ENOENT);
	assert_non_null(strstr(kx_last_error(), "sys/firmware/fdt: missing"));

	/* A corrupt --dtb. */
	l.img.dtb = junk;
	l.img.dtb_size = sizeof(junk);
	l.img.dtb_path = "junk.dtb";
	assert_int_equal(arm64_dtb_build(view(), &none, &fdt, &size), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "dtb: junk.dtb:"));

	/* A tree whose header claims more than the file holds. */
	{
		struct tree_opts o = { 0 };
		void *t = make_tree(&o);

		l.img.dtb = t;
		l.img.dtb_size = fdt_totalsize(t) - 8;
		l.img.dtb_path = "short.dtb";
		assert_int_equal(arm64_dtb_build(view(), &none, &fdt, &size),
				 -EINVAL);
		assert_non_null(strstr(kx_last_error(), "truncated"));
		free(t);
	}
}

/* A firmware tree whose memory reservation map has no terminator before
 * the structure block (fuzz_dtb found it): libfdt's fdt_open_into()
 * counted entries into the next block and memmove'd a negative size. */
static void test_rsvmap_unterminated(void **state)
{
	struct arm64_dtb_info none = { 0, 0 };
	struct tree_opts o = { 0 };
	uint8_t *t = make_tree(&o);
	uint32_t rsv = fdt_off_mem_rsvmap(t), end = fdt_off_dt_struct(t);
	void *fdt;
	size_t size;

	/* every entry nonzero, the terminator too, up to the structure */
	assert_true(end > rsv);
	memset(t + rsv, 0x11, end - rsv);
	l.img.dtb = t;
	l.img.dtb_size = fdt_totalsize(t);
	l.img.dtb_path = "hostile.dtb";
	assert_int_equal(arm64_dtb_build(view(), &none, &fdt, &size), -EINVAL);
	assert_string_equal(kx_last_error(), "dtb: hostile.dtb: the memory "
			    "reservation map has no end before the next block");
	free(t);
}

static void test_too_big(void **state)
{
	struct tree_opts o = { .uefi = true, .big_prop = 2 * MiB };
	struct arm64_dtb_info none = { 0, 0 };
	void *fdt;
	size_t size;

	write_live_fdt(&o);
	assert_int_equal(arm64_dtb_build(view(), &none, &fdt, &size), -E2BIG);
	assert_non_null(strstr(kx_last_error(), "at most 2 MiB"));
}

/* An SPCR table as ACPI lays it out; access: the GAS access size
 * (1 byte, 2 word, 3 dword). */
static void make_spcr_access(uint8_t *t, uint8_t type, uint8_t space,
			     uint8_t bit_width, uint8_t access, uint64_t base)
{
	int i;

	memset(t, 0, 80);
	memcpy(t, "SPCR", 4);
	t[4] = 80;
	t[8] = 2;
	t[36] = type;
	t[40] = space;
	t[41] = bit_width;
	t[43] = access;
	for (i = 0; i < 8; i++)
		t[44 + i] = base >> (8 * i);
}

/* Dword accesses, as QEMU's virt and most servers describe their UART. */
static void make_spcr(uint8_t *t, uint8_t type, uint8_t space,
		      uint8_t bit_width, uint64_t base)
{
	make_spcr_access(t, type, space, bit_width, 3, base);
}

static void expect_spcr_8250(uint8_t bit_width, uint8_t access,
			     uint8_t shift, uint8_t width)
{
	struct purgatory_console con;
	uint8_t spcr[80];

	make_spcr_access(spcr, 0x00, 0, bit_width, access, 0xfedc9000);
	assert_int_equal(arm64_console_from_spcr(spcr, sizeof(spcr), &con), 0);
	assert_int_equal(con.type, PURGATORY_CONSOLE_8250_MMIO);
	assert_int_equal(con.base, 0xfedc9000);
	if (con.reg_shift != shift || con.reg_width != width)
		fail_msg("SPCR bit width %u access size %u: shift %u width %u, want %u %u",
			 bit_width, access, con.reg_shift, con.reg_width,
			 shift, width);
}

static void test_console_spcr(void **state)
{
	struct tree_opts o = { .uefi = true }; /* an ACPI boot: no stdout */
	struct arm64_dtb_info none = { 0, 0 };
	struct purgatory_console con;
	uint8_t spcr[80];
	void *fdt;
	size_t size;

	write_live_fdt(&o);
	make_spcr(spcr, 3, 0, 32, 0x9000000);
	write_bytes("/sys/firmware/acpi/tables/SPCR", spcr, sizeof(spcr));
	build(&none, &fdt, &size);
	arm64_console_find(view(), fdt, &con);
	assert_int_equal(con.type, PURGATORY_CONSOLE_PL011);
	assert_int_equal(con.base, 0x9000000);

	/* 16550 with 32-bit registers, accessed 32 bits wide. */
	make_spcr(spcr, 0x12, 0, 32, 0xfedc9000);
	assert_int_equal(arm64_console_from_spcr(spcr, sizeof(spcr), &con), 0);
	assert_int_equal(con.type, PURGATORY_CONSOLE_8250_MMIO);
	assert_int_equal(con.reg_shift, 2);
	assert_int_equal(con.reg_width, 4);
	assert_int_equal(con.base, 0xfedc9000);
	/* Linux's spcr.c goes by the access size alone: mmio, mmio16,
	 * mmio32, and bytes for what it calls a firmware bug (0, qword). */
	expect_spcr_8250(8, 1, 0, 1);
	expect_spcr_8250(32, 1, 0, 1);
	expect_spcr_8250(8, 3, 2, 4);
	expect_spcr_8250(16, 2, 1, 2);
	expect_spcr_8250(32, 0, 0, 1);
	expect_spcr_8250(64, 4, 0, 1);
	/* SBSA generic UART drives like a PL011. */
	make_spcr(spcr, 0x0e, 0, 32, 0x2600000);
	assert_int_equal(arm64_console_from_spcr(spcr, sizeof(spcr), &con), 0);
	assert_int_equal(con.type, PURGATORY_CONSOLE_PL011);
	/* Port I/O, unknown types, short tables: no console. */
	make_spcr(spcr, 0, 1, 8, 0x3f8);
	assert_int_equal(arm64_console_from_spcr(spcr, sizeof(spcr), &con),
			 -ENOENT);
	make_spcr(spcr, 0x13, 0, 32, 0x894000);
	assert_int_equal(arm64_console_from_spcr(spcr, sizeof(spcr), &con),
			 -ENOENT);
	make_spcr(spcr, 3, 0, 32, 0x9000000);
	assert_int_equal(arm64_console_from_spcr(spcr, 40, &con), -ENOENT);
}

/* A tree whose stdout-path is an ns16550a with the given reg-shift and
 * reg-io-width (-1: absent; io_len: that property's length in bytes). */
static void *uart8250_tree(int shift, int io_width, int io_len, bool be)
{
	void *fdt = malloc(4096);
	fdt64_t reg[2] = { cpu_to_fdt64(0xfe001000), cpu_to_fdt64(0x100) };
	fdt32_t w[2] = { cpu_to_fdt32(io_width), 0 };

	assert_non_null(fdt);
	OK(fdt_create(fdt, 4096));
	OK(fdt_finish_reservemap(fdt));
	OK(fdt_begin_node(fdt, ""));
	OK(fdt_property_u32(fdt, "#address-cells", 2));
	OK(fdt_property_u32(fdt, "#size-cells", 2));
	OK(fdt_begin_node(fdt, "chosen"));
	OK(fdt_property_string(fdt, "stdout-path", "/serial@fe001000:115200n8"));
	OK(fdt_end_node(fdt));
	OK(fdt_begin_node(fdt, "serial@fe001000"));
	OK(fdt_property_string(fdt, "compatible", "ns16550a"));
	OK(fdt_property(fdt, "reg", reg, sizeof(reg)));
	if (shift >= 0)
		OK(fdt_property_u32(fdt, "reg-shift", shift));
	if (io_width >= 0)
		OK(fdt_property(fdt, "reg-io-width", w, io_len));
	if (be)
		OK(fdt_property(fdt, "big-endian", NULL, 0));
	OK(fdt_end_node(fdt));
	OK(fdt_end_node(fdt));
	OK(fdt_finish(fdt));
	return fdt;
}

static void expect_dt_8250(int shift, int io_width, int io_len, bool be,
			   int ret, uint8_t want_shift, uint8_t want_width)
{
	struct purgatory_console con;
	void *t = uart8250_tree(shift, io_width, io_len, be);
	int got = dt_console(t, &con);

	free(t);
	if (got != ret)
		fail_msg("reg-shift %d reg-io-width %d (%d bytes)%s: dt_console %d, want %d",
			 shift, io_width, io_len, be ? " big-endian" : "", got, ret);
	if (ret)
		return;
	assert_int_equal(con.type, PURGATORY_CONSOLE_8250_MMIO);
	assert_int_equal(con.base, 0xfe001000);
	assert_int_equal(con.reg_shift, want_shift);
	assert_int_equal(con.reg_width, want_width);
}

/* reg-io-width as Linux's of_serial.c reads it: 1, 2 or 4, bytes when
 * absent; anything else, and big-endian 32-bit, no console. */
static void test_console_fdt_io_width(void **state)
{
	expect_dt_8250(-1, -1, 0, false, 0, 0, 1);
	expect_dt_8250(0, 1, 4, false, 0, 0, 1);
	expect_dt_8250(1, 2, 4, false, 0, 1, 2);
	expect_dt_8250(2, 4, 4, false, 0, 2, 4);
	/* Width and stride are independent properties. */
	expect_dt_8250(0, 4, 4, false, 0, 0, 4);
	expect_dt_8250(2, -1, 0, false, 0, 2, 1);
	expect_dt_8250(2, 4, 4, true, -ENOENT, 0, 0);
	expect_dt_8250(1, 2, 4, true, 0, 1, 2); /* UPIO_MEM16 has no BE */
	expect_dt_8250(0, 3, 4, false, -ENOENT, 0, 0);
	expect_dt_8250(0, 8, 4, false, -ENOENT, 0, 0);
	expect_dt_8250(0, 4, 8, false, -ENOENT, 0, 0);
}

static void test_console_fdt_edge(void **state)
{
	struct tree_opts o = { .stdout_path = "/nonexistent:115200" };
	struct purgatory_console con;
	void *t = make_tree(&o);

	assert_int_equal(dt_console(t, &con), -ENOENT);
	free(t);
	/* A path with options after ':'. */
	o.stdout_path = "/pl011@9000000:115200n8";
	t = make_tree(&o);
	assert_int_equal(dt_console(t, &con), 0);
	assert_int_equal(con.base, 0x9000000);
	free(t);
}

/* booting.rst leaves seeding to the loader, but rng-seed is credited as
 * entropy by the target (add_bootloader_randomness): from an unready pool
 * there must be no seed at all, also none left over from the base tree. */
static void test_seeds_need_ready_crng(void **state)
{
	struct tree_opts o = { .uefi = true };
	struct arm64_dtb_info none = { 0, 0 };
	void *fdt;
	size_t size;
	int c;

	write_live_fdt(&o);   /* has a (used, zeroed) kaslr-seed */
	crng_unready = true;
	build(&none, &fdt, &size);
	crng_unready = false;
	c = chosen_of(fdt);
	assert_no_prop(fdt, c, "kaslr-seed");
	assert_no_prop(fdt, c, "rng-seed");
	assert_uefi_kept(fdt);
	/* Ready again: both are back. */
	build(&none, &fdt, &size);
	c = chosen_of(fdt);
	assert_int_equal(get_u64(fdt, c, "kaslr-seed") != 0, 1);
	assert_non_null(fdt_getprop(fdt, c, "rng-seed", NULL));
}

/* A tree as U-Boot leaves it for a booti'd kernel that then kexecs: the
 * firmware's /memreserve/ entries, one for the initrd it loaded, one for
 * the tree itself, and an IMA log handed over by an earlier kexec.  Only
 * the firmware's entry may survive. */
static void test_previous_boot_dropped(void **state)
{
	struct arm64_dtb_info info = { 0x60000000, 0x60001000 };
	fdt64_t ima[2] = { cpu_to_fdt64(0x7e000000), cpu_to_fdt64(0x2000) };
	char buf[8192];
	uint64_t addr, size;
	void *fdt, *out;
	size_t outsize;
	int c, i, n;

	fdt = buf;
	OK(fdt_create(fdt, sizeof(buf)));
	OK(fdt_add_reservemap_entry(fdt, 0x40000000, 0x1000));   /* firmware */
	OK(fdt_add_reservemap_entry(fdt, 0x48000000, 0x7ff000)); /* initrd, */
	OK(fdt_add_reservemap_entry(fdt, 0x7e000000, 0x2000));   /* IMA log */
	OK(fdt_add_reservemap_entry(fdt, 0x5f000000, 1));        /* the tree */
	OK(fdt_finish_reservemap(fdt));
	OK(fdt_begin_node(fdt, ""));
	OK(fdt_property_u32(fdt, "#address-cells", 2));
	OK(fdt_property_u32(fdt, "#size-cells", 2));
	OK(fdt_begin_node(fdt, "chosen"));
	/* page-rounded by the firmware: 0x7ff000 -> the end is not */
	OK(fdt_property_u64(fdt, "linux,initrd-start", 0x48000000));
	OK(fdt_property_u64(fdt, "linux,initrd-end", 0x487fe123));
	OK(fdt_property(fdt, "linux,ima-kexec-buffer", ima, sizeof(ima)));
	OK(fdt_end_node(fdt));
	OK(fdt_begin_node(fdt, "memory@40000000"));
	OK(fdt_property_string(fdt, "device_type", "memory"));
	OK(fdt_end_node(fdt));
	OK(fdt_end_node(fdt));
	OK(fdt_finish(fdt));
	/* The loader reserves exactly the tree's final size. */
	n = fdt_num_mem_rsv(fdt);
	assert_int_equal(n, 4);
	((struct fdt_reserve_entry *)((char *)fdt +
		fdt_off_mem_rsvmap(fdt)))[3].size =
		cpu_to_fdt64(fdt_totalsize(fdt));
	write_bytes("/sys/firmware/fdt", fdt, fdt_totalsize(fdt));

	build(&info, &out, &outsize);
	assert_int_equal(fdt_num_mem_rsv(out), 1);
	assert_int_equal(fdt_get_mem_rsv(out, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x40000000);
	assert_int_equal(size, 0x1000);
	c = chosen_of(out);
	assert_no_prop(out, c, "linux,ima-kexec-buffer");
	assert_int_equal(get_u64(out, c, "linux,initrd-start"), 0x60000000);
	/* The same entries in a --dtb file are the file's: only the initrd
	 * and IMA ones its /chosen names go, the tree's size means nothing. */
	l.img.dtb = fdt;
	l.img.dtb_size = fdt_totalsize(fdt);
	l.img.dtb_path = "board.dtb";
	build(&info, &out, &outsize);
	assert_int_equal(fdt_num_mem_rsv(out), 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(fdt_get_mem_rsv(out, i, &addr, &size), 0);
		assert_true(addr == 0x40000000 || addr == 0x5f000000);
	}
}

/* Compile dts text with the real dtc into a malloc'ed blob (dtc -@ keeps
 * the labels an overlay refers to).  Return: the blob. */
static void *dtc(const char *dts, bool symbols, size_t *len)
{
	char src[4200], out[4200], cmd[9000], *buf;
	FILE *f;

	snprintf(src, sizeof(src), "%s/t.dts", root);
	snprintf(out, sizeof(out), "%s/t.dtb", root);
	f = fopen(src, "w");
	assert_non_null(f);
	fputs(dts, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "dtc -q %s -I dts -O dtb -o %s %s",
		 symbols ? "-@" : "", out, src);
	if (system(cmd))
		fail_msg("dtc failed (device-tree-compiler: tools/install-deps)");
	if (read_file_whole("test", out, 0, &buf, len))
		fail_msg("%s", kx_last_error());
	return buf;
}

/* BLS devicetree-overlay: applied to the base, in order; one that does
 * not apply fails the build (so the entry does not boot). */
static void test_overlays(void **state)
{
	static const char base_dts[] =
		"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
		"  compatible = \"linux,dummy-virt\";\n"
		"  chosen { };\n"
		"  uart0: pl011@9000000 { compatible = \"arm,pl011\";\n"
		"    reg = <0 0x9000000 0 0x1000>; status = \"disabled\"; };\n"
		"  memory@40000000 { device_type = \"memory\";\n"
		"    reg = <0 0x40000000 0 0x80000000>; };\n};\n";
	static const char ov1_dts[] =
		"/dts-v1/;\n/plugin/;\n&uart0 { status = \"okay\"; };\n"
		"&{/} { kexshim-test { value = <1>; }; };\n";
	static const char ov2_dts[] =
		"/dts-v1/;\n/plugin/;\n&{/kexshim-test} { value = <2>; };\n";
	static const char bad_dts[] =
		"/dts-v1/;\n/plugin/;\n&nosuchlabel { status = \"okay\"; };\n";
	struct arm64_dtb_info none = { 0, 0 };
	size_t blen, l1, l2, lb;
	void *base = dtc(base_dts, true, &blen);
	void *ov1 = dtc(ov1_dts, false, &l1);
	void *ov2 = dtc(ov2_dts, false, &l2);
	void *bad = dtc(bad_dts, false, &lb);
	const fdt32_t *v;
	void *fdt;
	size_t size;
	int node;

	l.img.dtb = base;
	l.img.dtb_size = blen;
	l.img.dtb_path = "board.dtb";
	l.img.overlay[0] = ov1;
	l.img.overlay_size[0] = l1;
	l.img.overlay_path[0] = "a.dtbo";
	l.img.overlay[1] = ov2;
	l.img.overlay_size[1] = l2;
	l.img.overlay_path[1] = "b.dtbo";
	l.img.nr_overlay = 2;
	build(&none, &fdt, &size);
	node = fdt_path_offset(fdt, "/pl011@9000000");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(fdt, node, "status", NULL), "okay");
	/* The second overlay applied after the first. */
	node = fdt_path_offset(fdt, "/kexshim-test");
	assert_true(node >= 0);
	v = fdt_getprop(fdt, node, "value", NULL);
	assert_non_null(v);
	assert_int_equal(fdt32_to_cpu(*v), 2);
	/* The caller's overlay bytes are untouched (libfdt eats a copy). */
	assert_int_equal(fdt_check_header(ov1), 0);
	assert_true(fdt_path_offset(ov1, "/__fixups__") >= 0);

	l.img.overlay[1] = bad;
	l.img.overlay_size[1] = lb;
	l.img.overlay_path[1] = "bad.dtbo";
	assert_int_equal(arm64_dtb_build(view(), &none, &fdt, &size), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "dtb: bad.dtbo: cannot apply to "
			       "board.dtb: FDT_ERR_NOTFOUND"));
	/* Not an overlay at all. */
	l.img.overlay[1] = (const uint8_t *)"junk";
	l.img.overlay_size[1] = 4;
	assert_int_equal(arm64_dtb_build(view(), &none, &fdt, &size), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "dtb: bad.dtbo: truncated"));
	l.img.nr_overlay = 0;
	free(base);
	free(ov1);
	free(ov2);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, each_setup, each_teardown)
		T(test_live_tree),
		T(test_no_initrd),
		T(test_no_chosen_non_efi),
		T(test_dtb_replaces_efi),
		T(test_dtb_replaces_non_efi),
		T(test_dtb_keeps_user_memory),
		T(test_errors),
		T(test_rsvmap_unterminated),
		T(test_too_big),
		T(test_console_spcr),
		T(test_console_fdt_edge),
		T(test_console_fdt_io_width),
		T(test_seeds_need_ready_crng),
		T(test_previous_boot_dropped),
		T(test_overlays),
#undef T
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
