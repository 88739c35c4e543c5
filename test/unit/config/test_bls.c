/*
 * test/unit/test_bls.c: host tests of boot/bls.c, the Boot Loader
 * Specification entry and loader.conf parser PID 1 runs on the mounted
 * ESP: valid entries, repeats, comments, CRLF, malformed lines (each must
 * name the file and line), the version order and the menu order.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/bls.h"
#include "config/entry.h"
#include "config/kv.h"
#include "config/loaderconf.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/warn.h"

static int parse(const char *name, const char *text, struct boot_entry *e)
{
	return bls_parse_entry(name, text, strlen(text), e);
}

static void test_valid_entry(void **state)
{
	struct boot_entry e;
	const char *t =
		"# comment line\n"
		"title   Debian GNU/Linux 12\n"
		"\n"
		"version\t6.1.0-56-amd64\n"
		"machine-id 1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d\n"
		"sort-key debian\n"
		"architecture x64\n"
		"linux /debian/vmlinuz\n"
		"initrd /debian/initrd.img\n"
		"devicetree /dtb/board.dtb\n"
		"options root=/dev/vda2 ro   \n"
		"unknown-key whatever it says\n"
		"   # indented comment\n";

	assert_int_equal(parse("/esp/loader/entries/debian-6.1.conf", t, &e), 0);
	assert_string_equal(e.id, "debian-6.1");
	assert_int_equal(e.tries_left, -1);
	assert_string_equal(e.title, "Debian GNU/Linux 12");
	assert_string_equal(e.version, "6.1.0-56-amd64");
	assert_string_equal(e.machine_id, "1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d");
	assert_string_equal(e.sort_key, "debian");
	assert_string_equal(e.architecture, "x64");
	assert_string_equal(e.kernel.path, "/debian/vmlinuz");
	assert_int_equal(e.nr_initrd, 1);
	assert_string_equal(e.initrd[0].path, "/debian/initrd.img");
	assert_string_equal(e.devicetree.path, "/dtb/board.dtb");
	/* Trailing blanks are not part of the value. */
	assert_string_equal(e.options, "root=/dev/vda2 ro");
	entry_free(&e);
}

static void test_repeats(void **state)
{
	struct boot_entry e;
	const char *t =
		"linux /old\n"
		"title first\n"
		"initrd /a\n"
		"options one\n"
		"initrd /b\n"
		"options two  three\n"
		"options \"quoted value\" x=\"a b\"\n"
		"title second\n"
		"linux /new\n";

	assert_int_equal(parse("r.conf", t, &e), 0);
	/* Single-value keys: the last wins. */
	assert_string_equal(e.title, "second");
	assert_string_equal(e.kernel.path, "/new");
	/* initrd repeats in order. */
	assert_int_equal(e.nr_initrd, 2);
	assert_string_equal(e.initrd[0].path, "/a");
	assert_string_equal(e.initrd[1].path, "/b");
	/* options lines join with one space; inner text kept exactly. */
	assert_string_equal(e.options,
			    "one two  three \"quoted value\" x=\"a b\"");
	assert_null(e.devicetree.path);
	entry_free(&e);
}

static void test_too_many_initrds(void **state)
{
	struct boot_entry e;
	char t[1024] = "linux /k\n";
	int i;

	for (i = 0; i <= ENTRY_MAX_INITRDS; i++)
		strcat(t, "initrd /i\n");
	assert_int_equal(parse("many.conf", t, &e), -E2BIG);
	assert_non_null(strstr(kx_last_error(), "many.conf:10"));
}

static void test_crlf(void **state)
{
	struct boot_entry e;
	const char *t = "title CRLF entry\r\nlinux /vmlinuz\r\n"
			"options a=1 b\r\n# c\r\n\r\n";

	assert_int_equal(parse("crlf.conf", t, &e), 0);
	assert_string_equal(e.title, "CRLF entry");
	assert_string_equal(e.kernel.path, "/vmlinuz");
	assert_string_equal(e.options, "a=1 b");
	entry_free(&e);
}

static void test_no_final_newline(void **state)
{
	struct boot_entry e;

	assert_int_equal(parse("n.conf", "linux /vmlinuz", &e), 0);
	assert_string_equal(e.kernel.path, "/vmlinuz");
	assert_null(e.title);
	assert_null(e.options);
	entry_free(&e);
}

/* BLS: "devicetree-overlay ... Multiple overlays are separated by spaces
 * and applied in the same order as they are listed." */
