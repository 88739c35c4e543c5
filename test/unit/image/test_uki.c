/*
 * test/unit/image/test_uki.c: host tests of boot/image/uki.c and its probe
 * table row, on UKIs built from systemd-boot-efi's stubs around the real
 * Debian kernels ($KEXSHIM_UKI_DIR, see unit.mk), truncated and garbled
 * copies of them, and the load flow (boot/load/load.c) that combines a
 * UKI's initrds, command line and devicetree with the request's.
 */
#include <errno.h>
#include <fcntl.h>
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

#include "common/le.h"
#include "image/image.h"
#include "image/pe.h"
#include "image/uki.h"
#include "kexshim/pe.h"
#include "lib/arena.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "load/load.h"

static char dir[4096];
static char *x64, *prof, *aa64, *bzimage, *arm64_image;
static size_t x64_len, prof_len, aa64_len, bzimage_len, arm64_image_len;

static char *slurp(const char *d, const char *name, size_t *len)
{
	char path[4096];
	char *buf = NULL;

	snprintf(path, sizeof(path), "%s/%s", d, name);
	assert_int_equal(read_file_whole("test", path, 0, &buf, len), 0);
	return buf;
}

static int setup(void **state)
{
	const char *d = getenv("KEXSHIM_UKI_DIR");
	const char *k = getenv("KEXSHIM_KERNEL_DIR");
	const char *k64 = getenv("KEXSHIM_KERNEL_DIR_ARM64");

	/* Missing inputs fail (make check-unit sets them), never skip. */
	assert_non_null(d);
	assert_non_null(k);
	assert_non_null(k64);
	snprintf(dir, sizeof(dir), "%s", d);
	x64 = slurp(d, "x64.efi", &x64_len);
	prof = slurp(d, "x64-profiles.efi", &prof_len);
	aa64 = slurp(d, "aa64.efi", &aa64_len);
	bzimage = slurp(k, "vmlinuz", &bzimage_len);
	arm64_image = slurp(k64, "vmlinuz", &arm64_image_len);
	return 0;
}

static int teardown(void **state)
{
	free(x64);
	free(prof);
	free(aa64);
	free(bzimage);
	free(arm64_image);
	return 0;
}

static const uint8_t *u8(const char *p)
{
	return (const uint8_t *)p;
}

static void assert_blob_is(const struct uki_blob *b, size_t size, char fill)
{
	size_t i;

	assert_non_null(b->data);
	assert_int_equal(b->size, size);
	for (i = 0; i < size; i++)
		if (b->data[i] != (uint8_t)fill)
			fail_msg("byte %zu is 0x%02x", i, b->data[i]);
}

static void test_detect(void **state)
{
	assert_true(uki_detect(u8(x64), x64_len));
	assert_true(uki_detect(u8(aa64), aa64_len));
	/* EFI-stub kernels are PE files without .linux: not UKIs. */
	assert_true(pe_detect(u8(bzimage), bzimage_len));
	assert_false(uki_detect(u8(bzimage), bzimage_len));
	assert_true(pe_detect(u8(arm64_image), arm64_image_len));
	assert_false(uki_detect(u8(arm64_image), arm64_image_len));
	assert_false(uki_detect(u8("MZ"), 2));
	assert_false(uki_detect(u8(""), 0));
}

static void test_parse_plain(void **state)
{
	struct uki u;
	struct uki_part p;

	assert_int_equal(uki_parse("t", "x64.efi", u8(x64), x64_len, &u), 0);
	assert_int_equal(u.machine, PE_MACHINE_X86_64);
	assert_int_equal(u.nr_profiles, 0);
	/* VirtualSize, not the file-aligned raw size: the kernel exactly. */
	assert_int_equal(u.base.s[UKI_LINUX].size, bzimage_len);
	assert_memory_equal(u.base.s[UKI_LINUX].data, bzimage, bzimage_len);
	assert_blob_is(&u.base.s[UKI_UCODE], 4096, 'U');
	assert_blob_is(&u.base.s[UKI_INITRD], 100000, 'I');
	assert_non_null(u.base.s[UKI_SBAT].data); /* the stub's own */
	assert_null(u.base.s[UKI_DTB].data);
	assert_null(u.base.s[UKI_PROFILE].data);
	/* @0 of a UKI without profiles is the UKI; -1 the same. */
	assert_int_equal(uki_select("t", "x64.efi", &u, 0, &p), 0);
	assert_ptr_equal(p.s[UKI_LINUX].data, u.base.s[UKI_LINUX].data);
	assert_int_equal(uki_select("t", "x64.efi", &u, -1, &p), 0);
	assert_int_equal(uki_select("t", "x64.efi", &u, 1, &p), -ENOENT);
	assert_string_equal(kx_last_error(),
			    "t: x64.efi: no profile @1 (the UKI has 0)");
}

