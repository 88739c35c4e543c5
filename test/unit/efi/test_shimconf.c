/*
 * test/unit/test_shimconf.c: host tests of efi/shimconf.c, the kexshim.conf
 * parser that kexshim.efi runs before loading the shim kernel.  Valid files
 * in every accepted spelling, then one test per malformed case, each
 * checking the error code, the line number and the message text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/guid.h"
#include "shimconf.h"

static struct shimconf conf;
static struct shimconf_error err;

static enum shimconf_err parse(const char *text)
{
	return shimconf_parse(text, strlen(text), &conf, &err);
}

static enum shimconf_err parse_n(const void *buf, size_t len)
{
	return shimconf_parse(buf, len, &conf, &err);
}

static const char *message(void)
{
	static char buf[256];

	shimconf_format_error(&err, buf, sizeof(buf));
	return buf;
}

/* ---- valid files ---- */

static void test_minimal(void **state)
{
	assert_int_equal(parse("kernel \\vmlinuz\n"), SHIMCONF_OK);
	assert_string_equal(conf.kernel, "\\vmlinuz");
	assert_int_equal(conf.n_initrd, 0);
	assert_string_equal(conf.options, "");
	assert_int_equal(conf.options_len, 0);
}

static void test_full(void **state)
{
	const char *text =
		"# kexshim.conf: the shim kernel\n"
		"\n"
		"kernel /EFI/kexshim/vmlinuz\n"
		"initrd /EFI/kexshim/microcode.cpio\n"
		"initrd /EFI/kexshim/initrd.img\n"
		"options console=ttyS0,115200 panic=-1\n"
		"options quiet  kexshim.entry=\"debian 12\"\n";

	assert_int_equal(parse(text), SHIMCONF_OK);
	assert_string_equal(conf.kernel, "\\EFI\\kexshim\\vmlinuz");
	assert_int_equal(conf.n_initrd, 2);
	assert_string_equal(conf.initrd[0], "\\EFI\\kexshim\\microcode.cpio");
	assert_string_equal(conf.initrd[1], "\\EFI\\kexshim\\initrd.img");
	/* repeated options join with one space; inner spacing is kept */
	assert_string_equal(conf.options,
		"console=ttyS0,115200 panic=-1 quiet  kexshim.entry=\"debian 12\"");
	assert_int_equal(conf.options_len, strlen(conf.options));
}

static void test_crlf_whitespace_no_final_newline(void **state)
{
	const char *text =
		"\t # comment with CRLF\r\n"
		"   \r\n"
		"  kernel\t\t\\EFI\\kexshim\\vmlinuz  \t\r\n"
		"initrd   EFI/kexshim/a.img\r\n"
		"options  a=1 \t\r\n"
		"options b=2";

	assert_int_equal(parse(text), SHIMCONF_OK);
	assert_string_equal(conf.kernel, "\\EFI\\kexshim\\vmlinuz");
	assert_string_equal(conf.initrd[0], "\\EFI\\kexshim\\a.img");
	assert_string_equal(conf.options, "a=1 b=2");
}

static void test_path_normalisation(void **state)
{
	assert_int_equal(parse("kernel //EFI\\/kexshim//sub\\\\vmlinuz\n"
			       "initrd a\n"
			       "initrd \\b\n"),
			 SHIMCONF_OK);
	assert_string_equal(conf.kernel, "\\EFI\\kexshim\\sub\\vmlinuz");
	assert_string_equal(conf.initrd[0], "\\a");
	assert_string_equal(conf.initrd[1], "\\b");
}

static void test_path_with_spaces_and_utf8(void **state)
{
	/* the value is the rest of the line, as for options */
	assert_int_equal(parse("kernel /EFI/my kernels/vmlinüz €\n"),
			 SHIMCONF_OK);
	assert_string_equal(conf.kernel, "\\EFI\\my kernels\\vmlinüz €");
}

static void test_bom_and_comment_only_lines(void **state)
{
	assert_int_equal(parse("\xef\xbb\xbfkernel /k\n#options x\n"),
			 SHIMCONF_OK);
	assert_string_equal(conf.kernel, "\\k");
	assert_string_equal(conf.options, "");
}

