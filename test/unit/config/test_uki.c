/*
 * test/unit/config/test_uki.c: host tests of boot/config/uki.c (Type #2
 * menu entries) and boot/config/osrel.c (os-release(5)), on the UKIs
 * unit.mk builds from systemd-boot-efi's stubs around the Debian kernels
 * ($KEXSHIM_UKI_DIR: Debian's and Ubuntu's os-release, the spec's
 * multi-profile example), garbled copies of them, and os-release text.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/entry.h"
#include "config/osrel.h"
#include "config/uki.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "lib/warn.h"

static char *x64, *prof, *aa64;
static size_t x64_len, prof_len, aa64_len;
static const char *uname_x64;

static char *slurp(const char *name, size_t *len)
{
	const char *d = getenv("KEXSHIM_UKI_DIR");
	char path[4096];
	char *buf = NULL;

	assert_non_null(d); /* make check-unit sets it; never skip */
	snprintf(path, sizeof(path), "%s/%s", d, name);
	assert_int_equal(read_file_whole("test", path, 0, &buf, len), 0);
	return buf;
}

static int setup(void **state)
{
	static char ver[128];
	size_t n;
	char *v;

	x64 = slurp("x64.efi", &x64_len);
	prof = slurp("x64-profiles.efi", &prof_len);
	aa64 = slurp("aa64.efi", &aa64_len);
	v = slurp("in/uname", &n);
	snprintf(ver, sizeof(ver), "%.*s", (int)strcspn(v, "\n"), v);
	free(v);
	uname_x64 = ver;
	return 0;
}

static int teardown(void **state)
{
	free(x64);
	free(prof);
	free(aa64);
	return 0;
}

static const uint8_t *u8(const char *p)
{
	return (const uint8_t *)p;
}

static void test_plain(void **state)
{
	struct entry_list l = { 0 };
	struct warnings w = { 0 };
	const struct boot_entry *e;

	assert_int_equal(uki_entries("/EFI/Linux/debian-6.1+2-1.efi", u8(x64),
				     x64_len, "x64", &l, &w), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(warn_count(&w), 0);
	e = &l.v[0];
	assert_int_equal(e->source, ENTRY_UKI);
	assert_string_equal(e->id, "debian-6.1");
	assert_int_equal(e->tries_left, 2);
	assert_int_equal(e->tries_done, 1);
	assert_string_equal(e->title, "Debian GNU/Linux 12 (bookworm)");
	assert_string_equal(e->version, "12");   /* VERSION_ID */
	assert_string_equal(e->sort_key, "debian"); /* ID */
	assert_string_equal(e->architecture, "x64");
	assert_string_equal(e->options, "console=ttyS0 root=/dev/vda2 ro");
	assert_string_equal(e->kernel.path, "/EFI/Linux/debian-6.1+2-1.efi");
	assert_string_equal(e->config, "/EFI/Linux/debian-6.1+2-1.efi");
	assert_int_equal(e->uki_profile, 0);
	assert_int_equal(e->nr_initrd, 0); /* inside the UKI, not files */
	assert_null(e->error);
	entry_list_free(&l);
}

static void test_profiles(void **state)
{
	static const struct {
		const char *id, *title, *options;
	} want[] = {
		{ "p", "Debian GNU/Linux 12 (bookworm) (Regular boot)", "quiet" },
		{ "p@1", "Debian GNU/Linux 12 (bookworm) (Reset Device to "
		  "Factory Defaults)", "quiet systemd.unit=factory-reset.target" },
		{ "p@2", "Debian GNU/Linux 12 (bookworm) (storagetm)",
		  "quiet rd.systemd.unit=storage-target-mode.target" },
		{ "p@3", "Debian GNU/Linux 12 (bookworm) (@3)", "quiet" },
	};
	struct entry_list l = { 0 };
	size_t i;

	assert_int_equal(uki_entries("p.efi", u8(prof), prof_len, NULL, &l,
				     NULL), 0);
	assert_int_equal(l.n, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(l.v[i].id, want[i].id);
		assert_string_equal(l.v[i].title, want[i].title);
		assert_string_equal(l.v[i].options, want[i].options);
		assert_int_equal(l.v[i].uki_profile, (int)i);
		assert_string_equal(l.v[i].kernel.path, "p.efi");
		assert_null(l.v[i].error);
	}
	entry_list_free(&l);
}

static void test_image_os(void **state)
{
	struct entry_list l = { 0 };
	size_t len;
	char *img = slurp("image.efi", &len);

	/* No PRETTY_NAME: NAME; sort-key IMAGE_ID before ID, as
	 * systemd-boot's "os_image_id ?: os_id". */
	assert_int_equal(uki_entries("/EFI/Linux/app_7.efi", u8(img), len, "x64",
				     &l, NULL), 0);
	assert_string_equal(l.v[0].title, "Fedora Linux");
	assert_string_equal(l.v[0].sort_key, "kexshim-appliance");
	assert_string_equal(l.v[0].version, "40");
	assert_null(l.v[0].error);
	entry_list_free(&l);
	free(img);
}

static void test_arch(void **state)
{
	struct entry_list l = { 0 };

	assert_int_equal(uki_entries("/EFI/Linux/ubuntu.efi", u8(aa64), aa64_len,
				     "x64", &l, NULL), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].title, "Ubuntu 24.04.1 LTS");
	assert_string_equal(l.v[0].version, "24.04");
	assert_string_equal(l.v[0].sort_key, "ubuntu");
	assert_string_equal(l.v[0].architecture, "aa64");
	assert_string_equal(l.v[0].error, "uki: /EFI/Linux/ubuntu.efi: for "
			    "architecture 'aa64', this is 'x64'");
	/* Any architecture when the caller does not care; an arm64 shim. */
	assert_int_equal(uki_entries("u.efi", u8(aa64), aa64_len, "AA64", &l,
				     NULL), 0);
	assert_null(l.v[1].error);
	entry_list_free(&l);
}