static void test_overlays(void **state)
{
	struct boot_entry e;
	char text[2048];
	size_t n;
	int i;

	assert_int_equal(parse("o.conf", "linux /k\ndevicetree /b.dtb\n"
			       "devicetree-overlay /o/a.dtbo  /o/b.dtbo\t/c.dtbo\n",
			       &e), 0);
	assert_int_equal(e.nr_overlay, 3);
	assert_string_equal(e.overlay[0].path, "/o/a.dtbo");
	assert_string_equal(e.overlay[1].path, "/o/b.dtbo");
	assert_string_equal(e.overlay[2].path, "/c.dtbo");
	entry_free(&e);
	assert_int_equal(parse("o.conf", "linux /k\n"
			       "devicetree-overlay /o/../../x.dtbo\n", &e), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "leaves its partition"));
	n = (size_t)snprintf(text, sizeof(text), "linux /k\ndevicetree-overlay");
	for (i = 0; i < ENTRY_MAX_OVERLAYS + 1; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, " /%d.dtbo", i);
	assert_int_equal(parse("o.conf", text, &e), -E2BIG);
	assert_non_null(strstr(kx_last_error(), "more than 8 device tree overlays"));
}

static void test_missing_linux(void **state)
{
	struct boot_entry e;

	assert_int_equal(parse("/esp/loader/entries/nolinux.conf",
			       "title x\noptions y\n", &e), -EINVAL);
	assert_string_equal(kx_last_error(),
			    "bls: /esp/loader/entries/nolinux.conf: no 'linux' line");
	assert_null(e.title); /* nothing leaks out on failure */
	assert_int_equal(parse("uki.conf", "title x\nuki /EFI/Linux/a.efi\n", &e),
			 -EINVAL);
	assert_non_null(strstr(kx_last_error(), "not supported"));
}

static void test_key_without_value(void **state)
{
	struct boot_entry e;

	assert_int_equal(parse("kv.conf", "title x\nlinux /k\noptions   \n", &e),
			 -EINVAL);
	assert_string_equal(kx_last_error(), "bls: kv.conf:3: 'options' has no value");
	assert_int_equal(parse("kv.conf", "linux\r\n", &e), -EINVAL);
	assert_string_equal(kx_last_error(), "bls: kv.conf:1: 'linux' has no value");
}

static void test_nul_byte(void **state)
{
	static const char t[] = "title a\nlinux /k\0x\n";
	struct boot_entry e;

	assert_int_equal(bls_parse_entry("nul.conf", t, sizeof(t) - 1, &e), -EINVAL);
	assert_string_equal(kx_last_error(), "bls: nul.conf:2: NUL byte");
}

static void test_utf8(void **state)
{
	struct boot_entry e;

	/* Valid multi-byte UTF-8 in a title is fine. */
	assert_int_equal(parse("u.conf", "title Debian \xc3\xa9t\xc3\xa9 \xf0\x9f\x90\xa7\n"
			       "linux /k\n", &e), 0);
	assert_string_equal(e.title, "Debian \xc3\xa9t\xc3\xa9 \xf0\x9f\x90\xa7");
	entry_free(&e);
	/* Latin-1, an overlong '/', a surrogate, a truncated sequence. */
	assert_int_equal(parse("u.conf", "linux /k\ntitle caf\xe9\n", &e), -EINVAL);
	assert_string_equal(kx_last_error(), "bls: u.conf:2: invalid UTF-8");
	assert_int_equal(parse("u.conf", "linux /\xc0\xafk\n", &e), -EINVAL);
	assert_int_equal(parse("u.conf", "title \xed\xa0\x80\nlinux /k\n", &e), -EINVAL);
	assert_int_equal(parse("u.conf", "linux /k\ntitle \xe2\x82", &e), -EINVAL);
}

static void test_long_lines(void **state)
{
	size_t long_opts = 20000, too_long = KV_MAX_LINE + 10;
	char *t = malloc(too_long + 64);
	struct boot_entry e;

	/* A long options line is kept whole, not truncated. */
	strcpy(t, "linux /k\noptions ");
	memset(t + strlen(t), 'x', long_opts);
	t[17 + long_opts] = '\0';
	strcat(t, "\n");
	assert_int_equal(parse("long.conf", t, &e), 0);
	assert_int_equal(strlen(e.options), long_opts);
	entry_free(&e);
	/* Past KV_MAX_LINE it is an error naming the line. */
	strcpy(t, "linux /k\ntitle ");
	memset(t + strlen(t), 'y', too_long);
	t[15 + too_long] = '\0';
	assert_int_equal(parse("long.conf", t, &e), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "long.conf:2: line longer than"));
	free(t);
}