static void test_eight_initrds(void **state)
{
	char text[512];
	size_t n = 0;

	n += snprintf(text + n, sizeof(text) - n, "kernel /k\n");
	for (int i = 0; i < SHIMCONF_INITRD_MAX; i++)
		n += snprintf(text + n, sizeof(text) - n, "initrd /i%d\n", i);
	assert_int_equal(parse(text), SHIMCONF_OK);
	assert_int_equal(conf.n_initrd, SHIMCONF_INITRD_MAX);
	assert_string_equal(conf.initrd[7], "\\i7");
}

static void test_longest_path_and_options(void **state)
{
	static char text[8192];
	char path[SHIMCONF_PATH_MAX];
	size_t n;

	/* '\' + 254 bytes = 255 bytes: the longest that fits with the NUL */
	memset(path, 'p', 254);
	path[254] = '\0';
	n = (size_t)snprintf(text, sizeof(text), "kernel /%s\noptions ", path);
	memset(text + n, 'o', SHIMCONF_OPTIONS_MAX - 1);
	text[n + SHIMCONF_OPTIONS_MAX - 1] = '\0';
	assert_int_equal(parse(text), SHIMCONF_OK);
	assert_int_equal(strlen(conf.kernel), SHIMCONF_PATH_MAX - 1);
	assert_int_equal(conf.options_len, SHIMCONF_OPTIONS_MAX - 1);
}

/* ---- malformed files ---- */

static void test_empty_file(void **state)
{
	assert_int_equal(parse_n("", 0), SHIMCONF_ENOKERNEL);
	assert_int_equal(err.line, 0);
	assert_string_equal(message(), "no 'kernel' line");
}

static void test_missing_kernel(void **state)
{
	assert_int_equal(parse("# only an initrd\ninitrd /i\noptions x\n"),
			 SHIMCONF_ENOKERNEL);
	assert_int_equal(err.line, 0);
	assert_string_equal(message(), "no 'kernel' line");
}

static void test_unknown_key(void **state)
{
	assert_int_equal(parse("# typo\n\nkernal /vmlinuz\n"),
			 SHIMCONF_EUNKNOWNKEY);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.detail, "kernal");
	assert_string_equal(message(), "line 3: unknown key 'kernal'");
}

static void test_unknown_key_case_sensitive(void **state)
{
	assert_int_equal(parse("Kernel /vmlinuz\n"), SHIMCONF_EUNKNOWNKEY);
	assert_string_equal(message(), "line 1: unknown key 'Kernel'");
}

static void test_unknown_key_long_is_truncated(void **state)
{
	char text[256];

	memset(text, 'x', 200);
	strcpy(text + 200, " value\n");
	assert_int_equal(parse(text), SHIMCONF_EUNKNOWNKEY);
	assert_int_equal(strlen(err.detail), sizeof(err.detail) - 1);
}

static void test_key_without_value(void **state)
{
	assert_int_equal(parse("kernel /k\ninitrd\n"), SHIMCONF_ENOVALUE);
	assert_int_equal(err.line, 2);
	assert_string_equal(message(), "line 2: missing value for key 'initrd'");

	assert_int_equal(parse("kernel \t \r\n"), SHIMCONF_ENOVALUE);
	assert_string_equal(message(), "line 1: missing value for key 'kernel'");

	assert_int_equal(parse("kernel /k\noptions\n"), SHIMCONF_ENOVALUE);
	assert_int_equal(err.line, 2);
}

static void test_duplicate_kernel(void **state)
{
	assert_int_equal(parse("kernel /a\nkernel /b\n"), SHIMCONF_EDUPKERNEL);
	assert_int_equal(err.line, 2);
	assert_string_equal(message(), "line 2: duplicate key 'kernel'");
}

static void test_too_many_initrds(void **state)
{
	char text[512];
	size_t n = 0;

	n += snprintf(text + n, sizeof(text) - n, "kernel /k\n");
	for (int i = 0; i <= SHIMCONF_INITRD_MAX; i++)
		n += snprintf(text + n, sizeof(text) - n, "initrd /i%d\n", i);
	assert_int_equal(parse(text), SHIMCONF_EINITRDS);
	assert_int_equal(err.line, 2 + SHIMCONF_INITRD_MAX);
	assert_string_equal(message(), "line 10: more than 8 initrd lines");
}

