/*
 * test/unit/test_modules.c: host tests of boot/modules.c, the modules.dep /
 * modules.alias reader PID 1 uses to load drivers, on the REAL Debian tree
 * ($KEXSHIM_KERNEL_DIR/lib/modules/<$KEXSHIM_KERNEL_DIR/version>, made by
 * tools/fetch-kernel with depmod; missing is a failure): dependency order
 * for virtio_blk and virtio_pci as modules.dep has it, modalias matching,
 * devices wanting modules in a fake sysfs; then small synthetic trees for
 * the error paths.  Nothing is loaded: finit_module is not called.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/error.h"
#include "kmod/modules.h"

#define VIRTIO_PCI_ALIAS "pci:v00001AF4d00001042sv00001AF4sd00001100bc01sc00i00"
#define VIRTIO_BLK_ALIAS "virtio:d00000002v00001AF4"

static struct modules *real;
static char moddir[4096];
static char tmp[64];

static int open_real(void **state)
{
	const char *kdir = getenv("KEXSHIM_KERNEL_DIR");
	char path[4096], ver[128] = "";
	struct timespec t0, t1;
	FILE *f;

	if (!kdir || !*kdir) {
		fprintf(stderr, "KEXSHIM_KERNEL_DIR is not set (make check-unit "
			"sets it; tools/fetch-kernel prints it)\n");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/version", kdir);
	f = fopen(path, "r");
	if (!f || !fgets(ver, sizeof(ver), f)) {
		fprintf(stderr, "%s: cannot read\n", path);
		return -1;
	}
	fclose(f);
	ver[strcspn(ver, "\n")] = '\0';
	snprintf(moddir, sizeof(moddir), "%s/lib/modules/%s", kdir, ver);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (modules_open(moddir, &real)) {
		fprintf(stderr, "%s\n", kx_last_error());
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "modules_open(%s): %.1f ms\n", moddir,
		(t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	return 0;
}

static int close_real(void **state)
{
	modules_close(real);
	return 0;
}

static int index_of(const char **v, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return i;
	return -1;
}

/* Every module in order comes after everything modules.dep says it needs. */
static void assert_deps_first(const char **order, int n)
{
	const char *deps[64];
	int i, j, k;

	for (i = 0; i < n; i++) {
		k = modules_deps_of(real, order[i], deps, 64);
		assert_true(k >= 0);
		for (j = 0; j < k; j++) {
			int at = index_of(order, n, deps[j]);

			assert_true(at >= 0);
			assert_true(at < i);
		}
	}
}

static void test_virtio_blk_order(void **state)
{
	const char *order[64], *deps[64];
	int n, k, i, blk;

	n = modules_load_order(real, "virtio_blk", order, 64);
	assert_true(n >= 3);
	blk = index_of(order, n, "virtio_blk");
	assert_int_equal(blk, n - 1);
	/* What modules.dep lists for virtio_blk comes first... */
	k = modules_deps_of(real, "virtio_blk", deps, 64);
	assert_true(k >= 2);
	for (i = 0; i < k; i++)
		assert_true(index_of(order, n, deps[i]) >= 0 &&
			    index_of(order, n, deps[i]) < blk);
	/* ...which for this kernel means the virtio core. */
	assert_true(index_of(order, n, "virtio_ring") >= 0);
	assert_true(index_of(order, n, "virtio") >= 0);
	assert_true(index_of(order, n, "virtio_ring") < blk);
	assert_true(index_of(order, n, "virtio") < blk);
	assert_deps_first(order, n);
	/* No module twice. */
	for (i = 0; i < n; i++)
		assert_int_equal(index_of(order, n, order[i]), i);
}

static void test_virtio_pci_and_fs_order(void **state)
{
	static const char *const names[] = {
		"virtio_pci", "vfat", "nls_cp437", "nls_ascii", "virtio_net",
		"ahci", "nvme", "ext4",
	};
	const char *order[64];
	size_t i;
	int n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = modules_load_order(real, names[i], order, 64);
		assert_true(n >= 1);
		assert_string_equal(order[n - 1], names[i]);
		assert_deps_first(order, n);
	}
	/* '-' and '_' name the same module: nls_iso8859-1.ko. */
	assert_true(modules_known(real, "nls_iso8859-1"));
	assert_true(modules_known(real, "nls_iso8859_1"));
	n = modules_load_order(real, "nls_iso8859-1", order, 64);
	assert_int_equal(n, 1);
	assert_string_equal(order[0], "nls_iso8859_1");
	/* Too small an output array is an error, not a silent cut. */
	assert_int_equal(modules_load_order(real, "virtio_blk", order, 1), -E2BIG);
}