static void test_path_escape(void **state)
{
	struct boot_entry e;

	assert_int_equal(parse("p.conf", "linux /../../etc/k\n", &e), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "p.conf:1: path '/../../etc/k' leaves"));
	assert_int_equal(parse("p.conf", "linux /k\ninitrd a/../b\n", &e), -EINVAL);
	/* ".." inside a name is fine. */
	assert_int_equal(parse("p.conf", "linux /k..1/..x\n", &e), 0);
	entry_free(&e);
}

static void test_entry_id(void **state)
{
	char *id;
	int l, d;

	assert_int_equal(bls_entry_id("/e/fedora-6.1.conf", ".conf", &id, &l, &d), 0);
	assert_string_equal(id, "fedora-6.1");
	assert_int_equal(l, -1);
	free(id);
	/* Boot counting: NAME+LEFT[-DONE].conf. */
	assert_int_equal(bls_entry_id("a+3.conf", ".conf", &id, &l, &d), 0);
	assert_string_equal(id, "a");
	assert_int_equal(l, 3);
	assert_int_equal(d, 0);
	free(id);
	assert_int_equal(bls_entry_id("a-b+0-2.conf", ".conf", &id, &l, &d), 0);
	assert_string_equal(id, "a-b");
	assert_int_equal(l, 0);
	assert_int_equal(d, 2);
	free(id);
	/* Not a counter: kept in the ID. */
	assert_int_equal(bls_entry_id("c++x.conf", ".conf", &id, &l, &d), 0);
	assert_string_equal(id, "c++x");
	assert_int_equal(l, -1);
	free(id);
	assert_int_equal(bls_entry_id("x.txt", ".conf", &id, &l, &d), -EINVAL);
	assert_int_equal(bls_entry_id(".conf", ".conf", &id, &l, &d), -EINVAL);
}

static void test_loader_conf(void **state)
{
	const char *t = "# loader.conf\ntimeout 3\r\ndefault  *-6.1*  \n"
			"console-mode max\neditor no\n";
	struct warnings w = { 0 };
	struct loader_conf c;

	assert_int_equal(loader_conf_parse("loader.conf", t, strlen(t), &c, &w), 0);
	assert_string_equal(c.default_pattern, "*-6.1*");
	/* The glob matches by ID, with or without ".conf". */
	assert_true(bls_default_matches(c.default_pattern, "debian-6.1.0-56"));
	assert_true(bls_default_matches(c.default_pattern, "fedora-6.12"));
	assert_false(bls_default_matches(c.default_pattern, "debian-5.10"));
	assert_false(bls_default_matches(c.default_pattern, "arch-6.2"));
	assert_true(bls_default_matches("debian.conf", "debian"));
	assert_true(bls_default_matches("debian", "debian"));
	assert_false(bls_default_matches("debian", "debian-6.1"));
	loader_conf_free(&c);

	assert_int_equal(w.n, 0);

	/* @saved and friends: a warning, no default. */
	t = "default @saved\n";
	assert_int_equal(loader_conf_parse("l.conf", t, strlen(t), &c, &w), 0);
	assert_null(c.default_pattern);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msg[0], "l.conf:1: default '@saved'"));

	t = "default a\ndefault b\n";
	assert_int_equal(loader_conf_parse("l.conf", t, strlen(t), &c, &w), 0);
	assert_string_equal(c.default_pattern, "b");
	loader_conf_free(&c);

	t = "timeout\n";
	assert_int_equal(loader_conf_parse("l.conf", t, strlen(t), &c, &w), -EINVAL);
	assert_string_equal(kx_last_error(),
			    "loader.conf: l.conf:1: 'timeout' has no value");
}

