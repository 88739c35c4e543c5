/*
 * test/unit/test_kcmdline.c: host tests of boot/kcmdline.c, the kexshim.*
 * parameters PID 1 reads from the shim's /proc/cmdline (quoting as the
 * kernel splits it, duplicates, unknown keys, values with '='), the
 * --reuse-cmdline filter, and the emergency line built from them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/console.h"
#include "init/emergency.h"
#include "lib/kcmdline.h"

static void test_split_like_the_kernel(void **state)
{
	const char *p = "  a b=c \"d=e f\" g=\"h i\" \"j k\" l=\"m\"n=o p=\"\" "
			"q=a\"b c\"d\n";
	static const struct {
		const char *raw, *key, *value;
	} want[] = {
		{ "a", "a", NULL },
		{ "b=c", "b", "c" },
		{ "\"d=e f\"", "d", "e f" },
		{ "g=\"h i\"", "g", "h i" },
		{ "\"j k\"", "j k", NULL },
		/* Only a quote at the very end is dropped. */
		{ "l=\"m\"n=o", "l", "m\"n=o" },
		{ "p=\"\"", "p", "" },
		/* Quotes inside a value group but stay. */
		{ "q=a\"b c\"d", "q", "a\"b c\"d" },
	};
	char buf[256];
	struct kc_param prm;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_true(kcmdline_next(&p, buf, &prm));
		assert_int_equal(prm.raw_len, strlen(want[i].raw));
		assert_memory_equal(prm.raw, want[i].raw, prm.raw_len);
		assert_string_equal(prm.key, want[i].key);
		if (want[i].value)
			assert_string_equal(prm.value, want[i].value);
		else
			assert_null(prm.value);
	}
	assert_false(kcmdline_next(&p, buf, &prm));
	p = "";
	assert_false(kcmdline_next(&p, buf, &prm));
}

static void test_defaults(void **state)
{
	struct kcmdline kc;

	assert_int_equal(kcmdline_parse("quiet console=ttyS0 root=/dev/vda", &kc), 0);
	assert_string_equal(kc.esp, "");
	assert_string_equal(kc.entry, "");
	assert_int_equal(kc.emergency, KC_EMERGENCY_REBOOT);
	assert_int_equal(kc.emergency_delay, 10);
	assert_false(kc.verbose);
	assert_null(kcmdline_esp_partuuid(&kc));
	assert_int_equal(kcmdline_parse(NULL, &kc), 0);
}

static void test_all_params(void **state)
{
	struct kcmdline kc;

	assert_int_equal(kcmdline_parse(
		"BOOT_IMAGE=/vmlinuz kexshim.esp=PARTUUID=0C6E0C4A-1B6D-4A4B-9E2D-0123456789AB "
		"kexshim.entry=debian-6.1* kexshim.emergency=halt "
		"kexshim.emergency_delay=3 kexshim.verbose panic=-1", &kc), 0);
	assert_string_equal(kc.esp, "PARTUUID=0C6E0C4A-1B6D-4A4B-9E2D-0123456789AB");
	/* The value keeps everything after the first '='. */
	assert_string_equal(kcmdline_esp_partuuid(&kc),
			    "0C6E0C4A-1B6D-4A4B-9E2D-0123456789AB");
	assert_string_equal(kc.entry, "debian-6.1*");
	assert_int_equal(kc.emergency, KC_EMERGENCY_HALT);
	assert_int_equal(kc.emergency_delay, 3);
	assert_true(kc.verbose);

	assert_int_equal(kcmdline_parse("kexshim.esp=/dev/vda1 kexshim.verbose=0 "
					"kexshim.emergency-delay=0", &kc), 0);
	assert_string_equal(kc.esp, "/dev/vda1");
	assert_null(kcmdline_esp_partuuid(&kc));
	assert_false(kc.verbose);
	/* '-' and '_' are the same in parameter names, as for the kernel. */
	assert_int_equal(kc.emergency_delay, 0);
}

static void test_quotes(void **state)
{
	struct kcmdline kc;

	assert_int_equal(kcmdline_parse("\"kexshim.entry=My Entry\" "
					"kexshim.esp=\"PARTUUID=0c6e0c4a-1b6d-4a4b-9e2d-0123456789ab\"",
					&kc), 0);
	assert_string_equal(kc.entry, "My Entry");
	assert_string_equal(kc.esp, "PARTUUID=0c6e0c4a-1b6d-4a4b-9e2d-0123456789ab");
	assert_int_equal(kcmdline_parse("kexshim.entry=\"a b c\"", &kc), 0);
	assert_string_equal(kc.entry, "a b c");
	/* A kexshim.* inside another parameter's quotes is not ours. */
	assert_int_equal(kcmdline_parse("x=\"kexshim.entry=no\"", &kc), 0);
	assert_string_equal(kc.entry, "");
}