static void test_parse_profiles(void **state)
{
	struct uki u;
	struct uki_part p;
	char cmd[128];

	assert_int_equal(uki_parse("t", "p.efi", u8(prof), prof_len, &u), 0);
	assert_int_equal(u.nr_profiles, 4);
	assert_null(u.profile[0].s[UKI_CMDLINE].data);
	assert_non_null(u.profile[1].s[UKI_CMDLINE].data);
	/* @0: all the base's, plus its .profile. */
	assert_int_equal(uki_select("t", "p.efi", &u, 0, &p), 0);
	assert_string_equal(uki_cmdline_copy(&p.s[UKI_CMDLINE], cmd), "quiet");
	assert_memory_equal(p.s[UKI_PROFILE].data, "ID=regular\n", 11);
	assert_blob_is(&p.s[UKI_INITRD], 100000, 'I');
	/* @1 overrides .cmdline only. */
	assert_int_equal(uki_select("t", "p.efi", &u, 1, &p), 0);
	assert_string_equal(uki_cmdline_copy(&p.s[UKI_CMDLINE], cmd),
			    "quiet systemd.unit=factory-reset.target");
	assert_blob_is(&p.s[UKI_INITRD], 100000, 'I');
	assert_ptr_equal(p.s[UKI_LINUX].data, u.base.s[UKI_LINUX].data);
	/* @2 its .initrd too. */
	assert_int_equal(uki_select("t", "p.efi", &u, 2, &p), 0);
	assert_blob_is(&p.s[UKI_INITRD], 5000, 'J');
	/* -1 is @0 for a multi-profile UKI ("automatically selected"). */
	assert_int_equal(uki_select("t", "p.efi", &u, -1, &p), 0);
	assert_string_equal(uki_cmdline_copy(&p.s[UKI_CMDLINE], cmd), "quiet");
	assert_int_equal(uki_select("t", "p.efi", &u, 4, &p), -ENOENT);
}

static void test_cmdline_copy(void **state)
{
	static const uint8_t raw[] = " \tconsole=ttyS0\nquiet\r\n\0junk";
	struct uki_blob b = { raw, sizeof(raw) - 1 };
	char out[sizeof(raw)];

	assert_string_equal(uki_cmdline_copy(&b, out), "console=ttyS0 quiet");
	b.size = 0;
	assert_string_equal(uki_cmdline_copy(&b, out), "");
	b.data = NULL;
	assert_string_equal(uki_cmdline_copy(&b, out), "");
}

/* A copy of the UKI with section `name`'s header field at off changed. */
static char *patch_section(const char *src, size_t len, const char *name,
			   size_t off, uint32_t value)
{
	struct pe_file pe;
	char *c = malloc(len);
	int i;

	assert_non_null(c);
	memcpy(c, src, len);
	assert_int_equal(pe_parse("t", "c", u8(c), len, &pe), 0);
	for (i = 0; i < pe.nr_sections; i++) {
		uint8_t *h = (uint8_t *)c + pe.sections_offset + i * 40;

		if (!strncmp((char *)h, name, 8)) {
			put_le32(h + off, value);
			return c;
		}
	}
	fail_msg("no section %s", name);
	return NULL;
}

