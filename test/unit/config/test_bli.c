/*
 * test/unit/config/test_bli.c: host tests of boot/config/bli.c, the Boot
 * Loader Interface, on a fake efivars directory under a temporary root
 * (the files as efivarfs shows them: 4 bytes of attributes, then the
 * value): the requests read, the one-shots deleted, a bad variable warned
 * about, LoaderEntries/LoaderEntrySelected written as systemd's bootctl
 * reads them, and not rewritten when unchanged (flash wear).
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

#include "config/bli.h"
#include "config/entries.h"
#include "lib/error.h"
#include "lib/warn.h"

static char root[256];

static void var_file(const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s%s/%s-%s", root, BLI_EFIVARS, name, BLI_VENDOR);
}

/* Write a variable as efivarfs shows it; value is UTF-8, stored UTF-16. */
static void put_var(const char *name, const char *value)
{
	uint8_t buf[600] = { 0x07, 0, 0, 0 };
	size_t n = bli_utf16(value, buf + 4, sizeof(buf) - 4);
	char path[512];
	FILE *f;

	assert_true(n > 0);
	var_file(name, path, sizeof(path));
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, 4 + n, f), 4 + n);
	fclose(f);
}

static bool var_exists(const char *name)
{
	char path[512];

	var_file(name, path, sizeof(path));
	return access(path, F_OK) == 0;
}

static int setup(void **state)
{
	char dir[512];

	snprintf(root, sizeof(root), "/tmp/kexshim-bli-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(dir, sizeof(dir), "mkdir -p %s%s", root, BLI_EFIVARS);
	return system(dir) ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd) ? -1 : 0;
}

static void test_utf16(void **state)
{
	uint8_t b[16];
	char back[16];

	/* "é😀": U+00E9, then U+1F600 as a surrogate pair, then the NUL. */
	assert_int_equal(bli_utf16("\xc3\xa9\xf0\x9f\x98\x80", b, sizeof(b)), 8);
	assert_memory_equal(b, "\xe9\x00\x3d\xd8\x00\xde\x00\x00", 8);
	assert_int_equal(bli_utf16("abc", b, 6), 0);       /* no room for NUL */
	assert_int_equal(bli_utf16("\xff", b, sizeof(b)), 0); /* not UTF-8 */
	/* And back through a variable. */
	put_var("KexshimTest", "\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(bli_get(root, "KexshimTest", back, sizeof(back)), 0);
	assert_string_equal(back, "\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(bli_get(root, "Missing", back, sizeof(back)), -ENOENT);
}

static void test_take(void **state)
{
	struct warnings w = { 0 };
	struct bli_ask ask;

	put_var("LoaderEntryOneShot", "debian-6.1.conf");
	put_var("LoaderEntryDefault", "fedora.conf");
	put_var("LoaderConfigTimeoutOneShot", "menu-force");
	put_var("LoaderConfigTimeout", "7");
	assert_int_equal(bli_take(root, &ask, &w), 0);
	assert_string_equal(ask.oneshot, "debian-6.1.conf");
	assert_string_equal(ask.dflt, "fedora.conf");
	assert_string_equal(ask.timeout_oneshot, "menu-force");
	assert_string_equal(ask.timeout, "7");
	assert_int_equal(w.n, 0);
	/* One-shots act once: gone; the others stay for the next boot. */
	assert_false(var_exists("LoaderEntryOneShot"));
	assert_false(var_exists("LoaderConfigTimeoutOneShot"));
	assert_true(var_exists("LoaderEntryDefault"));
	assert_true(var_exists("LoaderConfigTimeout"));
	assert_int_equal(bli_take(root, &ask, &w), 0);
	assert_string_equal(ask.oneshot, "");
	assert_string_equal(ask.dflt, "fedora.conf");
	memset(&w, 0, sizeof(w));
}

static void test_bad_variable(void **state)
{
	struct warnings w = { 0 };
	struct bli_ask ask;
	char path[512];
	FILE *f;

	/* Two bytes: not even the attributes.  Warned, no request. */
	var_file("LoaderEntryDefault", path, sizeof(path));
	f = fopen(path, "wb");
	assert_non_null(f);
	fwrite("\x07\x00", 1, 2, f);
	fclose(f);
	assert_int_equal(bli_take(root, &ask, &w), 0);
	assert_string_equal(ask.dflt, "");
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msg[0], "LoaderEntryDefault"));
	assert_non_null(strstr(w.msg[0], "no attributes"));
	memset(&w, 0, sizeof(w));
	/* A lone surrogate: not a string. */
	f = fopen(path, "wb");
	fwrite("\x07\x00\x00\x00\x00\xd8\x00\x00", 1, 8, f);
	fclose(f);
	assert_int_equal(bli_take(root, &ask, &w), 0);
	assert_string_equal(ask.dflt, "");
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msg[0], "not a UTF-16 string"));
	memset(&w, 0, sizeof(w));
	unlink(path);
	/* A one-shot that cannot be read still goes (fuzz_bli found an
	 * empty LoaderEntryOneShot left in place, warned on every boot). */
	var_file("LoaderEntryOneShot", path, sizeof(path));
	f = fopen(path, "wb");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(bli_take(root, &ask, &w), 0);
	assert_string_equal(ask.oneshot, "");
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.msg[0], "no attributes"));
	assert_false(var_exists("LoaderEntryOneShot"));
	memset(&w, 0, sizeof(w));
	/* No efivars at all (a BIOS boot): no request, no warning. */
	assert_int_equal(bli_take("/nonexistent", &ask, &w), -ENOENT);
	assert_int_equal(w.n, 0);
}

