/*
 * test/unit/efi/test_pins.c: host tests of efi/pins.c, the parser of a
 * bundle's .pins section (initrd SHA-256 digests Secure Boot allows).  Good
 * sections in every accepted spelling, then each malformed case with its
 * line and reason: a section that does not parse pins nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/sha256.h"
#include "pins.h"

/* sha256("abc"), FIPS 180-2 appendix B.1 */
#define ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static struct pins pins;
static struct pins_error err;

static enum pins_err parse(const char *text)
{
	return pins_parse(text, strlen(text), &pins, &err);
}

static void test_two_pins_match(void **state)
{
	uint8_t d[32];

	assert_int_equal(parse("# pinned by tools/mkbundle\n"
			       "initrd-sha256 " ABC "\n"
			       "\n"
			       "  initrd-sha256\t" EMPTY "  \n"), PINS_OK);
	assert_int_equal(pins.n, 2);
	sha256("abc", 3, d);
	assert_true(pins_match(&pins, d));
	sha256("", 0, d);
	assert_true(pins_match(&pins, d));
	sha256("abd", 3, d);
	assert_false(pins_match(&pins, d));
	/* one bit off in the last byte */
	sha256("abc", 3, d);
	d[31] ^= 1;
	assert_false(pins_match(&pins, d));
}

static void test_crlf_uppercase_padding(void **state)
{
	static const char text[] = "initrd-sha256 "
		"BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"
		"\r\n\0\0\0";
	uint8_t d[32];

	assert_int_equal(pins_parse(text, sizeof(text), &pins, &err), PINS_OK);
	assert_int_equal(pins.n, 1);
	sha256("abc", 3, d);
	assert_true(pins_match(&pins, d));
}

static void test_empty_pins_nothing(void **state)
{
	uint8_t d[32] = { 0 };

	assert_int_equal(pins_parse("", 0, &pins, &err), PINS_OK);
	assert_int_equal(pins.n, 0);
	assert_false(pins_match(&pins, d));
	assert_int_equal(parse("# nothing\n\n"), PINS_OK);
	assert_int_equal(pins.n, 0);
}

static void expect(const char *text, enum pins_err code, unsigned int line,
		   const char *reason)
{
	assert_int_equal(parse(text), code);
	assert_int_equal(err.code, code);
	assert_int_equal(err.line, line);
	assert_string_equal(err.reason, reason);
}

static void test_unknown_key(void **state)
{
	expect("initrd-sha256 " ABC "\ninitrd-sha512 " ABC "\n", PINS_EUNKNOWNKEY,
	       2, "unknown key (want initrd-sha256)");
	expect("Initrd-sha256 " ABC "\n", PINS_EUNKNOWNKEY, 1,
	       "unknown key (want initrd-sha256)");
	expect(ABC "\n", PINS_EUNKNOWNKEY, 1, "unknown key (want initrd-sha256)");
}

static void test_bad_digest(void **state)
{
	const char *why = "initrd-sha256 wants 64 hex digits";

	expect("initrd-sha256\n", PINS_EDIGEST, 1, why);
	/* 63 digits, 65 digits, a non-hex digit, a comment after it */
	expect("initrd-sha256 " EMPTY "\ninitrd-sha256 "
	       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a\n",
	       PINS_EDIGEST, 2, why);
	expect("initrd-sha256 " ABC "0\n", PINS_EDIGEST, 1, why);
	expect("initrd-sha256 "
	       "ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n",
	       PINS_EDIGEST, 1, why);
	expect("initrd-sha256 " ABC " # abc\n", PINS_EDIGEST, 1, why);
}

static void test_too_many(void **state)
{
	static char text[64 * 80];
	size_t n = 0;

	for (int i = 0; i < PINS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "initrd-sha256 %s\n", ABC);
	assert_int_equal(parse(text), PINS_OK);
	assert_int_equal(pins.n, PINS_MAX);
	snprintf(text + n, sizeof(text) - n, "initrd-sha256 %s\n", EMPTY);
	expect(text, PINS_ETOOMANY, PINS_MAX + 1, "more than 32 pins");
}

static void test_control_characters(void **state)
{
	static const char nul[] = "# a\n#\0b\ninitrd-sha256 " ABC "\n";

	assert_int_equal(pins_parse(nul, sizeof(nul) - 1, &pins, &err), PINS_ETEXT);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.reason, "NUL or control character");
	expect("initrd-sha256 \x1b" ABC "\n", PINS_ETEXT, 1,
	       "NUL or control character");
	expect("\x7f\n", PINS_ETEXT, 1, "NUL or control character");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_pins_match),
		cmocka_unit_test(test_crlf_uppercase_padding),
		cmocka_unit_test(test_empty_pins_nothing),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_bad_digest),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_control_characters),
	};

	return cmocka_run_group_tests_name("pins", tests, NULL, NULL);
}
