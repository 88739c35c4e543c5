/*
 * test/unit/net/test_pxe.c: host tests of the PXELINUX lookup
 * (boot/net/pxe.c: the names in order for a MAC, a UUID and an address,
 * as PXELINUX's documentation lists them for 88:99:AA:BB:CC:DD and
 * 192.168.2.91; the path prefix from option 210, the boot file's
 * directory, a URL boot file), the progress line (boot/net/progress.c)
 * and kexshim.net=/kexshim.ip= (boot/net/netconf.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/error.h"
#include "net/netconf.h"
#include "net/progress.h"
#include "net/pxe.h"

static void test_names_syslinux_doc(void **state)
{
	/* doc/pxelinux.txt's example, in its order. */
	static const char *const want[] = {
		"pxelinux.cfg/b8945908-d6a6-41a9-611d-74a6ab80b83d",
		"pxelinux.cfg/01-88-99-aa-bb-cc-dd",
		"pxelinux.cfg/C0A8025B", "pxelinux.cfg/C0A8025",
		"pxelinux.cfg/C0A802", "pxelinux.cfg/C0A80", "pxelinux.cfg/C0A8",
		"pxelinux.cfg/C0A", "pxelinux.cfg/C0", "pxelinux.cfg/C",
		"pxelinux.cfg/default",
	};
	static const uint8_t mac[6] = { 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd };
	char names[PXE_MAX_NAMES][PXE_NAME_MAX];
	struct in_addr ip;
	size_t n, i;

	inet_pton(AF_INET, "192.168.2.91", &ip);
	n = pxe_config_names(mac, "B8945908-D6A6-41A9-611D-74A6AB80B83D", ip,
			     names, PXE_MAX_NAMES);
	assert_int_equal(n, 11);
	for (i = 0; i < n; i++)
		assert_string_equal(names[i], want[i]);
}

static void test_names_partial(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	char names[PXE_MAX_NAMES][PXE_NAME_MAX];
	struct in_addr none = { 0 };

	assert_int_equal(pxe_config_names(mac, NULL, none, names, PXE_MAX_NAMES), 2);
	assert_string_equal(names[0], "pxelinux.cfg/01-52-54-00-12-34-56");
	assert_string_equal(names[1], "pxelinux.cfg/default");
	/* A UUID too long to be one is left out; max is honoured. */
	assert_int_equal(pxe_config_names(mac, "x123456789012345678901234567890"
					  "1234567890123456789012345678901234",
					  none, names, 1), 1);
}

static void test_prefix(void **state)
{
	char out[256];

	assert_int_equal(pxe_prefix_url("10.0.2.2", "pxelinux.0", NULL, out,
					sizeof(out)), 0);
	assert_string_equal(out, "tftp://10.0.2.2/");
	assert_int_equal(pxe_prefix_url("10.0.2.2", "/boot/x86/pxelinux.0", "",
					out, sizeof(out)), 0);
	assert_string_equal(out, "tftp://10.0.2.2/boot/x86/");
	assert_int_equal(pxe_prefix_url("fec0::2", "lab/pxelinux.0", NULL, out,
					sizeof(out)), 0);
	assert_string_equal(out, "tftp://[fec0::2]/lab/");
	/* Option 210 wins: a path, or a URL (lpxelinux's HTTP prefix). */
	assert_int_equal(pxe_prefix_url("10.0.2.2", "pxelinux.0", "/pxe", out,
					sizeof(out)), 0);
	assert_string_equal(out, "tftp://10.0.2.2/pxe/");
	assert_int_equal(pxe_prefix_url("", "x", "http://srv/boot", out,
					sizeof(out)), 0);
	assert_string_equal(out, "http://srv/boot/");
	/* The UEFI HTTP Boot case: the boot file is a URL. */
	assert_int_equal(pxe_prefix_url("", "http://srv/lab/x.efi", NULL, out,
					sizeof(out)), 0);
	assert_string_equal(out, "http://srv/lab/");
	assert_int_equal(pxe_prefix_url("", "pxelinux.0", NULL, out, sizeof(out)),
			 -EINVAL);
	assert_non_null(strstr(kx_last_error(), "no TFTP server"));
	assert_int_equal(pxe_prefix_url("10.0.2.2", "a/b/c/d/pxelinux.0", NULL,
					out, 16), -ENAMETOOLONG);
}

