/*
 * test/unit/test_entries.c: host tests of boot/entries.c on the fixture ESP
 * test/unit/fixtures/esp (loader/loader.conf with `default *-6.1*`, seven
 * entries incl. one without `linux` and one for arm64, plus files that are
 * not entries): menu order, default selection, the kexshim.entry override,
 * the fallback sequence, and that broken entries never reach the loader.
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

#include "lib/console.h"
#include "config/entries.h"
#include "lib/error.h"
#include "load/load.h"

static char esp[4096];
static struct entries es;

/* Menu order the fixture must produce (see each file). */
static const char *const menu[] = {
	"arch-6.2",          /* sort-key arch < debian */
	"debian-6.1.0-56",   /* sort-key debian: version 6.1.0-56 > ... */
	"debian-6.1.0-9",    /* ... 6.1.0-9 (numeric, not string, order) */
	"debian-5.10.0-30",
	"zz-custom",         /* no sort-key: IDs, descending */
	"custom-old",
	"aa64",              /* cannot boot: last, by ID */
	"broken",
};
#define N_MENU (sizeof(menu) / sizeof(menu[0]))

static int scan(void **state)
{
	const char *top = getenv("KEXSHIM_TOP");

	snprintf(esp, sizeof(esp), "%s/test/unit/fixtures/esp",
		 top && *top ? top : ".");
	if (entries_scan(esp, "x64", &es)) {
		fprintf(stderr, "%s\n", kx_last_error());
		return -1;
	}
	return 0;
}

static int unscan(void **state)
{
	entries_free(&es);
	return 0;
}

static int find(const char *id)
{
	size_t i;

	for (i = 0; i < es.n; i++)
		if (!strcmp(es.v[i].id, id))
			return (int)i;
	return -1;
}

static void test_list_order(void **state)
{
	size_t i;

	/* notes.txt and .hidden.conf are not entries. */
	assert_int_equal(es.n, N_MENU);
	for (i = 0; i < N_MENU; i++)
		assert_string_equal(es.v[i].id, menu[i]);
	assert_string_equal(es.default_pattern, "*-6.1*");
}

static void test_entry_contents(void **state)
{
	const struct entry *e = &es.v[find("debian-6.1.0-56")];
	struct load_request req;
	char want[4200];

	assert_null(e->error);
	assert_string_equal(e->bls.title, "Debian GNU/Linux 12 (6.1.0-56)");
	/* Paths are relative to the ESP root. */
	snprintf(want, sizeof(want), "%s/debian/6.1.0-56/vmlinuz", esp);
	assert_string_equal(e->kernel, want);
	/* options lines joined with one space, quotes kept. */
	assert_string_equal(e->bls.options,
			    "root=/dev/vda2 ro console=ttyS0,115200 \"kexshim.test=a b\"");
	entries_request(e, &req);
	assert_string_equal(req.kernel, want);
	assert_int_equal(req.nr_initrd, 2);
	snprintf(want, sizeof(want), "%s/debian/6.1.0-56/microcode.img", esp);
	assert_string_equal(req.initrd[0], want);
	snprintf(want, sizeof(want), "%s/debian/6.1.0-56/initrd.img", esp);
	assert_string_equal(req.initrd[1], want);
	assert_string_equal(req.cmdline, e->bls.options);
	assert_null(req.dtb);
	assert_null(req.memmap);
	assert_string_equal(req.root, "");

	/* "linux vmlinuz-custom" (no leading slash) is ESP-relative too. */
	e = &es.v[find("zz-custom")];
	snprintf(want, sizeof(want), "%s/vmlinuz-custom", esp);
	assert_string_equal(e->kernel, want);
	/* An entry without options boots with an empty command line. */
	entries_request(&es.v[find("custom-old")], &req);
	assert_string_equal(req.cmdline, "");
	assert_int_equal(req.nr_initrd, 0);
}

static void test_broken_entries(void **state)
{
	const struct entry *b = &es.v[find("broken")];
	const struct entry *a = &es.v[find("aa64")];

	assert_non_null(b->error);
	/* One line naming the file and the reason. */
	assert_non_null(strstr(b->error, "/loader/entries/broken.conf: no 'linux' line"));
	assert_null(strchr(b->error, '\n'));
	assert_null(b->kernel);
	assert_non_null(a->error);
	assert_non_null(strstr(a->error, "aa64.conf: for architecture 'aa64', this is 'x64'"));

	/* Without an architecture filter, the arm64 entry is fine. */
	{
		struct entries any;
		size_t i;

		assert_int_equal(entries_scan(esp, NULL, &any), 0);
		assert_int_equal(any.n, N_MENU);
		for (i = 0; i < any.n && strcmp(any.v[i].id, "aa64"); i++)
			;
		assert_true(i < N_MENU - 1);
		assert_null(any.v[i].error);
		assert_string_equal(any.v[N_MENU - 1].id, "broken");
		entries_free(&any);
	}
}

static void test_default_selection(void **state)
{
	unsigned w = con_warnings();

	/* loader.conf `default *-6.1*`: the first match in menu order. */
	assert_int_equal(entries_pick(&es, NULL, NULL), find("debian-6.1.0-56"));
	assert_int_equal(entries_pick(&es, NULL, ""), find("debian-6.1.0-56"));
	assert_int_equal(con_warnings(), w);
}

