/*
 * test/unit/net/test_netboot.c: host tests of boot/net/netboot.c through
 * file:// URLs (the same fetch path as tftp/http, no network): a BLS entry
 * whose paths resolve against its URL, with sha256 pins that hold and one
 * that does not; a pxelinux-style menu (labels, default, paths from the
 * directory above pxelinux.cfg/); the PXELINUX lookup order behind a boot
 * program (UUID, 01-MAC, hex IP prefixes, default); a UKI fetched once
 * and booted from memory; broken configs.  Also kexshim's "sha256" lines
 * in bls.c and syslinux.c (config/entry.c's entry_pin_line) and the new
 * kexshim.* network parameters.
 */
#include <arpa/inet.h>
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

#include "config/bls.h"
#include "config/entries.h"
#include "config/syslinux.h"
#include "lib/error.h"
#include "lib/kcmdline.h"
#include "lib/warn.h"
#include "load/load.h"
#include "net/net.h"
#include "net/netboot.h"

static char dir[64];
static char kernel_sha[65], initrd_sha[65];

static void put(const char *name, const char *text)
{
	char path[256], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	/* Every directory on the way (boot/pxelinux.cfg/...). */
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	strcpy(dir, "/tmp/kexshim-netboot-XXXXXX");
	assert_non_null(mkdtemp(dir));
	put("vmlinuz", "a kernel");
	put("initrd.img", "an initrd");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	netboot_forget();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* The digest of dir/name (coreutils, an independent SHA-256). */
static void sha_of(const char *name, char out[65])
{
	char cmd[256];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "sha256sum %s/%s", dir, name);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, 65, p));
	pclose(p);
}

static void test_bls_entry(void **state)
{
	struct entry_list l = { 0 };
	struct entry_paths paths;
	struct load_request req;
	struct netboot_files f;
	char url[128], text[512], got[64];
	int n;

	sha_of("vmlinuz", kernel_sha);
	sha_of("initrd.img", initrd_sha);
	snprintf(text, sizeof(text),
		 "title Lab target\nlinux /%s/vmlinuz\nsha256 %s\n"
		 "initrd sub/initrd.img\nsha256 %s\noptions console=ttyS0 quiet\n",
		 dir + 1, kernel_sha, initrd_sha);
	put("lab/entry.conf", text);
	put("lab/sub/initrd.img", "an initrd");
	snprintf(url, sizeof(url), "file://%s/lab/entry.conf", dir);
	n = netboot_entries(url, NULL, NULL, "x64", &l, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].source, ENTRY_NET);
	assert_string_equal(l.v[0].id, "net:entry");
	assert_string_equal(l.v[0].title, "Lab target");
	assert_null(l.v[0].error);
	snprintf(text, sizeof(text), "file://%s/vmlinuz", dir);
	assert_string_equal(l.v[0].kernel.path, text);
	snprintf(text, sizeof(text), "file://%s/lab/sub/initrd.img", dir);
	assert_string_equal(l.v[0].initrd[0].path, text);
	assert_string_equal(l.v[0].kernel.sha256, kernel_sha);
	assert_string_equal(l.v[0].config, url);

	/* Its files, fetched into memory and checked. */
	assert_int_equal(netboot_request(&l.v[0], NULL, &paths, &req, &f), 0);
	assert_int_equal(f.n, 2);
	assert_int_equal(req.nr_initrd, 1);
	assert_string_equal(req.cmdline, "console=ttyS0 quiet");
	assert_int_equal(req.uki_profile, -1);
	assert_non_null(strstr(req.kernel, "/proc/self/fd/"));
	{
		int fd = open(req.initrd[0], O_RDONLY);
		ssize_t r = fd >= 0 ? read(fd, got, sizeof(got)) : -1;

		assert_int_equal(r, 9);
		assert_memory_equal(got, "an initrd", 9);
		close(fd);
	}
	netboot_release(&f);
	assert_int_equal(f.n, 0);

	/* A pin that does not hold fails the entry's fetch, not its
	 * listing. */
	free(l.v[0].initrd[0].sha256);
	l.v[0].initrd[0].sha256 = strdup(kernel_sha);
	assert_int_equal(netboot_request(&l.v[0], NULL, &paths, &req, &f), -EBADMSG);
	assert_non_null(strstr(kx_last_error(), "does not match the pinned"));
	assert_int_equal(f.n, 0);
	entry_list_free(&l);
}