static void test_version_cmp(void **state)
{
	/* Examples from the UAPI Version Format Specification. */
	assert_int_equal(bls_version_cmp("11", "11"), 0);
	assert_int_equal(bls_version_cmp("systemd-123", "systemd-123"), 0);
	assert_true(bls_version_cmp("bar-123", "foo-123") < 0);
	assert_true(bls_version_cmp("123a", "123") > 0);
	assert_true(bls_version_cmp("123.a", "123") > 0);
	assert_true(bls_version_cmp("123.a", "123.b") < 0);
	assert_true(bls_version_cmp("123a", "123.a") > 0);
	assert_int_equal(bls_version_cmp("11\xce\xb1", "11\xce\xb2"), 0);
	assert_true(bls_version_cmp("A", "a") < 0);
	assert_true(bls_version_cmp("", "0") < 0);
	assert_true(bls_version_cmp("0.", "0") > 0);
	assert_true(bls_version_cmp("0.0", "0") > 0);
	/* The spec lists '' < '~', but also says '~' "always sorts lower";
	 * we follow the latter (see bls.c). */
	assert_true(bls_version_cmp("", "~") > 0);
	assert_true(bls_version_cmp("0", "~") > 0);
	assert_int_equal(bls_version_cmp("1_", "1"), 0);
	assert_int_equal(bls_version_cmp("_1", "1"), 0);
	assert_true(bls_version_cmp("1_", "1.2") < 0);
	assert_true(bls_version_cmp("1_2_3", "1.3.3") > 0);
	assert_int_equal(bls_version_cmp("1+", "1"), 0);
	assert_true(bls_version_cmp("1+2+3", "1.3.3") > 0);
	/* Kernel versions: numeric, not string, order. */
	assert_true(bls_version_cmp("6.1.0-56-amd64", "6.1.0-9-amd64") > 0);
	assert_true(bls_version_cmp("6.10", "6.9") > 0);
	assert_int_equal(bls_version_cmp("6.01", "6.1"), 0);
	/* Pre-releases sort lower, '^' higher. */
	assert_true(bls_version_cmp("249~rc1", "249") < 0);
	assert_true(bls_version_cmp("249^git", "249") > 0);
	assert_true(bls_version_cmp("249-1", "249") > 0);
	assert_true(bls_version_cmp("249-1", "249.1") < 0);
	assert_int_equal(bls_version_cmp(NULL, ""), 0);
}

static struct boot_entry mk(const char *id, const char *sk, const char *mid,
			   const char *ver, int tries_left)
{
	struct boot_entry e;

	memset(&e, 0, sizeof(e));
	e.id = (char *)id;
	e.sort_key = (char *)sk;
	e.machine_id = (char *)mid;
	e.version = (char *)ver;
	e.tries_left = tries_left;
	return e;
}

static int cmp(const void *a, const void *b)
{
	return bls_compare(a, b);
}

static void test_ordering(void **state)
{
	struct boot_entry v[] = {
		mk("zz-nokey", NULL, NULL, NULL, -1),
		mk("deb-old", "debian", "m1", "6.1.0-9", -1),
		mk("bad", "aaa", NULL, "99", 0),
		mk("deb-new", "debian", "m1", "6.1.0-56", -1),
		mk("arch", "arch", "m9", "1", -1),
		mk("deb-m0", "debian", "m0", "1", -1),
		mk("a-nokey-10", NULL, NULL, "100", -1),
		mk("a-nokey-9", NULL, NULL, NULL, -1),
		mk("counted", "debian", "m1", "6.1.0-56", 2),
		mk("nomid", "debian", NULL, "1", -1),
	};
	static const char *const want[] = {
		/* sort-key ascending */
		"arch",
		/* same sort-key: machine-id ascending, unset lowest */
		"nomid", "deb-m0",
		/* same machine-id: version descending, then ID descending */
		"deb-new", "counted", "deb-old",
		/* no sort-key: ID, descending version order */
		"zz-nokey", "a-nokey-10", "a-nokey-9",
		/* boot count exhausted: last, whatever its keys */
		"bad",
	};
	size_t i;

	qsort(v, sizeof(v) / sizeof(v[0]), sizeof(v[0]), cmp);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(v[i].id, want[i]);
}

static void test_arch_name(void **state)
{
	assert_string_equal(bls_arch_name("x86_64"), "x64");
	assert_string_equal(bls_arch_name("arm64"), "aa64");
	assert_string_equal(bls_arch_name("riscv64"), "riscv64");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_entry),
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_too_many_initrds),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_overlays),
		cmocka_unit_test(test_missing_linux),
		cmocka_unit_test(test_key_without_value),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_path_escape),
		cmocka_unit_test(test_entry_id),
		cmocka_unit_test(test_loader_conf),
		cmocka_unit_test(test_version_cmp),
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_arch_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