static void test_malformed(void **state)
{
	struct pe_section s;
	struct pe_file pe;
	struct uki u;
	size_t end;
	char *c;

	/* Truncated: anywhere inside .linux (objcopy left a symbol table
	 * after it, so cut the section itself), or inside the headers. */
	assert_int_equal(pe_parse("t", "x", u8(x64), x64_len, &pe), 0);
	assert_true(pe_find_section(&pe, ".linux", &s) >= 0);
	end = (size_t)s.raw_offset + s.raw_size;
	assert_int_equal(uki_parse("t", "cut.efi", u8(x64), end, &u), 0);
	assert_int_equal(uki_parse("t", "cut.efi", u8(x64), end - 1, &u),
			 -ENOEXEC);
	assert_non_null(strstr(kx_last_error(), "t: cut.efi: truncated: PE "
			       "section .linux ends at"));
	assert_int_equal(uki_parse("t", "cut.efi", u8(x64), 300, &u), -ENOEXEC);
	assert_int_equal(uki_parse("t", "cut.efi", u8(x64), 10, &u), -ENOEXEC);
	/* VirtualSize larger than the data in the file. */
	c = patch_section(x64, x64_len, ".initrd",
			  offsetof(struct pe_section_header, virtual_size),
			  0x7fffffff);
	assert_int_equal(uki_parse("t", "vs.efi", u8(c), x64_len, &u), -ENOEXEC);
	assert_non_null(strstr(kx_last_error(), "PE section .initrd: "
			       "VirtualSize 0x7fffffff is larger"));
	free(c);
	/* Raw data pointing past the end (offset + size wrap in 32 bits). */
	c = patch_section(x64, x64_len, ".cmdline",
			  offsetof(struct pe_section_header, raw_offset),
			  0xffffff00);
	assert_int_equal(uki_parse("t", "off.efi", u8(c), x64_len, &u),
			 -ENOEXEC);
	free(c);
	/* .linux renamed: a PE file, but not a UKI. */
	c = malloc(x64_len);
	memcpy(c, x64, x64_len);
	memcpy(memmem(c, 4096, ".linux", 6), ".linuy", 6);
	assert_false(uki_detect(u8(c), x64_len));
	assert_int_equal(uki_parse("t", "nl.efi", u8(c), x64_len, &u), -ENOEXEC);
	assert_string_equal(kx_last_error(), "t: nl.efi: not a UKI: no .linux "
			    "section");
	free(c);
	/* Not a PE file at all. */
	assert_int_equal(uki_parse("t", "z", u8(bzimage) + 1, 4096, &u),
			 -ENOEXEC);
}

static void test_unwrap(void **state)
{
	struct arena ar = { 0 };
	struct image img;

	assert_int_equal(image_unwrap(&ar, "x64.efi", u8(x64), x64_len,
				      IMAGE_UNPACK_MAX, -1, &img), 0);
	assert_string_equal(img.format, "uki");
	assert_ptr_equal(img.kernel, memmem(x64, x64_len, bzimage, 4096));
	assert_int_equal(img.kernel_size, bzimage_len);
	/* .ucode before .initrd. */
	assert_int_equal(img.nr_initrd, 2);
	assert_string_equal(img.initrd_name[0], ".ucode");
	assert_int_equal(img.initrd_size[0], 4096);
	assert_string_equal(img.initrd_name[1], ".initrd");
	assert_int_equal(img.initrd_size[1], 100000);
	assert_string_equal(img.cmdline, "console=ttyS0 root=/dev/vda2 ro");
	assert_null(img.dtb);
	arena_release(&ar);

	assert_int_equal(image_unwrap(&ar, "p.efi", u8(prof), prof_len,
				      IMAGE_UNPACK_MAX, 2, &img), 0);
	assert_string_equal(img.format, "uki@2");
	assert_int_equal(img.nr_initrd, 1);
	assert_int_equal(img.initrd_size[0], 5000);
	assert_string_equal(img.cmdline,
			    "quiet rd.systemd.unit=storage-target-mode.target");
	assert_int_equal(image_unwrap(&ar, "p.efi", u8(prof), prof_len,
				      IMAGE_UNPACK_MAX, 9, &img), -ENOENT);
	assert_string_equal(kx_last_error(),
			    "image: p.efi: no profile @9 (the UKI has 4)");
	arena_release(&ar);

	assert_int_equal(image_unwrap(&ar, "aa64.efi", u8(aa64), aa64_len,
				      IMAGE_UNPACK_MAX, -1, &img), 0);
	assert_int_equal(img.kernel_size, arm64_image_len);
	assert_memory_equal(img.kernel, arm64_image, 4096);
	assert_non_null(img.dtb);
	assert_int_equal(get_le32(img.dtb), 0xedfe0dd0); /* FDT magic, BE */
	assert_int_equal(img.nr_initrd, 0);
	arena_release(&ar);

	/* A plain EFI-stub kernel goes through untouched. */
	assert_int_equal(image_unwrap(&ar, "vmlinuz", u8(bzimage), bzimage_len,
				      IMAGE_UNPACK_MAX, -1, &img), 0);
	assert_string_equal(img.format, "");
	assert_ptr_equal(img.kernel, bzimage);
	assert_int_equal(img.nr_initrd, 0);
	assert_null(img.cmdline);
	arena_release(&ar);
}