static void test_progress(void **state)
{
	struct progress p;
	char s[128];

	progress_bytes(s, sizeof(s), 512);
	assert_string_equal(s, "512 B");
	progress_bytes(s, sizeof(s), 1536);
	assert_string_equal(s, "1.50 KiB");
	progress_bytes(s, sizeof(s), 12900000);
	assert_string_equal(s, "12.3 MiB");
	progress_bytes(s, sizeof(s), 500u << 20);
	assert_string_equal(s, "500 MiB");
	progress_bytes(s, sizeof(s), 1100ull << 20);
	assert_string_equal(s, "1.07 GiB");

	progress_format(s, sizeof(s), 12900000, 34603008, 3000);
	assert_string_equal(s, "12.3 MiB of 33.0 MiB (37%), 4.10 MiB/s, ETA 6 s");
	progress_format(s, sizeof(s), 2u << 20, 0, 1000);
	assert_string_equal(s, "2.00 MiB, 2.00 MiB/s");
	progress_format(s, sizeof(s), 100, 200, 0);
	assert_string_equal(s, "100 B of 200 B (50%), -");
	progress_format(s, sizeof(s), 300, 200, 10);
	assert_string_equal(s, "300 B of 200 B (100%), 29.3 KiB/s");

	/* Due: never for small files, not in the first second, then once a
	 * second; unknown size once past 1 MiB. */
	progress_start(&p, 1000, 5000);
	assert_false(progress_due(&p, 1000, 9000));
	progress_start(&p, 10u << 20, 5000);
	assert_false(progress_due(&p, 1u << 20, 5999));
	assert_true(progress_due(&p, 1u << 20, 6000));
	assert_false(progress_due(&p, 2u << 20, 6500));
	assert_true(progress_due(&p, 3u << 20, 7000));
	assert_false(progress_due(&p, 3u << 20, 100)); /* the clock went back */
	progress_start(&p, 0, 0);
	assert_false(progress_due(&p, 1u << 20, 2000));
	assert_true(progress_due(&p, (1u << 20) + 1, 2000));
}

static void test_select(void **state)
{
	struct net_select s;

	assert_int_equal(netconf_select("", &s), 0);
	assert_true(s.any);
	assert_int_equal(netconf_select("52:54:00:AB:cd:0f", &s), 0);
	assert_true(s.by_mac);
	assert_memory_equal(s.mac, "\x52\x54\x00\xab\xcd\x0f", 6);
	assert_int_equal(netconf_select("52-54-00-ab-cd-0f", &s), 0);
	assert_true(s.by_mac);
	assert_int_equal(netconf_select("enp1s0", &s), 0);
	assert_false(s.by_mac || s.any);
	assert_string_equal(s.ifname, "enp1s0");
	/* Not a MAC (a bad digit), and too long for a name. */
	assert_int_equal(netconf_select("52:54:00:ab:cd:0g", &s), -EINVAL);
	assert_int_equal(netconf_select("a-very-long-interface", &s), -EINVAL);
	assert_int_equal(netconf_select("a/b", &s), -EINVAL);
}

static void test_static(void **state)
{
	struct net_static st;
	char t[64];

	assert_int_equal(netconf_static("10.0.2.15/24,10.0.2.2,10.0.2.53", &st), 0);
	assert_int_equal(st.addr.family, AF_INET);
	assert_int_equal(st.prefix, 24);
	assert_true(st.has_gw);
	assert_string_equal(netconf_addr_text(&st.gw, t, sizeof(t)), "10.0.2.2");
	assert_int_equal(st.nr_dns, 1);
	assert_string_equal(netconf_addr_text(&st.dns[0], t, sizeof(t)), "10.0.2.53");
	assert_int_equal(netconf_static("192.168.1.5/16", &st), 0);
	assert_false(st.has_gw);
	assert_int_equal(st.nr_dns, 0);
	assert_int_equal(netconf_static("10.1.1.1/8,,10.0.0.53,2001:db8::53", &st), 0);
	assert_false(st.has_gw);
	assert_int_equal(st.nr_dns, 2);
	assert_int_equal(st.dns[1].family, AF_INET6);
	assert_int_equal(netconf_static("2001:db8::15/64,2001:db8::1,2001:db8::53",
					&st), 0);
	assert_int_equal(st.addr.family, AF_INET6);
	assert_int_equal(st.prefix, 64);

	static const char *const bad[] = {
		"10.0.2.15", "10.0.2.15/33", "10.0.2.15/", "10.0.2.15/2x",
		"10.0.2/24", "10.0.2.15/24,2001:db8::1", "10.0.2.15/24,gw",
		"10.0.2.15/24,,nope", "10.0.2.15/24,,1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4",
		"2001:db8::1/129",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (netconf_static(bad[i], &st) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_non_null(strstr(kx_last_error(), "net: kexshim.ip="));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_syslinux_doc),
		cmocka_unit_test(test_names_partial),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_static),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
