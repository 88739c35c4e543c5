/* Host unit tests: utf8_to_ucs2(), the loader's LoadOptions and file
 * names in UCS-2 (common/utf8.c, called by efi/ucs2.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/utf8.h"

static void test_text(void **state)
{
	static const uint16_t want[] = { 'r', 'o', '=', 0xe9, 0x20ac, 0 };
	uint16_t u[16];

	/* "ro=é€" */
	assert_int_equal(utf8_to_ucs2("ro=\xc3\xa9\xe2\x82\xac", u), 6);
	assert_memory_equal(u, want, sizeof(want));
	assert_int_equal(utf8_to_ucs2("", u), 1);
	assert_int_equal(u[0], 0);
}

static void test_replacement(void **state)
{
	uint16_t u[16];

	/* beyond the BMP: one unit, not a surrogate pair */
	assert_int_equal(utf8_to_ucs2("\xf0\x9f\x90\xa7x", u), 3);
	assert_int_equal(u[0], UCS2_REPLACEMENT);
	assert_int_equal(u[1], 'x');
	/* a sequence cut by the NUL: one per byte, and it stops there */
	assert_int_equal(utf8_to_ucs2("a\xe2\x82", u), 4);
	assert_int_equal(u[1], UCS2_REPLACEMENT);
	assert_int_equal(u[2], UCS2_REPLACEMENT);
	assert_int_equal(u[3], 0);
	/* overlong and surrogate forms */
	assert_int_equal(utf8_to_ucs2("\xc0\xaf\xed\xa0\x80", u), 6);
	assert_int_equal(u[0], UCS2_REPLACEMENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_replacement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