/* The load flow on the x64 UKI: kernel = .linux, initrd = .ucode +
 * .initrd + the request's file, the UKI's command line unless given. */
static char tmp[] = "/tmp/kexshim-uki-XXXXXX";
static char extra[4200], root[4200], iomem[4200], kpath[4200];

static const struct plan_segment *seg(const struct load *l, const char *n)
{
	size_t i;

	for (i = 0; i < l->plan.n; i++)
		if (!strcmp(l->plan.seg[i].name, n))
			return &l->plan.seg[i];
	return NULL;
}

static void request(struct load_request *req)
{
	const char *top = getenv("KEXSHIM_TOP");

	assert_non_null(top);
	if (!extra[0]) {
		int fd;

		assert_non_null(mkdtemp(tmp));
		snprintf(extra, sizeof(extra), "%s/extra", tmp);
		snprintf(root, sizeof(root), "%s/root", tmp);
		mkdir(root, 0755);
		fd = open(extra, O_CREAT | O_WRONLY, 0644);
		assert_int_equal(write(fd, "EXTRA", 5), 5);
		close(fd);
	}
	snprintf(iomem, sizeof(iomem),
		 "%s/test/unit/fixtures/iomem/qemu-q35-ovmf-2g.iomem", top);
	snprintf(kpath, sizeof(kpath), "%s/x64.efi", dir);
	memset(req, 0, sizeof(*req));
	req->kernel = kpath;
	req->memmap = iomem;
	req->root = root;
	req->uki_profile = -1;
}

static void test_load(void **state)
{
	struct load_request req;
	struct load *l = calloc(1, sizeof(*l));
	const struct plan_segment *s;
	size_t i;

	request(&req);
	req.initrd[0] = extra;
	req.nr_initrd = 1;
	assert_int_equal(load_prepare(l, &req), 0);
	s = seg(l, "initrd");
	assert_non_null(s);
	assert_int_equal(s->bufsz, 4096 + 100000 + 5);
	for (i = 0; i < 4096; i++)
		assert_int_equal(((const uint8_t *)s->buf)[i], 'U');
	assert_int_equal(((const uint8_t *)s->buf)[4096], 'I');
	assert_memory_equal((const uint8_t *)s->buf + 104096, "EXTRA", 5);
	assert_string_equal(l->img.cmdline, "console=ttyS0 root=/dev/vda2 ro");
	assert_non_null(strstr(l->img.initrd_desc, "x64.efi:.ucode, "));
	assert_non_null(strstr(l->img.initrd_desc, "x64.efi:.initrd, "));
	assert_string_equal(l->img.kernel_format, "uki");
	s = seg(l, "kernel");
	assert_non_null(s);
	load_release(l);

	/* A given command line wins, even an empty one. */
	request(&req);
	req.cmdline = "";
	assert_int_equal(load_prepare(l, &req), 0);
	assert_string_equal(l->img.cmdline, "");
	assert_int_equal(seg(l, "initrd")->bufsz, 104096);
	load_release(l);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_parse_plain),
		cmocka_unit_test(test_parse_profiles),
		cmocka_unit_test(test_cmdline_copy),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_unwrap),
		cmocka_unit_test(test_load),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);

	if (extra[0]) {
		unlink(extra);
		rmdir(root);
		rmdir(tmp);
	}
	return rc;
}