static void test_overlong_line(void **state)
{
	static char text[SHIMCONF_LINE_MAX + 64];
	size_t n = (size_t)snprintf(text, sizeof(text), "kernel /k\n# ");

	/* a comment is still a line: exactly the limit passes ... */
	memset(text + n, 'c', SHIMCONF_LINE_MAX - 2);
	strcpy(text + n + SHIMCONF_LINE_MAX - 2, "\r\n");
	assert_int_equal(parse(text), SHIMCONF_OK);

	/* ... one byte more does not, CR or not */
	memset(text + n, 'c', SHIMCONF_LINE_MAX - 1);
	strcpy(text + n + SHIMCONF_LINE_MAX - 1, "\n");
	assert_int_equal(parse(text), SHIMCONF_ELINE);
	assert_int_equal(err.line, 2);
	assert_string_equal(message(), "line 2: line longer than 2048 bytes");
}

static void test_overlong_path(void **state)
{
	char text[600];

	strcpy(text, "kernel /k\ninitrd /");
	memset(text + strlen(text), 'p', 255);
	text[18 + 255] = '\0';
	strcat(text, "\n");
	assert_int_equal(parse(text), SHIMCONF_EPATHLONG);
	assert_int_equal(err.line, 2);
	assert_string_equal(message(),
		"line 2: path longer than 255 bytes for key 'initrd'");
}

static void test_path_is_directory(void **state)
{
	assert_int_equal(parse("kernel /\n"), SHIMCONF_EPATH);
	assert_string_equal(message(),
		"line 1: path names a directory, not a file, for key 'kernel'");
	assert_int_equal(parse("kernel /k\ninitrd \\EFI\\\n"), SHIMCONF_EPATH);
	assert_int_equal(err.line, 2);
}

static void test_overlong_options(void **state)
{
	static char text[4096];
	size_t n = (size_t)snprintf(text, sizeof(text),
				    "kernel /k\noptions ");

	/* 1000 + ' ' + 983 = 1984 bytes: one too many with the NUL */
	memset(text + n, 'a', 1000);
	n += 1000;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "\noptions ");
	memset(text + n, 'b', 983);
	text[n + 983] = '\0';
	assert_int_equal(parse(text), SHIMCONF_EOPTIONS);
	assert_int_equal(err.line, 3);
	assert_string_equal(message(),
		"line 3: options longer than 1983 bytes in total");
}

static void test_nul_byte(void **state)
{
	static const char text[] = "kernel /k\noptions a\0b\n";

	assert_int_equal(parse_n(text, sizeof(text) - 1), SHIMCONF_ENUL);
	assert_int_equal(err.line, 2);
	assert_string_equal(message(), "line 2: NUL byte");

	/* also in a comment: the file is corrupt either way */
	assert_int_equal(parse_n("#\0\nkernel /k\n", 13), SHIMCONF_ENUL);
	assert_int_equal(err.line, 1);
}

static void test_control_character(void **state)
{
	assert_int_equal(parse("kernel /k\x1b[0m\n"), SHIMCONF_ECTRL);
	assert_string_equal(message(), "line 1: control character '\\x1b'");
	/* a lone CR inside a line is not a line break */
	assert_int_equal(parse("kernel /k\roptions x\n"), SHIMCONF_ECTRL);
	assert_string_equal(message(), "line 1: control character '\\x0d'");
}

static void test_bad_utf8(void **state)
{
	static const char *bad[] = {
		"kernel /k\xff\n",		/* never valid */
		"kernel /k\xc3\n",		/* truncated at the end */
		"kernel /k\xc3(\n",		/* bad continuation */
		"kernel /k\xc0\xaf\n",		/* overlong '/' */
		"kernel /k\xe0\x80\xaf\n",	/* overlong '/' */
		"kernel /k\xed\xa0\x80\n",	/* surrogate */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i]), SHIMCONF_EUTF8);
		assert_string_equal(message(), "line 1: invalid UTF-8");
	}
	assert_int_equal(parse("kernel /k\xf0\x9f\x98\x80\n"), SHIMCONF_EUTF8);
	assert_string_equal(message(),
		"line 1: character beyond U+FFFF (firmware strings are UCS-2)");
}

