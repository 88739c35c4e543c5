/* Host unit tests: load_prepare() end to end on the real Debian kernel
 * ($KEXSHIM_KERNEL_DIR/vmlinuz), generated initrds, a saved iomem fixture
 * and an empty fake root (no live /sys).  Stops before any syscall that
 * loads or reboots. */
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
#include "kexec/purgatory.h"
#include "kexshim/purgatory.h"
#include "common/sha256.h"
#include "lib/arena.h"
#include "lib/readfile.h"
#include "load/load.h"

static char tmp[] = "/tmp/kexshim-load-XXXXXX";
static char kernel[4096], iomem[4096], initrd_a[4096], initrd_b[4096];
static char root[4096], empty[4096];
static struct load l;

#define INITRD_A_SIZE 300001
#define INITRD_B_SIZE 123457

static void write_file(const char *path, size_t size, uint8_t seed)
{
	FILE *f = fopen(path, "w");
	size_t i;

	assert_non_null(f);
	for (i = 0; i < size; i++)
		fputc((uint8_t)(i * 7 + seed + (i >> 12)), f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	const char *kdir = getenv("KEXSHIM_KERNEL_DIR");
	const char *top = getenv("KEXSHIM_TOP");

	/* Missing inputs fail the tests (kernel[] stays empty), never skip. */
	if (kdir)
		snprintf(kernel, sizeof(kernel), "%s/vmlinuz", kdir);
	snprintf(iomem, sizeof(iomem),
		 "%s/test/unit/fixtures/iomem/qemu-q35-ovmf-2g.iomem",
		 top ? top : ".");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(initrd_a, sizeof(initrd_a), "%s/a.cpio", tmp);
	snprintf(initrd_b, sizeof(initrd_b), "%s/b.cpio", tmp);
	snprintf(empty, sizeof(empty), "%s/empty", tmp);
	snprintf(root, sizeof(root), "%s/root", tmp);
	write_file(initrd_a, INITRD_A_SIZE, 1);
	write_file(initrd_b, INITRD_B_SIZE, 2);
	write_file(empty, 0, 0);
	mkdir(root, 0755);
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
	return 0;
}

static void request(struct load_request *req)
{
	assert_true(kernel[0]); /* KEXSHIM_KERNEL_DIR set (make check-unit) */
	assert_int_equal(access(kernel, R_OK), 0);
	assert_int_equal(access(iomem, R_OK), 0);
	memset(req, 0, sizeof(*req));
	req->kernel = kernel;
	req->initrd[0] = initrd_a;
	req->nr_initrd = 1;
	req->cmdline = "console=ttyS0 quiet \"quoted value\"";
	req->memmap = iomem;
	req->root = root;
}

static const struct plan_segment *seg_named(const char *name)
{
	size_t i;

	for (i = 0; i < l.plan.n; i++)
		if (!strcmp(l.plan.seg[i].name, name))
			return &l.plan.seg[i];
	return NULL;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The invariants every prepared load has, whatever the arch put in it. */
static void check_load(void)
{
	const struct plan *p = &l.plan;
	const struct plan_segment *k = seg_named("kernel");
	const struct plan_segment *pg = seg_named("purgatory");
	struct purgatory_args a;
	size_t i, j, n;

	assert_non_null(k);
	assert_non_null(pg);
	/* kernel, initrd, boot data, purgatory at least; at most 16. */
	assert_true(p->n >= 4 && p->n <= PLAN_MAX_SEGMENTS);
	for (i = 0; i < p->n; i++) {
		assert_int_equal(p->seg[i].mem % 4096, 0);
		assert_int_equal(p->seg[i].memsz % 4096, 0);
		assert_true(p->seg[i].memsz >= p->seg[i].bufsz);
		if (i)
			assert_true(p->seg[i - 1].mem + p->seg[i - 1].memsz <=
				    p->seg[i].mem);
	}
	/* Debian's kernel: kernel_alignment 2 MiB; init_size from its start
	 * is free of every other segment (loaded: the payload only). */
	assert_int_equal(k->mem % 0x200000, 0);
	assert_int_equal(k->memsz, (k->bufsz + 4095) & ~(uint64_t)4095);
	for (i = 0; i < p->n; i++)
		if (&p->seg[i] != k)
			assert_true(p->seg[i].mem >= k->mem + le32(l.img.kernel + 0x260) ||
				    p->seg[i].mem + p->seg[i].memsz <= k->mem);
	/* Entry is inside the purgatory. */
	assert_true(l.entry > pg->mem && l.entry < pg->mem + pg->bufsz);

	/* The args as the purgatory will see them: in its segment buffer. */
	assert_true(pg->bufsz >= sizeof(a));
	memcpy(&a, pg->buf, sizeof(a));
	assert_int_equal(a.magic, PURGATORY_MAGIC);
	assert_int_equal(a.version, PURGATORY_VERSION);
	assert_int_equal(pg->mem + a.entry_offset, l.entry);
	assert_true(pg->memsz >= a.mem_size);
	assert_int_equal(a.entry, k->mem + 0x200); /* boot.rst: 64-bit entry */
	assert_int_equal(memcmp(&a, &l.args, sizeof(a)), 0);
	/* rsi = boot_params: the start of some other segment. */
	for (i = 0; i < p->n && p->seg[i].mem != a.regs[0]; i++)
		;
	assert_true(i < p->n && &p->seg[i] != pg && &p->seg[i] != k);
	/* Every segment but the purgatory's, cut into regions of whole
	 * pages (regions.c: the CPUs share the hashing), each with its
	 * digest; nothing else. */
	assert_true(a.nr_regions >= p->n - 1 && a.nr_regions <= PURGATORY_MAX_REGIONS);
	for (i = 0, n = 0; i < p->n; i++) {
		uint64_t off = 0;

		if (&p->seg[i] == pg)
			continue;
		do {
			const struct purgatory_region *r = NULL;
			uint8_t d[SHA256_DIGEST_SIZE];

			for (j = 0; j < a.nr_regions; j++)
				if (a.regions[j].start == p->seg[i].mem + off)
					r = &a.regions[j];
			assert_non_null(r);
			assert_int_equal(r->start % 4096, 0);
			assert_true(r->len <= p->seg[i].bufsz - off);
			sha256(r->len ? (const uint8_t *)p->seg[i].buf + off :
					(const uint8_t *)"", r->len, d);
			assert_memory_equal(r->sha256, d, sizeof(d));
			off += r->len;
			n++;
		} while (off < p->seg[i].bufsz);
	}
	assert_int_equal(n, a.nr_regions);
}

static void test_prepare_one_initrd(void **state)
{
	struct load_request req;
	const struct plan_segment *s;
	size_t i;
	int mapped = 0;

	request(&req);
	if (load_prepare(&l, &req))
		fail_msg("load_prepare: %s", kx_last_error());
	check_load();
	s = seg_named("initrd");
	assert_non_null(s);
	assert_int_equal(s->bufsz, INITRD_A_SIZE);
	assert_ptr_equal(s->buf, l.img.initrd);
	assert_string_equal(l.img.initrd_desc, initrd_a);
	assert_string_equal(l.img.cmdline, req.cmdline);
	/* One initrd is mmap'ed, not copied. */
	for (i = 0; i < l.arena.n; i++)
		if (l.arena.owned[i].p == l.img.initrd && l.arena.owned[i].is_mmap)
			mapped = 1;
	assert_true(mapped);
	/* The planner never used what the iomem fixture does not call RAM. */
	for (i = 0; i < l.plan.n; i++)
		assert_true(l.plan.seg[i].mem + l.plan.seg[i].memsz <= 0x7fe70000);
	load_release(&l);
	assert_int_equal(l.arena.n, 0);
}

static void test_prepare_two_initrds(void **state)
{
	struct load_request req;
	const struct plan_segment *s;
	uint8_t *want;
	FILE *f;

	request(&req);
	req.initrd[1] = initrd_b;
	req.nr_initrd = 2;
	req.cmdline = NULL;
	if (load_prepare(&l, &req))
		fail_msg("load_prepare: %s", kx_last_error());
	check_load();
	assert_string_equal(l.img.cmdline, "");
	s = seg_named("initrd");
	assert_non_null(s);
	assert_int_equal(s->bufsz, INITRD_A_SIZE + INITRD_B_SIZE);
	/* a then b, byte for byte. */
	want = malloc(s->bufsz);
	assert_non_null(want);
	f = fopen(initrd_a, "r");
	assert_int_equal(fread(want, 1, INITRD_A_SIZE, f), INITRD_A_SIZE);
	fclose(f);
	f = fopen(initrd_b, "r");
	assert_int_equal(fread(want + INITRD_A_SIZE, 1, INITRD_B_SIZE, f),
			 INITRD_B_SIZE);
	fclose(f);
	assert_memory_equal(s->buf, want, s->bufsz);
	free(want);
	assert_non_null(strstr(l.img.initrd_desc, "a.cpio, "));
	assert_non_null(strstr(l.img.initrd_desc, "b.cpio"));
	load_release(&l);
}

static void test_missing_kernel(void **state)
{
	struct load_request req;
	char path[4200], want[4300];

	request(&req);
	snprintf(path, sizeof(path), "%s/no-such-vmlinuz", tmp);
	req.kernel = path;
	assert_int_equal(load_prepare(&l, &req), -ENOENT);
	snprintf(want, sizeof(want), "load: %s: No such file or directory", path);
	assert_string_equal(kx_last_error(), want);
	assert_int_equal(l.arena.n, 0); /* nothing leaks on failure */

	req.kernel = empty;
	assert_int_equal(load_prepare(&l, &req), -EINVAL);
	snprintf(want, sizeof(want), "load: %s: empty file", empty);
	assert_string_equal(kx_last_error(), want);

	req.kernel = tmp;
	assert_int_equal(load_prepare(&l, &req), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "not a regular file"));
}

static void test_missing_initrd_and_memmap(void **state)
{
	struct load_request req;
	char path[4200];

	request(&req);
	snprintf(path, sizeof(path), "%s/no-such-initrd", tmp);
	req.initrd[1] = path;
	req.nr_initrd = 2;
	assert_int_equal(load_prepare(&l, &req), -ENOENT);
	assert_non_null(strstr(kx_last_error(), path));

	request(&req);
	req.memmap = NULL; /* <root>/proc/iomem: not in the fake root */
	assert_int_equal(load_prepare(&l, &req), -ENOENT);
	snprintf(path, sizeof(path), "load: %s/proc/iomem: No such file or directory",
		 root);
	assert_string_equal(kx_last_error(), path);
}

static void test_read_file(void **state)
{
	char path[4200], *buf;
	size_t len;
	FILE *f;
	int i;

	memset(&l, 0, sizeof(l));
	/* Larger than a page, like a sysfs binary attribute. */
	snprintf(path, sizeof(path), "%s/big", root);
	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 0; i < 10000; i++)
		fputc('a' + i % 26, f);
	fclose(f);
	assert_int_equal(root_path("t", root, "/big", path, sizeof(path)), 0);
	assert_int_equal(arena_read_file(&l.arena, "t", path, &buf, &len), 0);
	assert_int_equal(len, 10000);
	assert_int_equal(buf[len], '\0');
	assert_int_equal(buf[9999], 'a' + 9999 % 26);
	assert_int_equal(root_path("t", root, "/missing", path, sizeof(path)), 0);
	assert_int_equal(arena_read_file(&l.arena, "t", path, &buf, &len),
			 -ENOENT);
	assert_non_null(strstr(kx_last_error(), "/root/missing"));
	/* st_size 0 but content: read to EOF (proc, like sysfs). */
	assert_int_equal(arena_read_file(&l.arena, "t", "/proc/self/status",
					 &buf, &len), 0);
	assert_true(len > 100);
	assert_non_null(strstr(buf, "Name:"));
	assert_non_null(arena_alloc(&l.arena, 0));
	load_release(&l);
	assert_int_equal(l.arena.n, 0);
}

