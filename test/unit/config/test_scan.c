/*
 * test/unit/config/test_scan.c: host tests of boot/config/scan.c through
 * entries_scan() on four file systems built in a temporary directory from
 * files nobody here wrote: an ESP with a Type #1 entry and the UKI that
 * test/unit/mkuki built from systemd's stub around Debian's kernel
 * ($KEXSHIM_UKI_DIR/x64.efi); a Debian root with the grub.cfg Debian 12's
 * grub-mkconfig wrote (test/unit/fixtures/grub/debian12.cfg); a /boot with
 * the extlinux.conf Debian 12's u-boot-update wrote; a root with only
 * Debian's /vmlinuz symlinks.  Checked: every source found, the menu
 * order (BLS + UKI, grub, extlinux, Debian), grub's default picked when
 * its entries come first, grub's search --fs-uuid resolved to the file
 * system with that UUID, FDTDIR left to the machine, and the UKI request.
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

#include "config/entries.h"
#include "disk/part.h"
#include "lib/error.h"
#include "load/load.h"

/* The UUID debian12.cfg's `search --fs-uuid` names. */
#define GRUB_ROOT_UUID "6f1c2d4e-8a2b-4c3d-9e5f-0a1b2c3d4e5f"

static char tmp[256];
static struct disk_set set;
static struct entries es;

static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd))
		fail_msg("failed: %s", cmd);
}

static const char *top(void)
{
	const char *t = getenv("KEXSHIM_TOP");

	return t && *t ? t : ".";
}

