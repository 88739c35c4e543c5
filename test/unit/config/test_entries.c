/*
 * test/unit/config/test_entries.c: host tests of boot/config/entries.c on
 * the fixture ESP
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
#include "disk/part.h"
#include "lib/error.h"
#include "load/load.h"

static char esp[4096];
static struct disk_set set;
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
	if (disk_set_from_dir(&set, esp, PART_ESP) ||
	    entries_scan(&set, &set.v[0], "x64", &es)) {
		fprintf(stderr, "%s\n", kx_last_error());
		return -1;
	}
	return 0;
}

static int unscan(void **state)
{
	entries_free(&es);
	disk_set_free(&set);
	return 0;
}

/* entries_pick() with the CLI argument and kexshim.entry= only. */
static int pick(const char *arg, const char *kc_entry)
{
	const struct entries_prefs pf = { .arg = arg, .kc_entry = kc_entry };

	return entries_pick(&es, &pf);
}

static int find(const char *id)
{
	size_t i;

	for (i = 0; i < es.l.n; i++)
		if (!strcmp(es.l.v[i].id, id))
			return (int)i;
	return -1;
}

static void test_list_order(void **state)
{
	size_t i;

	/* notes.txt and .hidden.conf are not entries. */
	assert_int_equal(es.l.n, N_MENU);
	for (i = 0; i < N_MENU; i++)
		assert_string_equal(es.l.v[i].id, menu[i]);
	assert_string_equal(es.conf.default_pattern, "*-6.1*");
}

static void test_entry_contents(void **state)
{
	const struct boot_entry *e = &es.l.v[find("debian-6.1.0-56")];
	static struct entry_paths paths;
	struct load_request req;
	char want[4200];

	assert_null(e->error);
	assert_int_equal(e->source, ENTRY_BLS);
	assert_ptr_equal(e->part, &set.v[0]);
	assert_string_equal(e->title, "Debian GNU/Linux 12 (6.1.0-56)");
	/* Paths are relative to the ESP root. */
	snprintf(want, sizeof(want), "%s/debian/6.1.0-56/vmlinuz", esp);
	assert_string_equal(e->kernel.path, "/debian/6.1.0-56/vmlinuz");
	/* options lines joined with one space, quotes kept. */
	assert_string_equal(e->options,
			    "root=/dev/vda2 ro console=ttyS0,115200 \"kexshim.test=a b\"");
	assert_int_equal(entries_request(&es, e, &paths, &req), 0);
	assert_string_equal(req.kernel, want);
	assert_int_equal(req.nr_initrd, 2);
	snprintf(want, sizeof(want), "%s/debian/6.1.0-56/microcode.img", esp);
	assert_string_equal(req.initrd[0], want);
	snprintf(want, sizeof(want), "%s/debian/6.1.0-56/initrd.img", esp);
	assert_string_equal(req.initrd[1], want);
	assert_string_equal(req.cmdline, e->options);
	assert_null(req.dtb);
	assert_null(req.memmap);
	assert_string_equal(req.root, "");

	/* "linux vmlinuz-custom" (no leading slash) is ESP-relative too. */
	e = &es.l.v[find("zz-custom")];
	assert_int_equal(entries_request(&es, e, &paths, &req), 0);
	snprintf(want, sizeof(want), "%s/vmlinuz-custom", esp);
	assert_string_equal(req.kernel, want);
	/* An entry without options boots with an empty command line. */
	assert_int_equal(entries_request(&es, &es.l.v[find("custom-old")],
					 &paths, &req), 0);
	assert_string_equal(req.cmdline, "");
	assert_int_equal(req.nr_initrd, 0);
	/* A file that is not there: one line naming it, nothing to load. */
	{
		struct boot_entry missing = es.l.v[find("custom-old")];

		missing.kernel.path = "/no/such/vmlinuz";
		assert_int_equal(entries_request(&es, &missing, &paths, &req),
				 -ENOENT);
		assert_non_null(strstr(kx_last_error(), "entries: "));
		assert_non_null(strstr(kx_last_error(),
				       "/no/such/vmlinuz: No such file or directory"));
		assert_null(req.kernel);
	}
}

