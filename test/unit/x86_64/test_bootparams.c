/*
 * test/unit/test_bootparams.c: host tests of the x86_64 arch_ops.load --
 * the boot_params segment (zero page, command line, setup_data chain, EFI
 * memory map), e820, and where kernel and initrd go -- for the real Debian
 * vmlinuz against fake roots: test/unit/fixtures/x86_64/ovmf-q35-2g (an
 * EFI-booted shim), bios-6g (this build machine, BIOS, RAM above 4 GiB),
 * and small trees made in /tmp.  See fixtures/x86_64/mkfixtures.py.
 */
#include <errno.h>
#include <ftw.h>
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
#include "lib/error.h"
#include "kexec/memmap.h"
#include "kexec/plan.h"
#include "kexshim/bootparam.h"
#include "load/load.h"

static uint8_t *vmlinuz, *kcopy;
static size_t vmlinuz_len;
static char efi_root[4096], bios_root[4096];
static char tmp_root[] = "/tmp/kexshim-test-bootparams-XXXXXX";
static struct load ld;
static struct arch_load view; /* load_arch_view(&ld) */
static uint8_t initrd[1 << 20];

static uint8_t *read_all(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st)) {
		fclose(f);
		return NULL;
	}
	buf = malloc(st.st_size + 1);
	if (buf && fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[st.st_size] = 0;
		*len = st.st_size;
	}
	return buf;
}

