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
#include "lib/warn.h"

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

	assert_int_equal(kcmdline_parse("quiet console=ttyS0 root=/dev/vda", &kc, NULL), 0);
	assert_string_equal(kc.esp, "");
	assert_string_equal(kc.entry, "");
	assert_int_equal(kc.emergency, KC_EMERGENCY_REBOOT);
	assert_int_equal(kc.emergency_delay, 10);
	assert_false(kc.verbose);
	assert_null(kcmdline_esp_partuuid(&kc));
	assert_int_equal(kcmdline_parse(NULL, &kc, NULL), 0);
}

static void test_all_params(void **state)
{
	struct kcmdline kc;

	assert_int_equal(kcmdline_parse(
		"BOOT_IMAGE=/vmlinuz kexshim.esp=PARTUUID=0C6E0C4A-1B6D-4A4B-9E2D-0123456789AB "
		"kexshim.entry=debian-6.1* kexshim.emergency=halt "
		"kexshim.emergency_delay=3 kexshim.verbose panic=-1", &kc, NULL), 0);
	assert_string_equal(kc.esp, "PARTUUID=0C6E0C4A-1B6D-4A4B-9E2D-0123456789AB");
	/* The value keeps everything after the first '='. */
	assert_string_equal(kcmdline_esp_partuuid(&kc),
			    "0C6E0C4A-1B6D-4A4B-9E2D-0123456789AB");
	assert_string_equal(kc.entry, "debian-6.1*");
	assert_int_equal(kc.emergency, KC_EMERGENCY_HALT);
	assert_int_equal(kc.emergency_delay, 3);
	assert_true(kc.verbose);

	assert_int_equal(kcmdline_parse("kexshim.esp=/dev/vda1 kexshim.verbose=0 "
					"kexshim.emergency-delay=0", &kc, NULL), 0);
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
					&kc, NULL), 0);
	assert_string_equal(kc.entry, "My Entry");
	assert_string_equal(kc.esp, "PARTUUID=0c6e0c4a-1b6d-4a4b-9e2d-0123456789ab");
	assert_int_equal(kcmdline_parse("kexshim.entry=\"a b c\"", &kc, NULL), 0);
	assert_string_equal(kc.entry, "a b c");
	/* A kexshim.* inside another parameter's quotes is not ours. */
	assert_int_equal(kcmdline_parse("x=\"kexshim.entry=no\"", &kc, NULL), 0);
	assert_string_equal(kc.entry, "");
}

static void test_duplicates_last_wins(void **state)
{
	struct kcmdline kc;

	assert_int_equal(kcmdline_parse("kexshim.entry=a kexshim.emergency=halt "
					"kexshim.entry=b kexshim.emergency=reboot "
					"kexshim.emergency_delay=5 kexshim.emergency_delay=7",
					&kc, NULL), 0);
	assert_string_equal(kc.entry, "b");
	assert_int_equal(kc.emergency, KC_EMERGENCY_REBOOT);
	assert_int_equal(kc.emergency_delay, 7);
}

static void test_warnings(void **state)
{
	struct warnings w = { 0 };
	struct kcmdline kc;

	/* Unknown keys: one warning each, the rest still parsed. */
	assert_int_equal(kcmdline_parse("kexshim.entri=x kexshim.entry=y "
					"kexshim.foo", &kc, &w), 2);
	assert_string_equal(kc.entry, "y");
	assert_int_equal(w.n, 2);
	assert_string_equal(w.msg[0],
			    "kcmdline: unknown parameter 'kexshim.entri' ignored");
	assert_string_equal(w.msg[1],
			    "kcmdline: unknown parameter 'kexshim.foo' ignored");
	memset(&w, 0, sizeof(w));

	/* Bad values: warned, default kept. */
	assert_int_equal(kcmdline_parse("kexshim.emergency=explode "
					"kexshim.emergency_delay=ten "
					"kexshim.emergency_delay=-1 "
					"kexshim.emergency_delay=999999 "
					"kexshim.verbose=maybe kexshim.entry "
					"kexshim.entry= kexshim.esp=sda1 "
					"kexshim.esp=PARTUUID=not-a-uuid", &kc, &w), 9);
	assert_int_equal(kc.emergency, KC_EMERGENCY_REBOOT);
	assert_int_equal(kc.emergency_delay, 10);
	assert_false(kc.verbose);
	assert_string_equal(kc.entry, "");
	assert_string_equal(kc.esp, "");
	/* Eight kept, the ninth counted. */
	assert_int_equal(w.n, WARN_MAX);
	assert_int_equal(w.dropped, 1);
	assert_int_equal(warn_count(&w), 9);
	assert_non_null(strstr(w.msg[0], "kexshim.emergency=explode"));
}

static void test_long_value(void **state)
{
	char line[600] = "kexshim.entry=";
	struct warnings w = { 0 };
	struct kcmdline kc;


	memset(line + strlen(line), 'x', 400);
	assert_int_equal(kcmdline_parse(line, &kc, &w), 1);
	assert_string_equal(kc.entry, "");
	assert_non_null(strstr(w.msg[0], "longer than 255"));
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

/* kernel/params.c parse_args(): a bare "--" ends the parameters, the rest
 * is init's argv.  A kexshim.* there is no shim parameter. */
static void test_init_args(void **state)
{
	struct kcmdline kc;
	char out[256], buf[64];
	struct kc_param prm;
	const char *p, *line = "console=ttyS0 kexshim.entry=a -- "
			       "kexshim.entry=b kexshim.verbose single";

	assert_int_equal(kcmdline_parse(line, &kc, NULL), 0);
	assert_string_equal(kc.entry, "a");
	assert_false(kc.verbose);
	assert_string_equal(kcmdline_init_args(line),
			    "-- kexshim.entry=b kexshim.verbose single");
	/* Quoted, as the kernel's next_arg() unquotes it, it still ends them. */
	assert_int_equal(kcmdline_parse("\"--\" kexshim.verbose", &kc, NULL), 0);
	assert_false(kc.verbose);
	/* Not a bare "--": parameters go on. */
	assert_int_equal(kcmdline_parse("--x kexshim.verbose --=1 "
					"kexshim.entry=c", &kc, NULL), 0);
	assert_true(kc.verbose);
	assert_string_equal(kc.entry, "c");
	assert_null(kcmdline_init_args("a b --x"));
	p = "a -- b";
	assert_true(kcmdline_next(&p, buf, &prm));
	assert_false(kcmdline_next(&p, buf, &prm));
	assert_string_equal(p, "-- b");
	/* --reuse-cmdline: the shim's own parameters go, init's arguments
	 * stay as written. */
	assert_int_equal(kcmdline_strip("BOOT_IMAGE=/v root=/dev/vda "
					"kexshim.entry=x -- kexshim.entry=y  s",
					out, sizeof(out)), 0);
	assert_string_equal(out, "root=/dev/vda -- kexshim.entry=y  s");
}

static void test_emergency_message(void **state)
{
	struct kcmdline kc;
	char buf[256];

	kcmdline_defaults(&kc);
	emergency_message(&kc, "esp: no ESP", buf, sizeof(buf));
	assert_string_equal(buf, "emergency: esp: no ESP; rebooting to firmware in 10 s");
	kcmdline_parse("kexshim.emergency=halt kexshim.emergency_delay=0", &kc, NULL);
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
		cmocka_unit_test(test_init_args),
		cmocka_unit_test(test_emergency_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