/* A copy of x64.efi with "from" replaced by "to" (same length) in the
 * first 4 KiB: section names live in the headers. */
static char *rename_section(const char *from, const char *to)
{
	char *c = malloc(x64_len), *p;

	assert_non_null(c);
	memcpy(c, x64, x64_len);
	/* NUL-padded to 8 bytes, not terminated when 8 long. */
	p = memmem(c, 4096, from, strlen(from) < 8 ? strlen(from) + 1 : 8);
	assert_non_null(p);
	memcpy(p, to, strlen(to));
	return c;
}

static void test_fallbacks(void **state)
{
	struct entry_list l = { 0 };
	char *c;

	/* No .osrel: the id is the title, .uname the version. */
	c = rename_section(".osrel", ".osrex");
	assert_int_equal(uki_entries("/EFI/Linux/k.EFI", u8(c), x64_len, NULL,
				     &l, NULL), 0);
	assert_string_equal(l.v[0].id, "k");
	assert_string_equal(l.v[0].title, "k");
	assert_string_equal(l.v[0].version, uname_x64);
	assert_null(l.v[0].sort_key);
	free(c);
	/* No .cmdline: no options (the menu or the shim adds none). */
	c = rename_section(".cmdline", ".cmdlinx");
	assert_int_equal(uki_entries("k2.efi", u8(c), x64_len, NULL, &l, NULL),
			 0);
	assert_null(l.v[1].options);
	free(c);
	/* Not named .efi: the whole name is the id. */
	assert_int_equal(uki_entries("/x/vmlinuz", u8(x64), x64_len, NULL, &l,
				     NULL), 0);
	assert_string_equal(l.v[2].id, "vmlinuz");
	entry_list_free(&l);
}

