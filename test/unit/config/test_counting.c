/*
 * test/unit/config/test_counting.c: host tests of boot/config/counting.c,
 * BLS boot counting, on a temporary directory scanned as an ESP (a plain
 * directory: the remounts are no-ops): a counted Type #1 entry and a
 * counted UKI are renamed to one try less, "+0" and uncounted entries are
 * left alone, and a rename that cannot happen is an error naming the file.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/counting.h"
#include "config/entries.h"
#include "disk/part.h"
#include "lib/error.h"

static char tmp[64];

static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd))
		fail_msg("failed: %s", cmd);
}

static bool exists(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	return access(path, F_OK) == 0;
}

static const struct boot_entry *find(const struct entries *es, const char *id)
{
	size_t i;

	for (i = 0; i < es->l.n; i++)
		if (!strcmp(es->l.v[i].id, id))
			return &es->l.v[i];
	fail_msg("no entry %s", id);
	return NULL;
}

static void test_rename(void **state)
{
	const char *uki = getenv("KEXSHIM_UKI_DIR");
	struct disk_set set;
	struct entries es;

	assert_non_null(uki);
	snprintf(tmp, sizeof(tmp), "/tmp/kexshim-counting-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	sh("cd %s && mkdir -p loader/entries EFI/Linux && "
	   "for n in 'a+3-1' 'b+1' 'c+0-4' 'd'; do "
	   "printf 'title %%s\\nlinux /k\\n' $n >loader/entries/$n.conf; done && "
	   "cp %s/x64.efi 'EFI/Linux/u+2.efi'", tmp, uki);
	assert_int_equal(disk_set_from_dir(&set, tmp, PART_ESP), 0);
	assert_int_equal(entries_scan(&set, &set.v[0], "x64", &es), 0);

	assert_int_equal(counting_before_boot(find(&es, "a")), 1);
	assert_true(exists("loader/entries/a+2-2.conf"));
	assert_false(exists("loader/entries/a+3-1.conf"));
	assert_int_equal(counting_before_boot(find(&es, "b")), 1);
	assert_true(exists("loader/entries/b+0-1.conf"));
	/* A UKI counts the same way, on its .efi name. */
	assert_int_equal(counting_before_boot(find(&es, "u")), 1);
	assert_true(exists("EFI/Linux/u+1-1.efi"));
	/* No tries left (booted on request anyway) and uncounted: unchanged. */
	assert_int_equal(counting_before_boot(find(&es, "c")), 0);
	assert_true(exists("loader/entries/c+0-4.conf"));
	assert_int_equal(counting_before_boot(find(&es, "d")), 0);
	assert_true(exists("loader/entries/d.conf"));
	/* Gone since the scan: an error naming it, nothing else renamed. */
	assert_int_equal(counting_before_boot(find(&es, "a")), -ENOENT);
	assert_non_null(strstr(kx_last_error(), "a+3-1.conf -> a+2-2.conf"));

	entries_free(&es);
	disk_set_free(&set);
	sh("rm -rf %s", tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rename),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