static void test_entry_override(void **state)
{
	unsigned w = con_warnings();

	/* kexshim.entry= beats loader.conf, by ID or glob. */
	assert_int_equal(entries_pick(&es, NULL, "zz-custom"), find("zz-custom"));
	assert_int_equal(entries_pick(&es, NULL, "debian-5*"), find("debian-5.10.0-30"));
	assert_int_equal(entries_pick(&es, NULL, "custom-old.conf"), find("custom-old"));
	assert_int_equal(con_warnings(), w);
	/* One that matches nothing: warned, loader.conf's default. */
	assert_int_equal(entries_pick(&es, NULL, "gone"), find("debian-6.1.0-56"));
	assert_int_equal(con_warnings(), w + 1);
	assert_non_null(strstr(con_last_warning(), "kexshim.entry=gone matches no entry"));
	/* The CLI argument beats both; one that matches nothing is an error. */
	assert_int_equal(entries_pick(&es, "arch*", "zz-custom"), find("arch-6.2"));
	assert_int_equal(entries_pick(&es, "gone", NULL), -ENOENT);
	assert_non_null(strstr(kx_last_error(), "no entry matches 'gone'"));
}

static void test_default_fallbacks(void **state)
{
	char *saved = es.default_pattern;
	unsigned w = con_warnings();

	/* A default that matches nothing: warned, the first entry. */
	es.default_pattern = "nothing-*";
	assert_int_equal(entries_pick(&es, NULL, NULL), 0);
	assert_int_equal(con_warnings(), w + 1);
	/* No default at all: the first entry, quietly. */
	es.default_pattern = NULL;
	assert_int_equal(entries_pick(&es, NULL, NULL), 0);
	assert_int_equal(con_warnings(), w + 1);
	es.default_pattern = saved;
}

static void test_fallback_order(void **state)
{
	size_t order[N_MENU], n, i;
	size_t first = (size_t)find("debian-6.1.0-56");

	n = entries_order(&es, first, order);
	assert_int_equal(n, N_MENU);
	/* The picked entry, then all others in menu order. */
	assert_int_equal(order[0], first);
	assert_string_equal(es.v[order[1]].id, "arch-6.2");
	assert_string_equal(es.v[order[2]].id, "debian-6.1.0-9");
	for (i = 3; i < N_MENU; i++)
		assert_int_equal(order[i], i);
}

/* A fake loader: records what it was asked to boot; only `good` works. */
struct attempts {
	const char *ids[16];
	size_t n;
	const char *good;
};

static int fake_try(const struct entry *e, void *ctx)
{
	struct attempts *a = ctx;

	assert_null(e->error); /* broken entries never get here */
	assert_non_null(e->kernel);
	a->ids[a->n++] = e->id;
	if (a->good && !strcmp(e->id, a->good))
		return 0;
	return kx_fail(ENOEXEC, "bzimage: %s: not a bzImage", e->kernel);
}

static void test_fallback_sequence(void **state)
{
	struct attempts a = { .good = "zz-custom" };
	int first = entries_pick(&es, NULL, NULL);

	/* Default fails, then the rest in menu order until one works. */
	assert_int_equal(entries_try(&es, (size_t)first, fake_try, &a), 0);
	assert_int_equal(a.n, 5);
	assert_string_equal(a.ids[0], "debian-6.1.0-56");
	assert_string_equal(a.ids[1], "arch-6.2");
	assert_string_equal(a.ids[2], "debian-6.1.0-9");
	assert_string_equal(a.ids[3], "debian-5.10.0-30");
	assert_string_equal(a.ids[4], "zz-custom");

	/* kexshim.entry=broken: reported and skipped, never loaded. */
	memset(&a, 0, sizeof(a));
	a.good = "arch-6.2";
	first = entries_pick(&es, NULL, "broken");
	assert_int_equal(first, find("broken"));
	assert_int_equal(entries_try(&es, (size_t)first, fake_try, &a), 0);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.ids[0], "arch-6.2");

	/* Everything fails: every bootable entry tried once, then -ENOENT. */
	memset(&a, 0, sizeof(a));
	assert_int_equal(entries_try(&es, 0, fake_try, &a), -ENOENT);
	assert_int_equal(a.n, N_MENU - 2);
	assert_non_null(strstr(kx_last_error(), "entries: all 8 entries in"));
}

static void test_missing_esp(void **state)
{
	struct entries none;

	assert_int_equal(entries_scan("/nonexistent-esp", NULL, &none), -ENOENT);
	assert_string_equal(kx_last_error(),
			    "entries: /nonexistent-esp/loader/entries: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_order),
		cmocka_unit_test(test_entry_contents),
		cmocka_unit_test(test_broken_entries),
		cmocka_unit_test(test_default_selection),
		cmocka_unit_test(test_entry_override),
		cmocka_unit_test(test_default_fallbacks),
		cmocka_unit_test(test_fallback_order),
		cmocka_unit_test(test_fallback_sequence),
		cmocka_unit_test(test_missing_esp),
	};

	return cmocka_run_group_tests(tests, scan, unscan);
}