static void test_unknown_and_builtin(void **state)
{
	const char *order[4];
	char path[4200], line[512] = "", name[256];
	const char *base;
	FILE *f;
	size_t i;

	assert_false(modules_known(real, "no_such_module"));
	assert_int_equal(modules_load_order(real, "no_such_module", order, 4), -ENOENT);
	assert_non_null(strstr(kx_last_error(), "no_such_module: not in "));
	assert_int_equal(modules_deps_of(real, "no_such_module", order, 4), -ENOENT);
	assert_false(modules_builtin(real, "virtio_blk"));

	/* The first module modules.builtin lists is built in, not loadable. */
	snprintf(path, sizeof(path), "%s/modules.builtin", moddir);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	base = strrchr(line, '/') ? strrchr(line, '/') + 1 : line;
	for (i = 0; base[i] && base[i] != '.' && i + 1 < sizeof(name); i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[i] = '\0';
	assert_true(modules_builtin(real, name));
	assert_false(modules_known(real, name));
}

static void test_match(void **state)
{
	const char *m[16];
	struct timespec t0, t1;
	size_t n;
	int i;

	n = modules_match(real, VIRTIO_PCI_ALIAS, m, 16);
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "virtio_pci");
	n = modules_match(real, VIRTIO_BLK_ALIAS, m, 16);
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "virtio_blk");
	/* virtio-net is device 1. */
	n = modules_match(real, "virtio:d00000001v00001AF4", m, 16);
	assert_int_equal(n, 1);
	assert_string_equal(m[0], "virtio_net");
	assert_int_equal(modules_match(real, "virtio:d0000FFFFv00001AF4", m, 16), 0);
	assert_int_equal(modules_match(real, "", m, 16), 0);
	/* A device matching several aliases of one module is one match: an
	 * AHCI controller (class 01 06 01). */
	n = modules_match(real, "pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01",
			  m, 16);
	assert_true(n >= 1);
	assert_true(index_of(m, (int)n, "ahci") >= 0);

	/* Cheap enough for PID 1 polling under TCG: 100 lookups. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 100; i++)
		modules_match(real, VIRTIO_PCI_ALIAS, m, 16);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "100 matches: %.1f ms\n",
		(t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
}

static void put_text(const char *rel, const char *text)
{
	char path[256], cmd[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int make_tmp(void **state)
{
	strcpy(tmp, "/tmp/kexshim-test-modules-XXXXXX");
	return mkdtemp(tmp) ? 0 : -1;
}

static int remove_tmp(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd);
}

static void test_wanted(void **state)
{
	const char *w[16];
	size_t n;

	/* An unbound virtio PCI function and a virtio block device want
	 * their drivers; a bound device and one without modalias do not. */
	put_text("sys/bus/pci/devices/0000:00:02.0/modalias", VIRTIO_PCI_ALIAS "\n");
	put_text("sys/bus/virtio/devices/virtio0/modalias", VIRTIO_BLK_ALIAS "\n");
	put_text("sys/bus/virtio/devices/virtio1/modalias", VIRTIO_BLK_ALIAS "\n");
	put_text("sys/bus/pci/devices/0000:00:01.0/modalias",
		 "pci:v00008086d000029C0sv00001AF4sd00001100bc06sc00i00\n");
	put_text("sys/bus/pci/devices/0000:00:03.0/modalias",
		 "pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00\n");
	put_text("sys/bus/pci/devices/0000:00:03.0/driver", "bound\n");
	put_text("sys/bus/platform/devices/serial8250/uevent", "DRIVER=x\n");
	n = modules_wanted(real, tmp, w, 16);
	assert_int_equal(n, 2);
	assert_true(index_of(w, 2, "virtio_pci") >= 0);
	assert_true(index_of(w, 2, "virtio_blk") >= 0);
	assert_int_equal(modules_wanted(real, tmp, w, 1), 1);
	assert_int_equal(modules_wanted(real, "/nonexistent", w, 16), 0);
	assert_string_equal(modules_loaded(real), "");
}

/* ext4 asks for crc32c at mount time through the crypto API, which no
 * modprobe in the initramfs answers: modules.softdep says "pre:
 * crypto-crc32c", an alias of both providers (found in QEMU: "EXT4-fs:
 * Cannot load crc32c driver", every ext4 mount failing). */
