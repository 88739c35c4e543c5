/*
 * test/unit/config/test_debian.c: host tests of boot/config/debian.c, the
 * /vmlinuz fallback: with and without initrd, os-release (Debian's own
 * file, test/unit/fixtures/osrel/debian-12) or none, a missing or odd
 * PARTUUID, no /vmlinuz.
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

#include "config/debian.h"
#include "config/entry.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "lib/warn.h"

#define UUID "3a6c1f0e-52d4-4b8e-9f31-7c2a5d8e9b04"

static void test_with_os_release(void **state)
{
	const char *top = getenv("KEXSHIM_TOP");
	struct debian_root root = { .has_vmlinuz = true, .has_initrd = true,
				    .part_uuid = UUID };
	struct entry_list l = { 0 };
	struct warnings w = { 0 };
	const struct boot_entry *e;
	char path[4096], *osrel = NULL;
	size_t len;

	assert_non_null(top);
	snprintf(path, sizeof(path), "%s/test/unit/fixtures/osrel/debian-12", top);
	assert_int_equal(read_file_whole("test", path, 0, &osrel, &len), 0);
	root.os_release = osrel;
	root.os_release_len = len;
	assert_int_equal(debian_entry("/dev/vda2", &root, &l, &w), 0);
	assert_int_equal(l.n, 1);
	e = &l.v[0];
	assert_int_equal(e->source, ENTRY_DEBIAN);
	assert_string_equal(e->id, "debian-" UUID);
	assert_string_equal(e->title, "Debian GNU/Linux 12 (bookworm) (/vmlinuz)");
	assert_string_equal(e->version, "12");
	assert_string_equal(e->sort_key, "debian");
	assert_string_equal(e->kernel.path, "/vmlinuz");
	assert_int_equal(e->nr_initrd, 1);
	assert_string_equal(e->initrd[0].path, "/initrd.img");
	assert_string_equal(e->options, "root=PARTUUID=" UUID " ro");
	assert_string_equal(e->config, "/dev/vda2");
	assert_null(e->error);
	assert_int_equal(warn_count(&w), 0);
	entry_list_free(&l);
	free(osrel);
}

static void test_plain(void **state)
{
	struct debian_root root = { .has_vmlinuz = true, .part_uuid = "0e9f1a2b-02" };
	struct entry_list l = { 0 };

	/* An MBR PARTUUID, no initrd, no os-release. */
	assert_int_equal(debian_entry("sda2", &root, &l, NULL), 0);
	assert_string_equal(l.v[0].title, "Debian (/vmlinuz)");
	assert_string_equal(l.v[0].options, "root=PARTUUID=0e9f1a2b-02 ro");
	assert_int_equal(l.v[0].nr_initrd, 0);
	assert_null(l.v[0].version);
	entry_list_free(&l);
}

static void test_broken(void **state)
{
	struct debian_root root = { .has_vmlinuz = true, .has_initrd = true };
	struct entry_list l = { 0 };
	struct warnings w = { 0 };
	static const char osrel[] = "PRETTY_NAME=\"unterminated\nID=debian\n";

	root.os_release = osrel;
	root.os_release_len = sizeof(osrel) - 1;
	assert_int_equal(debian_entry("sdb1", &root, &l, &w), 0);
	assert_string_equal(l.v[0].id, "debian");
	assert_string_equal(l.v[0].title, "Debian (/vmlinuz)");
	assert_string_equal(l.v[0].error, "debian: sdb1: no PARTUUID to write "
			    "root= with");
	assert_null(l.v[0].options);
	assert_string_equal(w.msg[0], "debian: sdb1:/etc/os-release:1: "
			    "PRETTY_NAME: unterminated quote; ignored");
	root.part_uuid = "x; rm -rf /";
	assert_int_equal(debian_entry("sdb1", &root, &l, &w), 0);
	assert_string_equal(l.v[1].error, "debian: sdb1: PARTUUID 'x; rm -rf /' "
			    "is not hex digits and dashes");
	assert_string_equal(l.v[1].id, "debian");
	root.has_vmlinuz = false;
	assert_int_equal(debian_entry("sdb1", &root, &l, &w), -ENOENT);
	assert_string_equal(kx_last_error(), "debian: sdb1: no /vmlinuz");
	assert_int_equal(l.n, 2);
	entry_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_with_os_release),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