static void test_pxelinux_menu(void **state)
{
	struct entry_list l = { 0 };
	struct warnings w = { 0 };
	char url[128], want[128];
	int n;

	put("boot/pxelinux.cfg/default",
	    "default two\nlabel one\n  kernel vmlinuz\n  append a=1\n"
	    "label two\n  menu label Second\n  kernel /vmlinuz\n"
	    "  initrd x/initrd.img\n  append b=2\nlabel local\n  localboot 0\n");
	snprintf(url, sizeof(url), "file://%s/boot/pxelinux.cfg/default", dir);
	n = netboot_entries(url, NULL, NULL, NULL, &l, &w);
	assert_int_equal(n, 3);
	assert_string_equal(l.v[0].id, "net:one");
	assert_string_equal(l.v[1].id, "net:two");
	assert_string_equal(l.v[1].title, "Second");
	assert_true(l.v[1].config_default);
	assert_false(l.v[0].config_default);
	/* Relative paths from the directory above pxelinux.cfg/. */
	snprintf(want, sizeof(want), "file://%s/boot/vmlinuz", dir);
	assert_string_equal(l.v[0].kernel.path, want);
	assert_string_equal(l.v[1].kernel.path, "file:///vmlinuz");
	snprintf(want, sizeof(want), "file://%s/boot/x/initrd.img", dir);
	assert_string_equal(l.v[1].initrd[0].path, want);
	assert_string_equal(l.v[1].options, "b=2");
	assert_non_null(l.v[2].error);
	assert_int_equal(l.v[2].source, ENTRY_NET);
	entry_list_free(&l);
}

static void test_pxelinux_lookup(void **state)
{
	struct net_info info = { 0 };
	struct entry_list l = { 0 };
	char url[128];
	int n;

	memcpy(info.mac, "\x52\x54\x00\x12\x34\x56", 6);
	strcpy(info.uuid, "00112233-4455-6677-8899-aabbccddeeff");
	info.has_v4 = true;
	inet_pton(AF_INET, "10.0.2.15", &info.v4);
	/* A boot program (binary) makes the lookup start next to it. */
	put("pxe/pxelinux.0", "");
	{
		char p[128];
		FILE *fp;

		snprintf(p, sizeof(p), "%s/pxe/pxelinux.0", dir);
		fp = fopen(p, "w");
		fwrite("\x7f\0\0\0binary", 10, 1, fp);
		fclose(fp);
	}
	/* Only the 3-digit IP prefix (10.0.2.15 = 0A00020F) and default:
	 * the prefix comes first. */
	put("pxe/pxelinux.cfg/0A0", "label by-ip\n  kernel vmlinuz\n");
	put("pxe/pxelinux.cfg/default", "label fallback\n  kernel vmlinuz\n");
	snprintf(url, sizeof(url), "file://%s/pxe/pxelinux.0", dir);
	n = netboot_entries(url, &info, NULL, NULL, &l, NULL);
	assert_int_equal(n, 1);
	assert_string_equal(l.v[0].id, "net:by-ip");
	entry_list_free(&l);
	/* The UUID wins over everything, then the MAC. */
	put("pxe/pxelinux.cfg/01-52-54-00-12-34-56", "label by-mac\n kernel v\n");
	n = netboot_entries(url, &info, NULL, NULL, &l, NULL);
	assert_int_equal(n, 1);
	assert_string_equal(l.v[0].id, "net:by-mac");
	entry_list_free(&l);
	put("pxe/pxelinux.cfg/00112233-4455-6677-8899-aabbccddeeff",
	    "label by-uuid\n kernel v\n");
	n = netboot_entries(url, &info, NULL, NULL, &l, NULL);
	assert_int_equal(n, 1);
	assert_string_equal(l.v[0].id, "net:by-uuid");
	entry_list_free(&l);
}