static void test_softdeps(void **state)
{
	const char *v[8];
	size_t n = modules_softdeps(real, "ext4", true, v, 8);

	assert_true(n >= 2);
	assert_true(index_of(v, (int)n, "crc32c_generic") >= 0);
	assert_true(index_of(v, (int)n, "crc32c_intel") >= 0);
	assert_int_equal(modules_softdeps(real, "ext4", false, v, 8), 0);
	assert_int_equal(modules_softdeps(real, "virtio_blk", true, v, 8), 0);
	assert_int_equal(modules_softdeps(real, "no-such-module", true, v, 8), 0);
}

static void unlink_text(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	unlink(path);
}

static void test_synthetic_trees(void **state)
{
	struct modules *m;
	const char *order[8], *w[4];
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/lib/modules/x", tmp);
	/* A trimmed initramfs tree: aliases of absent modules are ignored,
	 * dependencies are resolved by path, compressed names work. */
	put_text("lib/modules/x/modules.dep",
		 "kernel/a/top-mod.ko.xz: kernel/b/mid.ko kernel/c/base.ko.zst\n"
		 "kernel/b/mid.ko: kernel/c/base.ko.zst\n"
		 "kernel/c/base.ko.zst:\n");
	put_text("lib/modules/x/modules.alias",
		 "# Aliases extracted from modules themselves.\n"
		 "alias foo:v*d1* top_mod\n"
		 "alias foo:v*d2* absent_mod\n"
		 "alias foo:v*d1[0-9]* base\n");
	assert_int_equal(modules_open(dir, &m), 0);
	assert_int_equal(modules_load_order(m, "top-mod", order, 8), 3);
	assert_string_equal(order[0], "base");
	assert_string_equal(order[1], "mid");
	assert_string_equal(order[2], "top_mod");
	assert_int_equal(modules_match(m, "foo:v1d1", order, 8), 1);
	assert_int_equal(modules_match(m, "foo:v1d12", order, 8), 2);
	assert_string_equal(order[0], "top_mod");
	assert_string_equal(order[1], "base");
	assert_int_equal(modules_match(m, "foo:v1d2", order, 8), 0);
	/* No modules.builtin: nothing is built in; no modules.softdep. */
	assert_false(modules_builtin(m, "base"));
	assert_int_equal(modules_softdeps(m, "top_mod", true, w, 4), 0);
	assert_int_equal(modules_wanted(m, "/nonexistent", w, 4), 0);
	modules_close(m);

	/* Soft dependencies by name and by alias, pre and post; a line for
	 * an unknown module and one without pre/post are ignored. */
	put_text("lib/modules/x/modules.softdep",
		 "# Soft dependency information extracted from modules themselves.\n"
		 "softdep top_mod pre: base foo:v1d1 post: mid\n"
		 "softdep gone pre: base\n"
		 "softdep mid platform:x\n");
	assert_int_equal(modules_open(dir, &m), 0);
	assert_int_equal(modules_softdeps(m, "top-mod", true, w, 4), 2);
	assert_string_equal(w[0], "base");
	assert_string_equal(w[1], "top_mod");
	assert_int_equal(modules_softdeps(m, "top_mod", false, w, 4), 1);
	assert_string_equal(w[0], "mid");
	assert_int_equal(modules_softdeps(m, "mid", true, w, 4), 0);
	modules_close(m);
	unlink_text("lib/modules/x/modules.softdep");

	/* A loop (depmod never writes one) is an error, not a hang. */
	put_text("lib/modules/x/modules.dep", "a.ko: b.ko\nb.ko: a.ko\n");
	assert_int_equal(modules_open(dir, &m), 0);
	assert_int_equal(modules_load_order(m, "a", order, 8), -ELOOP);
	modules_close(m);

	/* A dependency without its own line. */
	put_text("lib/modules/x/modules.dep", "a.ko: gone.ko\n");
	assert_int_equal(modules_open(dir, &m), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "a.ko needs gone.ko"));

	/* Missing files. */
	snprintf(dir, sizeof(dir), "%s/lib/modules/none", tmp);
	assert_int_equal(modules_open(dir, &m), -ENOENT);
	assert_non_null(strstr(kx_last_error(), "modules.dep"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virtio_blk_order),
		cmocka_unit_test(test_virtio_pci_and_fs_order),
		cmocka_unit_test(test_unknown_and_builtin),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_softdeps),
		cmocka_unit_test_setup_teardown(test_wanted, make_tmp, remove_tmp),
		cmocka_unit_test_setup_teardown(test_synthetic_trees, make_tmp,
						remove_tmp),
	};

	return cmocka_run_group_tests(tests, open_real, close_real);
}