static void test_first_error_wins(void **state)
{
	assert_int_equal(parse("bogus 1\nkernel\n"), SHIMCONF_EUNKNOWNKEY);
	assert_int_equal(err.line, 1);
}

static void test_format_error_truncates(void **state)
{
	char small[8];

	assert_int_equal(parse("kernal /k\n"), SHIMCONF_EUNKNOWNKEY);
	assert_int_equal(shimconf_format_error(&err, small, sizeof(small)), 7);
	assert_string_equal(small, "line 1:");
	assert_int_equal(shimconf_format_error(&err, small, 0), 0);
}

/* ---- GUID text and command line ---- */

/* the ESP type GUID c12a7328-f81f-11d2-ba4b-00a0c93ec93b in UEFI byte order */
static const uint8_t esp_guid[16] = {
	0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
	0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b,
};

static void test_guid_str(void **state)
{
	char s[GUID_TEXT_LEN];

	guid_to_text(esp_guid, s);
	assert_string_equal(s, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
}

static void test_cmdline(void **state)
{
	char out[SHIMCONF_CMDLINE_MAX];

	assert_int_equal(parse("kernel /k\noptions console=ttyS0 panic=-1\n"),
			 SHIMCONF_OK);
	assert_int_equal(shimconf_cmdline(&conf, esp_guid, out, sizeof(out)),
			 SHIMCONF_OK);
	assert_string_equal(out, "console=ttyS0 panic=-1 kexshim.esp=PARTUUID="
			    "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");

	/* whole-disk FAT: no partition, nothing appended */
	assert_int_equal(shimconf_cmdline(&conf, NULL, out, sizeof(out)),
			 SHIMCONF_OK);
	assert_string_equal(out, "console=ttyS0 panic=-1");

	/* no options: no leading space */
	assert_int_equal(parse("kernel /k\n"), SHIMCONF_OK);
	assert_int_equal(shimconf_cmdline(&conf, esp_guid, out, sizeof(out)),
			 SHIMCONF_OK);
	assert_string_equal(out,
		"kexshim.esp=PARTUUID=c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
	assert_int_equal(shimconf_cmdline(&conf, NULL, out, sizeof(out)),
			 SHIMCONF_OK);
	assert_string_equal(out, "");

	/* kexshim.conf names the ESP itself (entries on another disk): the
	 * user's choice stands, nothing is appended after it. */
	assert_int_equal(parse("kernel /k\noptions quiet "
			       "kexshim.esp=PARTUUID=0c6e0c4a-1b6d-4a4b-9e2d-"
			       "0123456789ab\n"), SHIMCONF_OK);
	assert_int_equal(shimconf_cmdline(&conf, esp_guid, out, sizeof(out)),
			 SHIMCONF_OK);
	assert_string_equal(out, "quiet kexshim.esp=PARTUUID=0c6e0c4a-1b6d-4a4b-"
			    "9e2d-0123456789ab");
	/* Only a parameter that starts so counts. */
	assert_int_equal(parse("kernel /k\noptions x.kexshim.esp=1\n"),
			 SHIMCONF_OK);
	assert_int_equal(shimconf_cmdline(&conf, esp_guid, out, sizeof(out)),
			 SHIMCONF_OK);
	assert_non_null(strstr(out, " kexshim.esp=PARTUUID=c12a7328"));
}

static void test_cmdline_longest_fits_and_space_checked(void **state)
{
	static char text[4096];
	char out[SHIMCONF_CMDLINE_MAX];
	size_t n = (size_t)snprintf(text, sizeof(text), "kernel /k\noptions ");
	size_t want = SHIMCONF_OPTIONS_MAX - 1 + 1 + 21 + 36;

	memset(text + n, 'o', SHIMCONF_OPTIONS_MAX - 1);
	text[n + SHIMCONF_OPTIONS_MAX - 1] = '\0';
	assert_int_equal(parse(text), SHIMCONF_OK);
	assert_int_equal(shimconf_cmdline(&conf, esp_guid, out, sizeof(out)),
			 SHIMCONF_OK);
	assert_int_equal(strlen(out), want);

	assert_int_equal(shimconf_cmdline(&conf, esp_guid, out, want),
			 SHIMCONF_ESPACE);
	assert_string_equal(out, "");
	assert_int_equal(shimconf_cmdline(&conf, esp_guid, out, want + 1),
			 SHIMCONF_OK);
}

/* ---- a bundle's .cmdline (shimconf_set_options) ---- */

static enum shimconf_err set_opts(const void *buf, size_t len)
{
	return shimconf_set_options(&conf, buf, len, &err);
}

static void test_set_options_trims_ukify_endings(void **state)
{
	/* ukify writes "...\n"; objcopy users often a NUL; both go */
	assert_int_equal(set_opts("console=ttyS0 panic=-1\n", 23), SHIMCONF_OK);
	assert_string_equal(conf.options, "console=ttyS0 panic=-1");
	assert_int_equal(conf.options_len, 22);
	assert_int_equal(set_opts("  quiet \r\n\0\0", 13), SHIMCONF_OK);
	assert_string_equal(conf.options, "quiet");
	assert_string_equal(conf.kernel, "");
	assert_int_equal(conf.n_initrd, 0);
	/* "a b \n \n" : every trailing blank and line break */
	assert_int_equal(set_opts("a b \n \n", 7), SHIMCONF_OK);
	assert_string_equal(conf.options, "a b");
}

static void test_set_options_empty(void **state)
{
	assert_int_equal(set_opts(NULL, 0), SHIMCONF_OK);
	assert_string_equal(conf.options, "");
	assert_int_equal(set_opts("\n\0", 2), SHIMCONF_OK);
	assert_int_equal(conf.options_len, 0);
}

static void test_set_options_bad_text(void **state)
{
	/* a line break inside: two lines are no command line */
	assert_int_equal(set_opts("quiet\nsplash", 12), SHIMCONF_ECTRL);
	assert_string_equal(message(), "control character '\\x0a'");
	assert_int_equal(set_opts("quiet\0splash", 12), SHIMCONF_ENUL);
	assert_int_equal(set_opts("a=\xc3(", 4), SHIMCONF_EUTF8);
	assert_string_equal(message(), "invalid UTF-8");
}

static void test_set_options_longest(void **state)
{
	static char text[SHIMCONF_OPTIONS_MAX + 8];

	memset(text, 'o', sizeof(text));
	assert_int_equal(set_opts(text, SHIMCONF_OPTIONS_MAX - 1), SHIMCONF_OK);
	assert_int_equal(conf.options_len, SHIMCONF_OPTIONS_MAX - 1);
	assert_int_equal(set_opts(text, SHIMCONF_OPTIONS_MAX), SHIMCONF_EOPTIONS);
	assert_string_equal(message(), "options longer than 1983 bytes in total");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_crlf_whitespace_no_final_newline),
		cmocka_unit_test(test_path_normalisation),
		cmocka_unit_test(test_path_with_spaces_and_utf8),
		cmocka_unit_test(test_bom_and_comment_only_lines),
		cmocka_unit_test(test_eight_initrds),
		cmocka_unit_test(test_longest_path_and_options),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_missing_kernel),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_unknown_key_case_sensitive),
		cmocka_unit_test(test_unknown_key_long_is_truncated),
		cmocka_unit_test(test_key_without_value),
		cmocka_unit_test(test_duplicate_kernel),
		cmocka_unit_test(test_too_many_initrds),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_overlong_path),
		cmocka_unit_test(test_path_is_directory),
		cmocka_unit_test(test_overlong_options),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_control_character),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_first_error_wins),
		cmocka_unit_test(test_format_error_truncates),
		cmocka_unit_test(test_guid_str),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_cmdline_longest_fits_and_space_checked),
		cmocka_unit_test(test_set_options_trims_ukify_endings),
		cmocka_unit_test(test_set_options_empty),
		cmocka_unit_test(test_set_options_bad_text),
		cmocka_unit_test(test_set_options_longest),
	};

	return cmocka_run_group_tests_name("shimconf", tests, NULL, NULL);
}