/* The four file systems; part i is tmp/pI. */
static int setup(void **state)
{
	const char *uki = getenv("KEXSHIM_UKI_DIR");
	static const enum part_role roles[] = {
		PART_ESP, PART_OTHER, PART_OTHER, PART_OTHER,
	};
	size_t i;

	if (!uki || !*uki) {
		fprintf(stderr, "test_scan: set KEXSHIM_UKI_DIR (make check-unit)\n");
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "/tmp/kexshim-scan-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	/* ESP: a Type #1 entry and a UKI. */
	sh("cd %s && mkdir -p p0/loader/entries p0/EFI/Linux p0/k && "
	   "printf 'title ESP entry\\nlinux /k/vmlinuz\\n' >p0/loader/entries/esp.conf && "
	   ": >p0/k/vmlinuz && cp %s/x64.efi p0/EFI/Linux/debian-uki.efi", tmp, uki);
	/* Debian root: grub.cfg and grubenv as grub-mkconfig left them. */
	sh("cd %s && mkdir -p p1/boot/grub && cp %s/test/unit/fixtures/grub/debian12.cfg "
	   "p1/boot/grub/grub.cfg && : >p1/boot/vmlinuz-6.1.0-57-amd64 && "
	   ": >p1/boot/initrd.img-6.1.0-57-amd64 && : >p1/boot/vmlinuz-6.1.0-56-amd64 && "
	   ": >p1/boot/initrd.img-6.1.0-56-amd64", tmp, top());
	/* An ARM board's /boot: extlinux.conf. */
	sh("cd %s && mkdir -p p2/boot/extlinux && cp %s/test/unit/fixtures/syslinux/"
	   "debian12-u-boot-menu.conf p2/boot/extlinux/extlinux.conf", tmp, top());
	/* A root with only the symlinks linux-base keeps. */
	sh("cd %s && mkdir -p p3/boot p3/etc && : >p3/boot/vmlinuz-6.1.0-57-amd64 && "
	   "ln -s boot/vmlinuz-6.1.0-57-amd64 p3/vmlinuz && "
	   "printf 'PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\\nID=debian\\n' "
	   ">p3/etc/os-release", tmp);
	memset(&set, 0, sizeof(set));
	set.v = calloc(4, sizeof(*set.v));
	if (!set.v)
		return -1;
	set.n = set.cap = 4;
	for (i = 0; i < 4; i++) {
		char dir[300];

		set.v[i].dirfd = -1;
		snprintf(dir, sizeof(dir), "%s/p%zu", tmp, i);
		if (part_open_dir(&set.v[i], dir, roles[i]))
			return -1;
	}
	snprintf(set.v[1].uuid, sizeof(set.v[1].uuid), GRUB_ROOT_UUID);
	snprintf(set.v[3].partuuid, sizeof(set.v[3].partuuid),
		 "0b9c4a2e-1111-4c3d-9e5f-0a1b2c3d4e5f");
	if (entries_scan(&set, &set.v[0], "x64", &es)) {
		fprintf(stderr, "%s\n", kx_last_error());
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	entries_free(&es);
	disk_set_free(&set);
	sh("rm -rf %s", tmp);
	return 0;
}

static int find(const char *id)
{
	size_t i;

	for (i = 0; i < es.l.n; i++)
		if (es.l.v[i].id && !strcmp(es.l.v[i].id, id))
			return (int)i;
	return -1;
}

static void test_every_source(void **state)
{
	size_t i, n[6] = { 0 };

	for (i = 0; i < es.l.n; i++) {
		n[es.l.v[i].source]++;
		/* Nothing in these files is unbootable. */
		if (es.l.v[i].error)
			fail_msg("%s: %s", es.l.v[i].id, es.l.v[i].error);
	}
	assert_int_equal(n[ENTRY_BLS], 1);
	assert_int_equal(n[ENTRY_UKI], 1);
	/* Debian 12's grub.cfg: the simple entry and the two kernels' normal
	 * and recovery entries of the advanced submenu. */
	assert_int_equal(n[ENTRY_GRUB], 5);
	assert_true(n[ENTRY_SYSLINUX] >= 2);
	assert_int_equal(n[ENTRY_DEBIAN], 1);
	/* Menu order: BLS and UKI first, then grub, extlinux, Debian. */
	for (i = 1; i < es.l.n; i++) {
		static const int rank[] = { [ENTRY_BLS] = 0, [ENTRY_UKI] = 0,
					    [ENTRY_GRUB] = 1, [ENTRY_SYSLINUX] = 2,
					    [ENTRY_DEBIAN] = 4 };

		assert_true(rank[es.l.v[i - 1].source] <= rank[es.l.v[i].source]);
	}
}

static void test_grub_entry(void **state)
{
	const struct boot_entry *e;
	struct entry_paths *paths = calloc(1, sizeof(*paths));
	struct load_request req;
	char want[600];
	int i = find("gnulinux-simple-" GRUB_ROOT_UUID);

	assert_true(i >= 0);
	e = &es.l.v[i];
	assert_string_equal(e->title, "Debian GNU/Linux");
	assert_true(e->config_default);
	/* search --fs-uuid: the files are on the file system with that UUID. */
	assert_int_equal(entries_request(&es, e, paths, &req), 0);
	snprintf(want, sizeof(want), "%s/p1/boot/vmlinuz-6.1.0-57-amd64", tmp);
	assert_string_equal(req.kernel, want);
	assert_int_equal(req.nr_initrd, 1);
	assert_non_null(strstr(req.cmdline, "root=UUID=" GRUB_ROOT_UUID " ro"));
	/* Without that file system: the entry fails naming the UUID. */
	set.v[1].uuid[0] = '\0';
	assert_int_equal(entries_request(&es, e, paths, &req), -ENOENT);
	assert_non_null(strstr(kx_last_error(), "no file system with UUID=" GRUB_ROOT_UUID));
	snprintf(set.v[1].uuid, sizeof(set.v[1].uuid), GRUB_ROOT_UUID);
	free(paths);
}

static void test_uki_request(void **state)
{
	struct entry_paths *paths = calloc(1, sizeof(*paths));
	struct load_request req;
	char want[600];
	int i = find("debian-uki");

	assert_true(i >= 0);
	assert_int_equal(entries_request(&es, &es.l.v[i], paths, &req), 0);
	snprintf(want, sizeof(want), "%s/p0/EFI/Linux/debian-uki.efi", tmp);
	assert_string_equal(req.kernel, want);
	assert_int_equal(req.nr_initrd, 0);
	assert_int_equal(req.uki_profile, es.l.v[i].uki_profile);
	free(paths);
}

static void test_extlinux_fdtdir(void **state)
{
	struct entry_paths *paths = calloc(1, sizeof(*paths));
	struct load_request req;
	const struct boot_entry *e;
	int i = find("l0");

	assert_true(i >= 0);
	e = &es.l.v[i];
	assert_true(e->config_default);
	/* u-boot-update's FDTDIR: the machine's own tree, not a directory. */
	assert_non_null(e->devicetree.path);
	sh("mkdir -p %s/p2/boot/dtbo && : >%s/p2/boot/dtbo/uart2.dtbo && "
	   ": >%s/p2/boot/vmlinuz-6.1.0-57-arm64 && : >%s/p2/boot/initrd.img-6.1.0-57-arm64",
	   tmp, tmp, tmp, tmp);
	assert_int_equal(entries_request(&es, e, paths, &req), 0);
	assert_null(req.dtb);
	free(paths);
}

static void test_debian_fallback(void **state)
{
	struct entry_paths *paths = calloc(1, sizeof(*paths));
	struct load_request req;
	const struct boot_entry *e;
	char want[600];
	size_t i;

	for (i = 0; i < es.l.n && es.l.v[i].source != ENTRY_DEBIAN; i++)
		;
	assert_true(i < es.l.n);
	e = &es.l.v[i];
	assert_non_null(strstr(e->options, "root=PARTUUID=0b9c4a2e-1111-4c3d-9e5f-0a1b2c3d4e5f"));
	/* /vmlinuz -> boot/vmlinuz-...: resolved inside that file system. */
	assert_int_equal(entries_request(&es, e, paths, &req), 0);
	snprintf(want, sizeof(want), "%s/p3/boot/vmlinuz-6.1.0-57-amd64", tmp);
	assert_string_equal(req.kernel, want);
	free(paths);
}

/* No loader.conf default: the first entry is the ESP's; with the ESP's
 * own entries gone, grub's default comes first and wins over the simple
 * "first entry" rule. */
static void test_default(void **state)
{
	const struct entries_prefs none = { 0 };
	struct entries only;
	struct disk_set rest = set;
	int i;

	i = entries_pick(&es, &none);
	assert_true(es.l.v[i].source == ENTRY_BLS || es.l.v[i].source == ENTRY_UKI);
	rest.v = set.v + 1;
	rest.n = 3;
	assert_int_equal(entries_scan(&rest, NULL, "x64", &only), 0);
	i = entries_pick(&only, &none);
	assert_int_equal(only.l.v[i].source, ENTRY_GRUB);
	assert_true(only.l.v[i].config_default);
	entries_free(&only);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_source),
		cmocka_unit_test(test_grub_entry),
		cmocka_unit_test(test_uki_request),
		cmocka_unit_test(test_extlinux_fdtdir),
		cmocka_unit_test(test_debian_fallback),
		cmocka_unit_test(test_default),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