static void test_uki(void **state)
{
	const char *uki_dir = getenv("KEXSHIM_UKI_DIR");
	struct entry_list l = { 0 };
	struct entry_paths paths;
	struct load_request req;
	struct netboot_files f;
	char url[512];
	int n;

	if (!uki_dir)
		fail_msg("KEXSHIM_UKI_DIR unset (make check-unit sets it)");
	snprintf(url, sizeof(url), "file://%s/x64-profiles.efi", uki_dir);
	n = netboot_entries(url, NULL, NULL, "x64", &l, NULL);
	assert_int_equal(n, 4);
	assert_string_equal(l.v[0].id, "net:x64-profiles");
	assert_string_equal(l.v[1].id, "net:x64-profiles@1");
	assert_int_equal(l.v[1].uki_profile, 1);
	assert_string_equal(l.v[1].kernel.path, url);
	assert_int_equal(l.v[1].source, ENTRY_NET);
	/* Booting it takes the copy fetched while the entries were read. */
	assert_int_equal(netboot_request(&l.v[1], NULL, &paths, &req, &f), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(req.uki_profile, 1);
	assert_non_null(req.cmdline);
	netboot_release(&f);
	entry_list_free(&l);
	netboot_forget();
}

static void test_broken(void **state)
{
	struct entry_list l = { 0 };
	char url[128];

	snprintf(url, sizeof(url), "file://%s/nothing.conf", dir);
	assert_true(netboot_entries(url, NULL, NULL, NULL, &l, NULL) < 0);
	assert_non_null(strstr(kx_last_error(), "nothing.conf"));
	put("bad.conf", "title no kernel here\n");
	snprintf(url, sizeof(url), "file://%s/bad.conf", dir);
	assert_int_equal(netboot_entries(url, NULL, NULL, NULL, &l, NULL), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "no 'linux' line"));
	put("arch.conf", "linux /v\narchitecture aa64\n");
	snprintf(url, sizeof(url), "file://%s/arch.conf", dir);
	assert_int_equal(netboot_entries(url, NULL, NULL, "x64", &l, NULL), 1);
	assert_non_null(l.v[0].error);
	assert_non_null(strstr(l.v[0].error, "architecture 'aa64'"));
	entry_list_free(&l);
	assert_int_equal(netboot_entries("gopher://h/x", NULL, NULL, NULL, &l,
					 NULL), -EINVAL);
	/* Nothing from DHCP: no entries, no error. */
	{
		struct net_info info = { 0 };

		assert_int_equal(netboot_entries("", &info, NULL, NULL, &l, NULL), 0);
	}
}

static const char *const digest =
	"1111111111111111111111111111111111111111111111111111111111111111";

static void test_pins_bls(void **state)
{
	char buf[1024];
	struct boot_entry e;

	snprintf(buf, sizeof(buf), "linux /v\noptions x\nsha256 %s\n"
		 "initrd /a\ninitrd /b\nsha256 %.64s\ndevicetree /d\nsha256 %s\n",
		 digest, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		 digest);
	assert_int_equal(bls_parse_entry("x.conf", buf, strlen(buf), &e), 0);
	assert_string_equal(e.kernel.sha256, digest);
	assert_null(e.initrd[0].sha256);
	assert_non_null(e.initrd[1].sha256);
	assert_int_equal(e.initrd[1].sha256[0], 'a'); /* lower-cased */
	assert_string_equal(e.devicetree.sha256, digest);
	assert_string_equal(e.options, "x");
	entry_free(&e);

	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "sha256 %s\nlinux /v\n", "must follow" },
		{ "linux /v\nsha256 %s\nsha256 %s\n", "must follow" },
		{ "linux /v\nsha256 1234\n", "not 64 hex" },
		{ "linux /v\nsha256 %s,%s\n", "2 digests for 1 file" },
		{ "linux /v\nsha256 %.63sg\n", "not 64 hex" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), bad[i].text, digest, digest);
		assert_int_equal(bls_parse_entry("x.conf", buf, strlen(buf), &e),
				 -EINVAL);
		if (!strstr(kx_last_error(), bad[i].why) ||
		    !strstr(kx_last_error(), "bls: x.conf:"))
			fail_msg("case %zu: '%s' does not say '%s'", i,
				 kx_last_error(), bad[i].why);
	}
}