static void test_broken_entries(void **state)
{
	const struct boot_entry *b = &es.l.v[find("broken")];
	const struct boot_entry *a = &es.l.v[find("aa64")];

	assert_non_null(b->error);
	/* One line naming the file and the reason. */
	assert_non_null(strstr(b->error, "/loader/entries/broken.conf: no 'linux' line"));
	assert_null(strchr(b->error, '\n'));
	assert_null(b->kernel.path);
	assert_non_null(a->error);
	assert_non_null(strstr(a->error, "aa64.conf: for architecture 'aa64', this is 'x64'"));

	/* Without an architecture filter, the arm64 entry is fine. */
	{
		struct entries any;
		size_t i;

		assert_int_equal(entries_scan(&set, &set.v[0], NULL, &any), 0);
		assert_int_equal(any.l.n, N_MENU);
		for (i = 0; i < any.l.n && strcmp(any.l.v[i].id, "aa64"); i++)
			;
		assert_true(i < N_MENU - 1);
		assert_null(any.l.v[i].error);
		assert_string_equal(any.l.v[N_MENU - 1].id, "broken");
		entries_free(&any);
	}
}

static void test_default_selection(void **state)
{
	unsigned w = con_warnings();

	/* loader.conf `default *-6.1*`: the first match in menu order. */
	assert_int_equal(pick(NULL, NULL), find("debian-6.1.0-56"));
	assert_int_equal(pick(NULL, ""), find("debian-6.1.0-56"));
	assert_int_equal(con_warnings(), w);
}

static void test_entry_override(void **state)
{
	unsigned w = con_warnings();

	/* kexshim.entry= beats loader.conf, by ID or glob. */
	assert_int_equal(pick(NULL, "zz-custom"), find("zz-custom"));
	assert_int_equal(pick(NULL, "debian-5*"), find("debian-5.10.0-30"));
	assert_int_equal(pick(NULL, "custom-old.conf"), find("custom-old"));
	assert_int_equal(con_warnings(), w);
	/* One that matches nothing: warned, loader.conf's default. */
	assert_int_equal(pick(NULL, "gone"), find("debian-6.1.0-56"));
	assert_int_equal(con_warnings(), w + 1);
	assert_non_null(strstr(con_last_warning(), "kexshim.entry 'gone' matches no entry"));
	/* The CLI argument beats both; one that matches nothing is an error. */
	assert_int_equal(pick("arch*", "zz-custom"), find("arch-6.2"));
	assert_int_equal(pick("gone", NULL), -ENOENT);
	assert_non_null(strstr(kx_last_error(), "no entry matches 'gone'"));
}

/* The Boot Loader Interface's requests rank as systemd-boot ranks them:
 * a one-shot (systemctl reboot --boot-loader-entry=) beats everything but
 * the CLI's argument; kexshim.entry= beats LoaderEntryDefault (bootctl
 * set-default), which beats loader.conf.  They name entries as bootctl
 * does: "ID.conf". */
static void test_bli_precedence(void **state)
{
	struct entries_prefs pf = { 0 };
	unsigned w = con_warnings();
	char id[64];

	pf.efi_default = "custom-old.conf";
	assert_int_equal(entries_pick(&es, &pf), find("custom-old"));
	pf.kc_entry = "zz-custom";
	assert_int_equal(entries_pick(&es, &pf), find("zz-custom"));
	pf.oneshot = "arch-6.2.conf";
	assert_int_equal(entries_pick(&es, &pf), find("arch-6.2"));
	pf.arg = "debian-5*";
	assert_int_equal(entries_pick(&es, &pf), find("debian-5.10.0-30"));
	assert_int_equal(con_warnings(), w);
	/* A stale one-shot (entry removed since): warned, the next choice. */
	pf.arg = NULL;
	pf.oneshot = "removed.conf";
	assert_int_equal(entries_pick(&es, &pf), find("zz-custom"));
	assert_int_equal(con_warnings(), w + 1);
	assert_non_null(strstr(con_last_warning(), "LoaderEntryOneShot 'removed.conf'"));
	/* The names LoaderEntries carries. */
	assert_int_equal(entry_bli_id(&es.l.v[find("arch-6.2")], id, sizeof(id)), 0);
	assert_string_equal(id, "arch-6.2.conf");
	assert_int_equal(entry_bli_id(&es.l.v[find("arch-6.2")], id, 8), -ENAMETOOLONG);
}