/* The loader's call, with the x86_64 window. */
#define PLACE(blob, size) \
	purgatory_place_blob(&l.plan, &l.args, &l.arena, blob, size, \
			     0x100000, 1ull << 32, &l.entry)

static void test_purgatory_blob(void **state)
{
	static uint8_t blob[8192], data[5000];
	struct purgatory_args a = {
		.magic = PURGATORY_MAGIC, .version = PURGATORY_VERSION,
		.entry_offset = 0x400, .mem_size = 0x2100,
	};
	struct memmap m = { .n = 1 };
	struct plan_item it = { .name = "kernel", .buf = data,
				.bufsz = sizeof(data), .memsz = 0x100000 };
	const struct plan_segment *pg;
	struct purgatory_args out;
	uint8_t d[SHA256_DIGEST_SIZE];
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = i * 13;
	m.r[0] = (struct memmap_range){ 0x100000, 0x10000000, MEMMAP_RAM };
	memset(&l, 0, sizeof(l));
	assert_int_equal(plan_init(&l.plan, &m), 0);
	assert_int_equal(plan_add(&l.plan, &it), 0);
	l.args.entry = 0x100200;
	l.args.regs[0] = 0x12345000;
	l.args.console.type = PURGATORY_CONSOLE_8250_IO;
	l.args.console.base = 0x3f8;
	memset(blob, 0xcc, sizeof(blob));

	/* Bad blobs: each refused with a purgatory: message. */
	assert_int_equal(PLACE(blob, 100), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "purgatory: blob is 100 bytes"));
	memcpy(blob, &a, sizeof(a));
	blob[0] ^= 1;
	assert_int_equal(PLACE(blob, 0x2000), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "purgatory: bad magic"));
	a.version = 99;
	memcpy(blob, &a, sizeof(a));
	assert_int_equal(PLACE(blob, 0x2000), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "version 99"));
	a.version = PURGATORY_VERSION;
	a.mem_size = 0x1000;
	memcpy(blob, &a, sizeof(a));
	assert_int_equal(PLACE(blob, 0x2000), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "mem_size"));
	a.mem_size = 0x2100;
	a.entry_offset = 0x2000;
	memcpy(blob, &a, sizeof(a));
	assert_int_equal(PLACE(blob, 0x2000), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "entry_offset"));
	assert_int_equal(l.plan.n, 1);

	a.entry_offset = 0x400;
	memcpy(blob, &a, sizeof(a));
	assert_int_equal(PLACE(blob, 0x2000), 0);
	assert_int_equal(l.plan.n, 2);
	pg = &l.plan.seg[1];
	assert_string_equal(pg->name, "purgatory");
	assert_int_equal(pg->bufsz, 0x2000);
	assert_int_equal(pg->memsz, 0x3000); /* mem_size rounded to pages */
	assert_ptr_not_equal(pg->buf, blob); /* a copy */
	assert_int_equal(l.entry, pg->mem + 0x400);
	memcpy(&out, pg->buf, sizeof(out));
	assert_int_equal(out.entry, 0x100200);
	assert_int_equal(out.regs[0], 0x12345000);
	assert_int_equal(out.console.base, 0x3f8);
	assert_int_equal(out.nr_regions, 1);
	assert_int_equal(out.regions[0].start, 0x100000);
	assert_int_equal(out.regions[0].len, sizeof(data));
	sha256(data, sizeof(data), d);
	assert_memory_equal(out.regions[0].sha256, d, sizeof(d));
	/* The code after the args is copied unchanged. */
	assert_memory_equal((const uint8_t *)pg->buf + sizeof(out),
			    blob + sizeof(out), 0x2000 - sizeof(out));
	load_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepare_one_initrd),
		cmocka_unit_test(test_prepare_two_initrds),
		cmocka_unit_test(test_missing_kernel),
		cmocka_unit_test(test_missing_initrd_and_memmap),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_purgatory_blob),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