static void test_broken(void **state)
{
	struct entry_list l = { 0 };
	char *c;

	/* Truncated: one entry that says so. */
	assert_int_equal(uki_entries("/EFI/Linux/cut.efi", u8(x64), x64_len / 2,
				     "x64", &l, NULL), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].id, "cut");
	assert_non_null(l.v[0].error);
	assert_non_null(strstr(l.v[0].error, "uki: /EFI/Linux/cut.efi: "
			       "truncated: PE section .linux ends at"));
	/* Not a PE file. */
	assert_int_equal(uki_entries("t.efi", u8("hello"), 5, NULL, &l, NULL), 0);
	assert_string_equal(l.v[1].error, "uki: t.efi: no MZ header");
	/* A PE without .linux. */
	c = rename_section(".linux", ".linuy");
	assert_int_equal(uki_entries("n.efi", u8(c), x64_len, NULL, &l, NULL), 0);
	assert_string_equal(l.v[2].error, "uki: n.efi: not a UKI: no .linux "
			    "section");
	free(c);
	/* A PE machine kexshim has no BLS name for. */
	c = malloc(x64_len);
	memcpy(c, x64, x64_len);
	c[0x80 + 4] = 0x34;  /* the stub's PE header is at 0x80 */
	c[0x80 + 5] = 0x12;
	assert_int_equal(uki_entries("m.efi", u8(c), x64_len, "x64", &l, NULL),
			 0);
	assert_null(l.v[3].architecture);
	assert_string_equal(l.v[3].error, "uki: m.efi: for architecture 0x1234 "
			    "(PE machine), this is 'x64'");
	free(c);
	entry_list_free(&l);
}

/* osrel_parse on text: every value of keys[]. */
static const char *const keys[] = { "NAME", "ID", "PRETTY_NAME", "X" };

static int parse(const char *text, char **v, struct warnings *w)
{
	memset(w, 0, sizeof(*w));
	return osrel_parse("os", "f", text, strlen(text), keys, v, 4, w);
}

static void test_osrel(void **state)
{
	struct warnings w;
	char *v[4];

	assert_int_equal(parse("# comment\n\n  NAME=\"Debian \\\"GNU\\\" \\$x\\\\\"\r\n"
			       "ID=debian\nPRETTY_NAME='single \\n $quoted'\n"
			       "OTHER=ignored\nX=a\\ b\n", v, &w), 0);
	assert_string_equal(v[0], "Debian \"GNU\" $x\\");
	assert_string_equal(v[1], "debian");
	assert_string_equal(v[2], "single \\n $quoted");
	assert_string_equal(v[3], "a b");
	assert_int_equal(warn_count(&w), 0);
	osrel_free(v, 4);

	/* Malformed lines are warnings naming the line; the rest parses. */
	assert_int_equal(parse("NAME=\"open\nID=a b\nPRETTY_NAME=\"a\"\"b\"\n"
			       "garbage\n=x\nX=\"tab\there\"\nNAME=ok\n", v, &w),
			 0);
	assert_string_equal(v[0], "ok"); /* the last good one wins */
	assert_null(v[1]);
	assert_null(v[2]);
	assert_null(v[3]);
	assert_int_equal(warn_count(&w), 6);
	assert_string_equal(w.msg[0], "os: f:1: NAME: unterminated quote; ignored");
	assert_string_equal(w.msg[1], "os: f:2: ID: blank in an unquoted value; "
			    "ignored");
	assert_string_equal(w.msg[2], "os: f:3: PRETTY_NAME: text after the "
			    "closing quote; ignored");
	assert_string_equal(w.msg[3], "os: f:4: not KEY=value; line ignored");
	assert_string_equal(w.msg[5], "os: f:6: X: control character in the "
			    "value; ignored");
	osrel_free(v, 4);

	/* Invalid UTF-8 and NUL: the line is skipped. */
	assert_int_equal(osrel_parse("os", "f", "NAME=\xff\nID=x\0y\nX=1", 17,
				     keys, v, 4, &w), 0);
	assert_null(v[0]);
	assert_null(v[1]);
	assert_string_equal(v[3], "1");
	osrel_free(v, 4);
	/* Empty values count as absent. */
	assert_int_equal(parse("NAME=x\nNAME=\nID=\"\"\n", v, &w), 0);
	assert_null(v[0]);
	assert_null(v[1]);
	osrel_free(v, 4);
	/* Too large. */
	assert_int_equal(osrel_parse("os", "f", "", OSREL_MAX_FILE + 1, keys, v,
				     4, &w), -EFBIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_image_os),
		cmocka_unit_test(test_arch),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_osrel),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