static void test_default_fallbacks(void **state)
{
	char *saved = es.conf.default_pattern;
	unsigned w = con_warnings();

	/* A default that matches nothing: warned, the first entry. */
	es.conf.default_pattern = "nothing-*";
	assert_int_equal(pick(NULL, NULL), 0);
	assert_int_equal(con_warnings(), w + 1);
	/* No default at all: the first entry, quietly. */
	es.conf.default_pattern = NULL;
	assert_int_equal(pick(NULL, NULL), 0);
	assert_int_equal(con_warnings(), w + 1);
	es.conf.default_pattern = saved;
}

static void test_fallback_order(void **state)
{
	size_t order[N_MENU], n, i;
	size_t first = (size_t)find("debian-6.1.0-56");

	n = entries_order(&es, first, order);
	assert_int_equal(n, N_MENU);
	/* The picked entry, then all others in menu order. */
	assert_int_equal(order[0], first);
	assert_string_equal(es.l.v[order[1]].id, "arch-6.2");
	assert_string_equal(es.l.v[order[2]].id, "debian-6.1.0-9");
	for (i = 3; i < N_MENU; i++)
		assert_int_equal(order[i], i);
}

/* A fake loader: records what it was asked to boot; only `good` works. */
struct attempts {
	const char *ids[16];
	size_t n;
	const char *good;
};

static int fake_try(const struct entries *all, const struct boot_entry *e,
		    void *ctx)
{
	struct attempts *a = ctx;

	assert_ptr_equal(all, &es);
	assert_null(e->error); /* broken entries never get here */
	assert_non_null(e->kernel.path);
	a->ids[a->n++] = e->id;
	if (a->good && !strcmp(e->id, a->good))
		return 0;
	return kx_fail(ENOEXEC, "bzimage: %s: not a bzImage", e->kernel.path);
}

static void test_fallback_sequence(void **state)
{
	struct attempts a = { .good = "zz-custom" };
	int first = pick(NULL, NULL);

	/* Default fails, then the rest in menu order until one works. */
	assert_int_equal(entries_try(&es, (size_t)first, fake_try, NULL, &a), 0);
	assert_int_equal(a.n, 5);
	assert_string_equal(a.ids[0], "debian-6.1.0-56");
	assert_string_equal(a.ids[1], "arch-6.2");
	assert_string_equal(a.ids[2], "debian-6.1.0-9");
	assert_string_equal(a.ids[3], "debian-5.10.0-30");
	assert_string_equal(a.ids[4], "zz-custom");

	/* kexshim.entry=broken: reported and skipped, never loaded. */
	memset(&a, 0, sizeof(a));
	a.good = "arch-6.2";
	first = pick(NULL, "broken");
	assert_int_equal(first, find("broken"));
	assert_int_equal(entries_try(&es, (size_t)first, fake_try, NULL, &a), 0);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.ids[0], "arch-6.2");

	/* Everything fails: every bootable entry tried once, then -ENOENT. */
	memset(&a, 0, sizeof(a));
	assert_int_equal(entries_try(&es, 0, fake_try, NULL, &a), -ENOENT);
	assert_int_equal(a.n, N_MENU - 2);
	assert_string_equal(kx_last_error(), "entries: all 8 entries failed");
}

static void test_missing_esp(void **state)
{
	struct disk_set none;

	assert_int_equal(disk_set_from_dir(&none, "/nonexistent-esp", PART_ESP),
			 -ENOENT);
	assert_string_equal(kx_last_error(),
			    "disk: /nonexistent-esp: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_order),
		cmocka_unit_test(test_entry_contents),
		cmocka_unit_test(test_broken_entries),
		cmocka_unit_test(test_default_selection),
		cmocka_unit_test(test_entry_override),
		cmocka_unit_test(test_bli_precedence),
		cmocka_unit_test(test_default_fallbacks),
		cmocka_unit_test(test_fallback_order),
		cmocka_unit_test(test_fallback_sequence),
		cmocka_unit_test(test_missing_esp),
	};

	return cmocka_run_group_tests(tests, scan, unscan);
}