static void test_publish(void **state)
{
	struct boot_entry v[3] = {
		{ .source = ENTRY_BLS, .id = "debian-6.1", .uki_profile = -1 },
		{ .source = ENTRY_UKI, .id = "arch@1", .uki_profile = 1 },
		{ .source = ENTRY_GRUB, .id = "grub-Debian", .uki_profile = -1 },
	};
	struct entries es = { .l = { .v = v, .n = 3, .cap = 3 } };
	static const char want[] = "d\0e\0b\0i\0a\0n\0-\0" "6\0.\0" "1\0.\0c\0o\0n\0f\0\0\0"
				   "a\0r\0c\0h\0.\0e\0f\0i\0@\0" "1\0\0\0"
				   "g\0r\0u\0b\0-\0D\0e\0b\0i\0a\0n\0\0\0";
	char path[512], buf[512];
	struct stat st1, st2;
	size_t n;
	FILE *f;

	assert_int_equal(bli_publish(root, &es, &v[1]), 0);
	var_file("LoaderEntries", path, sizeof(path));
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	/* Non-volatile, boot service and runtime access. */
	assert_int_equal(n, 4 + sizeof(want) - 1);
	assert_memory_equal(buf, "\x07\x00\x00\x00", 4);
	assert_memory_equal(buf + 4, want, sizeof(want) - 1);
	assert_int_equal(bli_get(root, "LoaderEntrySelected", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "arch.efi@1");
	/* Again, the same: no write (the file's mtime stays). */
	assert_int_equal(stat(path, &st1), 0);
	usleep(20000);
	assert_int_equal(bli_publish(root, &es, &v[1]), 0);
	assert_int_equal(stat(path, &st2), 0);
	assert_int_equal(st1.st_mtim.tv_sec, st2.st_mtim.tv_sec);
	assert_int_equal(st1.st_mtim.tv_nsec, st2.st_mtim.tv_nsec);
	/* Another selection: LoaderEntrySelected changes, the list does not. */
	assert_int_equal(bli_publish(root, &es, &v[0]), 0);
	assert_int_equal(bli_get(root, "LoaderEntrySelected", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "debian-6.1.conf");
	/* And back to the shorter one: nothing of the longer is left. */
	assert_int_equal(bli_publish(root, &es, &v[1]), 0);
	var_file("LoaderEntrySelected", path, sizeof(path));
	assert_int_equal(stat(path, &st1), 0);
	assert_int_equal(st1.st_size, 4 + 2 * (strlen("arch.efi@1") + 1));
	/* A write that fails is an error naming the variable (a directory
	 * in its place fails even for root). */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(bli_publish(root, &es, &v[1]), -EISDIR);
	assert_non_null(strstr(kx_last_error(), "LoaderEntrySelected"));
	rmdir(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_take),
		cmocka_unit_test(test_bad_variable),
		cmocka_unit_test(test_publish),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