static void test_pins_syslinux(void **state)
{
	struct entry_list l = { 0 };
	struct syslinux_result r;
	struct warnings w = { 0 };
	char buf[1024];

	snprintf(buf, sizeof(buf),
		 "label a\n  kernel /v\n  append q\n  SHA256 %s\n"
		 "  initrd i1,i2\n  sha256 %s,%s\n"
		 "label b\n  kernel /v\n  initrd i1\n  sha256 %s,%s\n"
		 "label c\n  sha256 %s\n  kernel /v\n",
		 digest, digest, digest, digest, digest, digest);
	assert_int_equal(syslinux_parse("p.cfg", "", buf, strlen(buf), NULL, NULL,
					&l, &r, &w), 0);
	assert_int_equal(l.n, 3);
	assert_null(l.v[0].error);
	assert_string_equal(l.v[0].kernel.sha256, digest);
	assert_string_equal(l.v[0].initrd[1].sha256, digest);
	assert_non_null(l.v[1].error);
	assert_non_null(strstr(l.v[1].error, "2 digests for 1 file"));
	assert_non_null(l.v[2].error);
	assert_non_null(strstr(l.v[2].error, "must follow"));
	assert_int_equal(warn_count(&w), 0);
	syslinux_result_free(&r);
	entry_list_free(&l);
}

static void test_params(void **state)
{
	struct kcmdline kc;
	struct warnings w = { 0 };
	struct net_params p;

	assert_int_equal(kcmdline_parse("kexshim.netboot=only kexshim.url="
					"http://srv/lab/x.conf kexshim.net=52:54:00:12:34:56 "
					"kexshim.ip=10.0.0.5/8,10.0.0.1,10.0.0.53 "
					"kexshim.ca=/esp/ca.pem kexshim.net_timeout=7",
					&kc, &w), 0);
	assert_int_equal(kc.netboot, KC_NETBOOT_ONLY);
	assert_string_equal(kc.url, "http://srv/lab/x.conf");
	assert_string_equal(kc.ca, "/esp/ca.pem");
	assert_int_equal(kc.net_timeout, 7);
	assert_int_equal(net_params_from(&kc, &p), 0);
	assert_true(p.sel.by_mac);
	assert_true(p.has_static);
	assert_int_equal(p.st.prefix, 8);
	assert_int_equal(p.timeout_ms, 7000);

	assert_int_equal(kcmdline_parse("kexshim.netboot=sometimes kexshim.url= "
					"kexshim.net_timeout=0 kexshim.net_timeout=x",
					&kc, &w), 4);
	assert_int_equal(kc.netboot, KC_NETBOOT_AUTO);
	assert_int_equal(kc.net_timeout, 0);
	kcmdline_parse("kexshim.ip=dhcp kexshim.net=a/b", &kc, NULL);
	/* Bad values become warnings and defaults: PID 1 boots on. */
	assert_int_equal(net_params_from(&kc, &p), 1);
	assert_true(p.sel.any);
	assert_false(p.has_static);
	assert_int_equal(p.timeout_ms, NET_DEFAULT_TIMEOUT_S * 1000);
}

static void test_client_arch(void **state)
{
	char vc[64];

	/* The library is built for x86_64. */
	assert_int_equal(net_client_arch(vc, sizeof(vc)), 16);
	assert_string_equal(vc, "HTTPClient:Arch:00016:UNDI:003016");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bls_entry),
		cmocka_unit_test(test_pxelinux_menu),
		cmocka_unit_test(test_pxelinux_lookup),
		cmocka_unit_test(test_uki),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_pins_bls),
		cmocka_unit_test(test_pins_syslinux),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_client_arch),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