static void test_duplicates_last_wins(void **state)
{
	struct kcmdline kc;

	assert_int_equal(kcmdline_parse("kexshim.entry=a kexshim.emergency=halt "
					"kexshim.entry=b kexshim.emergency=reboot "
					"kexshim.emergency_delay=5 kexshim.emergency_delay=7",
					&kc), 0);
	assert_string_equal(kc.entry, "b");
	assert_int_equal(kc.emergency, KC_EMERGENCY_REBOOT);
	assert_int_equal(kc.emergency_delay, 7);
}

static void test_warnings(void **state)
{
	unsigned before = con_warnings();
	struct kcmdline kc;

	/* Unknown keys: one warning each, the rest still parsed. */
	assert_int_equal(kcmdline_parse("kexshim.entri=x kexshim.entry=y "
					"kexshim.foo", &kc), 2);
	assert_string_equal(kc.entry, "y");
	assert_int_equal(con_warnings(), before + 2);
	assert_string_equal(con_last_warning(),
			    "kcmdline: unknown parameter 'kexshim.foo' ignored");

	/* Bad values: warned, default kept. */
	assert_int_equal(kcmdline_parse("kexshim.emergency=explode "
					"kexshim.emergency_delay=ten "
					"kexshim.emergency_delay=-1 "
					"kexshim.emergency_delay=999999 "
					"kexshim.verbose=maybe kexshim.entry "
					"kexshim.entry= kexshim.esp=sda1 "
					"kexshim.esp=PARTUUID=not-a-uuid", &kc), 9);
	assert_int_equal(kc.emergency, KC_EMERGENCY_REBOOT);
	assert_int_equal(kc.emergency_delay, 10);
	assert_false(kc.verbose);
	assert_string_equal(kc.entry, "");
	assert_string_equal(kc.esp, "");
	assert_non_null(strstr(con_last_warning(), "not a PARTUUID"));
}

static void test_long_value(void **state)
{
	char line[600] = "kexshim.entry=";
	struct kcmdline kc;

	memset(line + strlen(line), 'x', 400);
	assert_int_equal(kcmdline_parse(line, &kc), 1);
	assert_string_equal(kc.entry, "");
	assert_non_null(strstr(con_last_warning(), "longer than 255"));
}

static void test_strip(void **state)
{
	char out[256];

	assert_int_equal(kcmdline_strip("BOOT_IMAGE=/vmlinuz root=/dev/vda2 "
					"kexshim.entry=x initrd=\\initrd.img "
					"\"kexshim.esp=PARTUUID=a\" console=ttyS0 "
					"foo=\"a b\" kexshim.verbose quiet\n",
					out, sizeof(out)), 0);
	assert_string_equal(out, "root=/dev/vda2 console=ttyS0 foo=\"a b\" quiet");
	assert_int_equal(kcmdline_strip("kexshim.verbose", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(kcmdline_strip("aaaa bbbb", out, 9), -ENAMETOOLONG);
	assert_int_equal(kcmdline_strip("aaaa bbbb", out, 10), 0);
	assert_string_equal(out, "aaaa bbbb");
	/* lib/ctype.c counts NBSP (0xa0) as space: "initrd=x" ends there and
	 * "foo" is a parameter of its own that must survive (fuzzer find). */
	assert_int_equal(kcmdline_strip("initrd=x\xa0" "foo quiet", out, sizeof(out)), 0);
	assert_string_equal(out, "foo quiet");
}

static void test_emergency_message(void **state)
{
	struct kcmdline kc;
	char buf[256];

	kcmdline_defaults(&kc);
	emergency_message(&kc, "esp: no ESP", buf, sizeof(buf));
	assert_string_equal(buf, "emergency: esp: no ESP; rebooting to firmware in 10 s");
	kcmdline_parse("kexshim.emergency=halt kexshim.emergency_delay=0", &kc);
	emergency_message(&kc, "", buf, sizeof(buf));
	assert_string_equal(buf, "emergency: nothing to boot; halting (power off) in 0 s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_like_the_kernel),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_params),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_duplicates_last_wins),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_long_value),
		cmocka_unit_test(test_strip),
		cmocka_unit_test(test_emergency_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