static int setup(void **state)
{
	const char *dir = getenv("KEXSHIM_KERNEL_DIR");
	const char *top = getenv("KEXSHIM_TOP");
	char path[4096];
	struct stat st;

	if (!dir || !*dir) {
		fprintf(stderr, "KEXSHIM_KERNEL_DIR is not set (run make check-unit)\n");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/vmlinuz", dir);
	vmlinuz = read_all(path, &vmlinuz_len);
	if (!vmlinuz) {
		fprintf(stderr, "%s: cannot read\n", path);
		return -1;
	}
	kcopy = malloc(vmlinuz_len);
	if (!top || !*top)
		top = ".";
	snprintf(efi_root, sizeof(efi_root),
		 "%s/test/unit/fixtures/x86_64/ovmf-q35-2g", top);
	snprintf(bios_root, sizeof(bios_root),
		 "%s/test/unit/fixtures/x86_64/bios-6g", top);
	if (stat(efi_root, &st) || stat(bios_root, &st)) {
		fprintf(stderr, "%s: fixtures missing\n", efi_root);
		return -1;
	}
	if (!mkdtemp(tmp_root))
		return -1;
	memset(initrd, 0x5a, sizeof(initrd));
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	nftw(tmp_root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(vmlinuz);
	free(kcopy);
	return 0;
}

static int release(void **state)
{
	load_release(&ld);
	return 0;
}

/* Write tmp_root/path, creating directories. */
static void put_file(const char *path, const void *data, size_t len)
{
	char full[4096], *p;
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", tmp_root, path);
	for (p = full + strlen(tmp_root) + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		mkdir(full, 0755);
		*p = '/';
	}
	f = fopen(full, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void put_text(const char *path, const char *text)
{
	put_file(path, text, strlen(text));
}

/* Start over with an empty tmp_root. */
static void clear_tmp_root(void)
{
	nftw(tmp_root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	assert_int_equal(mkdir(tmp_root, 0700), 0);
}

/* arch_ops.load as load_prepare runs it: usable/firmware from iomem. */
static int do_load(const char *root, const char *iomem, const uint8_t *kernel,
		   const char *cmdline, const void *rd, size_t rd_size)
{
	char path[8192];
	size_t len;
	char *text;
	int ret;

	load_release(&ld);
	memset(&ld, 0, sizeof(ld));
	ld.req.root = root;
	ld.img.kernel_path = "/esp/vmlinuz";
	ld.img.kernel = kernel;
	ld.img.kernel_size = vmlinuz_len;
	ld.img.initrd = rd;
	ld.img.initrd_size = rd_size;
	ld.img.cmdline = cmdline;
	snprintf(path, sizeof(path), "%s/proc/iomem", iomem);
	text = (char *)read_all(path, &len);
	assert_non_null(text);
	ret = memmap_parse_iomem(path, text, len, &ld.firmware, &ld.usable);
	free(text);
	assert_int_equal(ret, 0);
	assert_int_equal(plan_init(&ld.plan, &ld.usable), 0);
	load_arch_view(&ld, &view);
	return arch_ops.load(&view);
}

static int load_efi(void)
{
	return do_load(efi_root, efi_root, vmlinuz, "root=/dev/vda1 quiet",
		       initrd, sizeof(initrd));
}

static const struct plan_segment *segment(const char *name)
{
	size_t i;

	for (i = 0; i < ld.plan.n; i++)
		if (!strcmp(ld.plan.seg[i].name, name))
			return &ld.plan.seg[i];
	return NULL;
}

static const struct plan_segment *bp_seg(void)
{
	const struct plan_segment *s = segment("boot_params");

	assert_non_null(s);
	assert_true(s->bufsz >= sizeof(struct boot_params));
	return s;
}

static const struct boot_params *bp(void)
{
	return bp_seg()->buf;
}

/* A physical address inside the boot_params segment, as a pointer. */
static const void *phys(uint64_t addr, size_t len)
{
	const struct plan_segment *s = bp_seg();

	if (addr < s->mem || addr - s->mem > s->bufsz ||
	    s->bufsz - (addr - s->mem) < len)
		fail_msg("0x%llx+%zu is outside boot_params [0x%llx, +0x%zx)",
			 (unsigned long long)addr, len,
			 (unsigned long long)s->mem, s->bufsz);
	return (const uint8_t *)s->buf + (addr - s->mem);
}

/* Walk the setup_data chain; return the node of type (NULL if none). */
static const struct setup_data *find_sd(uint32_t type)
{
	const struct setup_data *found = NULL, *sd;
	uint64_t next = bp()->hdr.setup_data;
	int n = 0;

	while (next) {
		assert_true(++n < 16);
		sd = phys(next, sizeof(*sd));
		phys(next + sizeof(*sd), sd->len);
		assert_int_equal(next % 8, 0);
		if (sd->type == type)
			found = sd;
		next = sd->next;
	}
	return found;
}

/* ---- the zero page ---- */

static void test_header_copied(void **state)
{
	const struct boot_params *b;
	const struct plan_segment *k;
	size_t i;

	assert_int_equal(load_efi(), 0);
	b = bp();
	k = segment("kernel");
	assert_non_null(k);
	/* boot.rst: copy 0x1f1 .. 0x202 + buf[0x201]; leave the rest 0. */
	for (i = 0x1f1; i < 0x26c; i++) {
		switch (i) {
		case 0x210: case 0x211: /* type_of_loader, loadflags */
		case 0x214 ... 0x21f:   /* code32_start, ramdisk_* */
		case 0x224 ... 0x225:   /* heap_end_ptr */
		case 0x228 ... 0x22b:   /* cmd_line_ptr */
		case 0x250 ... 0x257:   /* setup_data */
			continue;
		}
		if (((const uint8_t *)b)[i] != vmlinuz[i])
			fail_msg("header byte 0x%zx: 0x%02x, image has 0x%02x", i,
				 ((const uint8_t *)b)[i], vmlinuz[i]);
	}
	for (i = 0x26c; i < 0x290; i++)
		assert_int_equal(((const uint8_t *)b)[i], 0);
	assert_int_equal(b->sentinel, 0);
	assert_int_equal(b->hdr.header, SETUP_HDR_MAGIC);
	assert_int_equal(b->hdr.version, 0x020f);
	assert_int_equal(b->hdr.init_size, 0x3f98000);
	assert_int_equal(b->hdr.type_of_loader, 0xff);
	assert_true(b->hdr.loadflags & LOADED_HIGH);
	assert_false(b->hdr.loadflags & CAN_USE_HEAP);
	assert_int_equal(b->hdr.kernel_alignment, 0x200000);
	assert_int_equal(b->hdr.code32_start, k->mem);
}

static void test_placement(void **state)
{
	const struct plan_segment *k, *rd, *p;

	assert_int_equal(load_efi(), 0);
	assert_int_equal(ld.plan.n, 3);
	k = segment("kernel");
	rd = segment("initrd");
	p = bp_seg();
	assert_non_null(k);
	assert_non_null(rd);
	/* Lowest 2 MiB-aligned address not below pref_address. */
	assert_int_equal(k->mem, 0x1000000);
	assert_int_equal(k->bufsz, (vmlinuz[0x1f4] | vmlinuz[0x1f5] << 8 |
				    vmlinuz[0x1f6] << 16) * 16);
	/* Loaded: the payload; kept free: init_size (0x3f98000), which no
	 * other segment may take and kexec need not zero. */
	assert_int_equal(k->memsz, (k->bufsz + 4095) & ~4095ul);
	for (size_t i = 0; i < ld.plan.n; i++)
		if (&ld.plan.seg[i] != k)
			assert_true(ld.plan.seg[i].mem >= k->mem + 0x3f98000 ||
				    ld.plan.seg[i].mem + ld.plan.seg[i].memsz <= k->mem);
	assert_ptr_equal(k->buf, vmlinuz + (vmlinuz[0x1f1] + 1) * 512);
	assert_int_equal(ld.args.entry, k->mem + 0x200);
	assert_int_equal(ld.args.regs[0], p->mem);
	assert_true(p->mem >= 0x100000);
	assert_true(p->mem + p->memsz <= 1ull << 32);
	/* The initrd at the top of the highest RAM that fits: the EFI
	 * map's last RAM range ends at 0x7fe70000. */
	assert_int_equal(rd->mem + rd->memsz, 0x7fe70000);
	assert_int_equal(rd->bufsz, sizeof(initrd));
}

static void test_cmdline(void **state)
{
	const struct boot_params *b;
	const char *s;

	assert_int_equal(load_efi(), 0);
	b = bp();
	assert_int_equal(b->ext_cmd_line_ptr, 0);
	s = phys(b->hdr.cmd_line_ptr, sizeof("root=/dev/vda1 quiet"));
	assert_string_equal(s, "root=/dev/vda1 quiet");
}

static void test_cmdline_too_long(void **state)
{
	static char line[2049];

	memset(line, 'a', 2048);
	assert_int_equal(do_load(efi_root, efi_root, vmlinuz, line, NULL, 0),
			 -EINVAL);
	if (!strstr(kx_last_error(), "bzimage: /esp/vmlinuz: command line is 2048 bytes, the kernel takes at most 2047 (cmdline_size)"))
		fail_msg("message: %s", kx_last_error());
	/* cmdline_size excludes the NUL: 2047 characters fit. */
	line[2047] = 0;
	assert_int_equal(do_load(efi_root, efi_root, vmlinuz, line, NULL, 0), 0);
	assert_int_equal(strlen(phys(bp()->hdr.cmd_line_ptr, 2048)), 2047);
}

static void test_ramdisk(void **state)
{
	const struct boot_params *b;

	assert_int_equal(load_efi(), 0);
	b = bp();
	assert_int_equal(b->hdr.ramdisk_image, segment("initrd")->mem);
	assert_int_equal(b->hdr.ramdisk_size, sizeof(initrd));
	assert_int_equal(b->ext_ramdisk_image, 0);
	assert_int_equal(b->ext_ramdisk_size, 0);

	/* No initrd: all four are 0. */
	assert_int_equal(do_load(efi_root, efi_root, vmlinuz, "", NULL, 0), 0);
	assert_null(segment("initrd"));
	assert_int_equal(bp()->hdr.ramdisk_image, 0);
	assert_int_equal(bp()->hdr.ramdisk_size, 0);
}

/* XLF_CAN_BE_LOADED_ABOVE_4G: the initrd goes to the top of RAM, here
 * above 4 GiB, and the ext_ halves carry the high bits. */
static void test_ramdisk_above_4g(void **state)
{
	const struct boot_params *b;
	const struct plan_segment *rd;
	uint64_t size = 5ull << 30; /* never read: the planner only places it */

	assert_int_equal(do_load(bios_root, bios_root, vmlinuz, "", initrd,
				 sizeof(initrd)), 0);
	rd = segment("initrd");
	b = bp();
	assert_int_equal(rd->mem, 0x640000000ull - sizeof(initrd));
	assert_int_equal(b->hdr.ramdisk_image, (uint32_t)rd->mem);
	assert_int_equal(b->ext_ramdisk_image, 6);
	assert_int_equal(b->hdr.ramdisk_size, sizeof(initrd));
	assert_int_equal(b->ext_ramdisk_size, 0);

	assert_int_equal(do_load(bios_root, bios_root, vmlinuz, "", initrd,
				 size), 0);
	rd = segment("initrd");
	b = bp();
	assert_int_equal(rd->mem, 0x640000000ull - size);
	assert_int_equal((uint64_t)b->ext_ramdisk_image << 32 |
			 b->hdr.ramdisk_image, rd->mem);
	assert_int_equal(b->hdr.ramdisk_size, (uint32_t)size);
	assert_int_equal(b->ext_ramdisk_size, 1);
	/* boot_params and the command line stay below 4 GiB. */
	assert_true(bp_seg()->mem < 1ull << 32);
	assert_int_equal(b->ext_cmd_line_ptr, 0);
}

/* ---- e820 ---- */

struct e820 {
	uint64_t start, end;
	uint32_t type;
};

static void expect_e820(const struct e820 *want, size_t n)
{
	const struct boot_params *b = bp();
	size_t i;

	assert_int_equal(b->e820_entries, n);
	for (i = 0; i < n; i++) {
		const struct boot_e820_entry *e = &b->e820_table[i];

		if (e->addr != want[i].start ||
		    e->addr + e->size != want[i].end || e->type != want[i].type)
			fail_msg("e820[%zu] = [0x%llx, 0x%llx) type %u, want [0x%llx, 0x%llx) type %u",
				 i, (unsigned long long)e->addr,
				 (unsigned long long)(e->addr + e->size), e->type,
				 (unsigned long long)want[i].start,
				 (unsigned long long)want[i].end, want[i].type);
	}
	assert_null(find_sd(SETUP_E820_EXT));
}

static void test_e820_bios(void **state)
{
	static const struct e820 want[] = {
		{ 0x0, 0x9fc00, 1 },
		{ 0x9fc00, 0x100000, 2 },
		{ 0x100000, 0xc0000000, 1 },
		{ 0xeec00000, 0xfec00000, 2 },
		{ 0x100000000, 0x640000000, 1 },
	};

	assert_int_equal(do_load(bios_root, bios_root, vmlinuz, "", NULL, 0), 0);
	expect_e820(want, sizeof(want) / sizeof(want[0]));
}

/* The EFI fixture's firmware map, plus the one RAM page the runtime map
 * claims (0x7e8e0000) turned reserved. */
static void test_e820_efi(void **state)
{
	static const struct e820 want[] = {
		{ 0x0, 0xa0000, 1 },
		{ 0x100000, 0x800000, 1 },
		{ 0x800000, 0x808000, 4 },
		{ 0x808000, 0x80b000, 1 },
		{ 0x80b000, 0x80c000, 4 },
		{ 0x80c000, 0x810000, 1 },
		{ 0x810000, 0x900000, 4 },
		{ 0x900000, 0x7e8e0000, 1 },
		{ 0x7e8e0000, 0x7e8e1000, 2 },
		{ 0x7e8e1000, 0x7e8ef000, 1 },
		{ 0x7e8ef000, 0x7ea00000, 2 },
		{ 0x7ea00000, 0x7ebd6000, 1 },
		{ 0x7ebd6000, 0x7ebd7000, 2 },
		{ 0x7ebd7000, 0x7f6f2000, 1 },
		{ 0x7f6f2000, 0x7f77e000, 2 },
		{ 0x7f77e000, 0x7f786000, 3 },
		{ 0x7f786000, 0x7f78a000, 4 },
		{ 0x7f78a000, 0x7f7ff000, 2 },
		{ 0x7f7ff000, 0x7fe70000, 1 },
		{ 0x7fe70000, 0x7fe94000, 2 },
		{ 0x7fe94000, 0x7fe9c000, 4 },
		{ 0x7fe9c000, 0x7ff78000, 2 },
		{ 0x7ff78000, 0x80000000, 4 },
		{ 0xb0000000, 0xc0000000, 2 },
		{ 0xfed1c000, 0xfed20000, 2 },
		{ 0xffc00000, 0x100000000, 2 },
	};

	assert_int_equal(load_efi(), 0);
	expect_e820(want, sizeof(want) / sizeof(want[0]));
}

/* No /sys/firmware/memmap: the top-level ranges of /proc/iomem. */
static void test_e820_iomem_fallback(void **state)
{
	const struct boot_params *b;
	size_t i;

	clear_tmp_root();
	assert_int_equal(do_load(tmp_root, efi_root, vmlinuz, "", NULL, 0), 0);
	b = bp();
	assert_true(ld.firmware.n > 10);
	assert_int_equal(b->e820_entries, ld.firmware.n);
	for (i = 0; i < ld.firmware.n; i++) {
		assert_int_equal(b->e820_table[i].addr, ld.firmware.r[i].start);
		assert_int_equal(b->e820_table[i].addr + b->e820_table[i].size,
				 ld.firmware.r[i].end);
		assert_int_equal(b->e820_table[i].type, ld.firmware.r[i].type);
	}
	/* iomem's first page is Reserved (the kernel's own doing). */
	assert_int_equal(b->e820_table[0].addr, 0);
	assert_int_equal(b->e820_table[0].size, 0x1000);
	assert_int_equal(b->e820_table[0].type, 2);
}

/* More than 128 ranges: the rest go to SETUP_E820_EXT. */
static void test_e820_ext(void **state)
{
	const struct setup_data *sd;
	const struct boot_e820_entry *ext;
	const struct boot_params *b;
	char path[128], val[64];
	int i, n = 200;

	clear_tmp_root();
	for (i = 0; i < n; i++) {
		uint64_t s = 0x100000ull * (i + 1);

		snprintf(path, sizeof(path), "sys/firmware/memmap/%d/start", i);
		snprintf(val, sizeof(val), "0x%llx\n", (unsigned long long)s);
		put_text(path, val);
		snprintf(path, sizeof(path), "sys/firmware/memmap/%d/end", i);
		snprintf(val, sizeof(val), "0x%llx\n",
			 (unsigned long long)(s + 0xfffff));
		put_text(path, val);
		snprintf(path, sizeof(path), "sys/firmware/memmap/%d/type", i);
		put_text(path, i % 2 ? "Reserved\n" : "System RAM\n");
	}
	assert_int_equal(do_load(tmp_root, efi_root, vmlinuz, "", NULL, 0), 0);
	b = bp();
	assert_int_equal(b->e820_entries, 128);
	assert_int_equal(b->e820_table[127].addr, 0x100000ull * 128);
	sd = find_sd(SETUP_E820_EXT);
	assert_non_null(sd);
	assert_int_equal(sd->len, (n - 128) * sizeof(*ext));
	ext = (const struct boot_e820_entry *)sd->data;
	for (i = 0; i < n - 128; i++) {
		assert_int_equal(ext[i].addr, 0x100000ull * (i + 129));
		assert_int_equal(ext[i].size, 0x100000);
		assert_int_equal(ext[i].type, (i + 128) % 2 ? 2 : 1);
	}
}

/* ---- setup_data, EFI, ACPI, screen ---- */

static void test_rng_seed(void **state)
{
	const struct setup_data *sd;
	uint8_t first[32];

	assert_int_equal(load_efi(), 0);
	sd = find_sd(SETUP_RNG_SEED);
	assert_non_null(sd);
	assert_int_equal(sd->len, 32);
	memcpy(first, sd->data, 32);
	assert_int_equal(load_efi(), 0);
	sd = find_sd(SETUP_RNG_SEED);
	assert_non_null(sd);
	assert_memory_not_equal(first, sd->data, 32);
	/* BIOS boots get one too. */
	assert_int_equal(do_load(bios_root, bios_root, vmlinuz, "", NULL, 0), 0);
	assert_non_null(find_sd(SETUP_RNG_SEED));
}

static void test_efi(void **state)
{
	const struct efi_setup_data *esd;
	const struct efi_memory_desc *md;
	const struct setup_data *sd;
	const struct boot_params *b;
	uint64_t map;

	assert_int_equal(load_efi(), 0);
	b = bp();
	assert_int_equal(b->efi_info.efi_loader_signature, EFI64_LOADER_SIGNATURE);
	assert_memory_equal(&b->efi_info.efi_loader_signature, "EL64", 4);
	/* The system table address from the shim's own boot_params. */
	assert_int_equal(b->efi_info.efi_systab, 0x7f9ee018);
	assert_int_equal(b->efi_info.efi_systab_hi, 0);
	assert_int_equal(b->efi_info.efi_memdesc_size, 48);
	assert_int_equal(b->efi_info.efi_memdesc_version, 1);
	assert_int_equal(b->efi_info.efi_memmap_size, 9 * 48);
	assert_int_equal(b->secure_boot, 2);

	map = (uint64_t)b->efi_info.efi_memmap_hi << 32 | b->efi_info.efi_memmap;
	assert_int_equal(map % 8, 0);
	md = phys(map, 9 * 48);
	assert_int_equal(md->type, 6);
	assert_int_equal(md->phys_addr, 0x7e8ef000);
	assert_int_equal(md->virt_addr, 0xffffffff00000000ull - 0x111000);
	assert_int_equal(md->num_pages, 0x111);
	assert_int_equal(md->attribute, 0x800000000000000full);
	md = (const void *)((const uint8_t *)md + 8 * 48);
	assert_int_equal(md->type, 11);
	assert_int_equal(md->phys_addr, 0xffc00000);
	assert_int_equal(md->num_pages, 0x400);
	assert_int_equal(md->attribute, 0x8000000000000001ull);

	sd = find_sd(SETUP_EFI);
	assert_non_null(sd);
	assert_int_equal(sd->len, sizeof(*esd));
	esd = (const void *)sd->data;
	assert_int_equal(esd->fw_vendor, 0x7f9ec218);
	assert_int_equal(esd->tables, 0x7f9eaf18);
	assert_int_equal(esd->runtime, 0x7f9ecb98);
	/* The 32-bit entry point, not SMBIOS3. */
	assert_int_equal(esd->smbios, 0x7f4cb000);
}

static void test_efi_needs_xlf_efi_kexec(void **state)
{
	const struct boot_params *b;
	static const struct efi_info zero;

	memcpy(kcopy, vmlinuz, vmlinuz_len);
	kcopy[0x236] &= ~XLF_EFI_KEXEC;
	assert_int_equal(do_load(efi_root, efi_root, kcopy, "", NULL, 0), 0);
	b = bp();
	assert_null(find_sd(SETUP_EFI));
	assert_memory_equal(&b->efi_info, &zero, sizeof(zero));
	assert_non_null(find_sd(SETUP_RNG_SEED));
	assert_int_equal(b->acpi_rsdp_addr, 0x7f77e014);

	/* A BIOS boot: no EFI whatever the kernel says. */
	assert_int_equal(do_load(bios_root, bios_root, vmlinuz, "", NULL, 0), 0);
	assert_null(find_sd(SETUP_EFI));
	assert_memory_equal(&bp()->efi_info, &zero, sizeof(zero));
}

static void test_acpi_rsdp(void **state)
{
	assert_int_equal(load_efi(), 0);
	assert_int_equal(bp()->acpi_rsdp_addr, 0x7f77e014); /* ACPI20= */

	/* ACPI 1.0 only; no boot_params, so no EFI runtime either. */
	clear_tmp_root();
	put_text("sys/firmware/efi/systab", "ACPI=0xf5a40\nSMBIOS=0xf5a60\n");
	assert_int_equal(do_load(tmp_root, efi_root, vmlinuz, "", NULL, 0), 0);
	assert_int_equal(bp()->acpi_rsdp_addr, 0xf5a40);
	assert_null(find_sd(SETUP_EFI));

	/* BIOS: the target finds the RSDP itself. */
	assert_int_equal(do_load(bios_root, bios_root, vmlinuz, "", NULL, 0), 0);
	assert_int_equal(bp()->acpi_rsdp_addr, 0);
}

static void test_screen_info(void **state)
{
	char path[8192];
	uint8_t *data;
	size_t len;

	snprintf(path, sizeof(path), "%s/sys/kernel/boot_params/data", efi_root);
	data = read_all(path, &len);
	assert_non_null(data);
	assert_int_equal(len, 4096);
	assert_int_equal(load_efi(), 0);
	assert_memory_equal(&bp()->screen_info, data, 0x40);
	assert_int_equal(bp()->screen_info.raw[0x0f], 0x70); /* VIDEO_TYPE_EFI */
	free(data);
}

/* ---- purgatory console ---- */

static void expect_console(const char *cmdline, uint32_t type, uint64_t base,
			   uint8_t shift, uint8_t width)
{
	clear_tmp_root();
	put_text("proc/cmdline", cmdline);
	assert_int_equal(do_load(tmp_root, efi_root, vmlinuz, "", NULL, 0), 0);
	if (ld.args.console.type != type || ld.args.console.base != base ||
	    ld.args.console.reg_shift != shift ||
	    ld.args.console.reg_width != width)
		fail_msg("\"%s\": console type %u base 0x%llx shift %u width %u",
			 cmdline, ld.args.console.type,
			 (unsigned long long)ld.args.console.base,
			 ld.args.console.reg_shift, ld.args.console.reg_width);
}

static void test_console(void **state)
{
	/* console=tty0 console=ttyS0,115200n8 ... -- console=ttyS1 */
	assert_int_equal(load_efi(), 0);
	assert_int_equal(ld.args.console.type, PURGATORY_CONSOLE_8250_IO);
	assert_int_equal(ld.args.console.base, 0x3f8);

	expect_console("quiet console=ttyS1,115200\n", PURGATORY_CONSOLE_8250_IO,
		       0x2f8, 0, 1);
	expect_console("console=ttyS0 console=ttyS3\n", PURGATORY_CONSOLE_8250_IO,
		       0x2e8, 0, 1);
	expect_console("console=tty0\n", PURGATORY_CONSOLE_NONE, 0, 0, 0);
	expect_console("console=ttyS9\n", PURGATORY_CONSOLE_NONE, 0, 0, 0);
	expect_console("console=uart8250,io,0x3e8,115200n8\n",
		       PURGATORY_CONSOLE_8250_IO, 0x3e8, 0, 1);
	/* MMIO: the stride and access width of Linux's earlycon iotypes;
	 * the purgatory maps the page itself (pgtable.c), so an MMIO
	 * console stays an MMIO console. */
	expect_console("console=uart,mmio32,0xfe215040\n",
		       PURGATORY_CONSOLE_8250_MMIO, 0xfe215040, 2, 4);
	expect_console("console=uart8250,mmio,0xfedc9000,115200n8\n",
		       PURGATORY_CONSOLE_8250_MMIO, 0xfedc9000, 0, 1);
	expect_console("console=uart8250,mmio16,0xfedc9000\n",
		       PURGATORY_CONSOLE_8250_MMIO, 0xfedc9000, 1, 2);
	/* No big-endian accesses in the purgatory: quiet instead. */
	expect_console("console=uart8250,mmio32be,0xfedc9000\n",
		       PURGATORY_CONSOLE_NONE, 0, 0, 0);
	expect_console("\"console=ttyS1\"\n", PURGATORY_CONSOLE_8250_IO, 0x2f8, 0, 1);
	/* No /proc/cmdline at all: silent purgatory. */
	clear_tmp_root();
	assert_int_equal(do_load(tmp_root, efi_root, vmlinuz, "", NULL, 0), 0);
	assert_int_equal(ld.args.console.type, PURGATORY_CONSOLE_NONE);
}

#define T(f) cmocka_unit_test_teardown(f, release)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_header_copied),
		T(test_placement),
		T(test_cmdline),
		T(test_cmdline_too_long),
		T(test_ramdisk),
		T(test_ramdisk_above_4g),
		T(test_e820_bios),
		T(test_e820_efi),
		T(test_e820_iomem_fallback),
		T(test_e820_ext),
		T(test_rng_seed),
		T(test_efi),
		T(test_efi_needs_xlf_efi_kexec),
		T(test_acpi_rsdp),
		T(test_screen_info),
		T(test_console),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
