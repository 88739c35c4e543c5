/* Host unit tests: boot/menu/password.c, `password-sha256 HEX` (strict:
 * 64 hex digits) and the comparison of what is typed with the digest. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/error.h"
#include "menu/menu.h"

/* printf %s kexshim | sha256sum */
#define KEXSHIM_HEX "4ef6cf99cad7b2c369037249e895103ddbde280a99423b8617a638e9dc5298b3"
/* printf %s pässwörd | sha256sum (UTF-8) */
#define UTF8_HEX "46970BEF70ACED8123F0D5D094717E2A5CD412041E03B26376049FE65B2834A4"

static void test_parse(void **state)
{
	static const uint8_t want[MENU_DIGEST_SIZE] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0xff,
	};
	uint8_t out[MENU_DIGEST_SIZE];

	/* Either case. */
	assert_int_equal(menu_password_parse(
		"0123456789abcdef0123456789ABCDEF"
		"fedcba987654321000112233445566fF", out), 0);
	assert_memory_equal(out, want, sizeof(want));
}

static void test_parse_is_strict(void **state)
{
	uint8_t out[MENU_DIGEST_SIZE];
	char hex[80];

	memset(hex, 'a', 64);
	hex[64] = '\0';
	assert_int_equal(menu_password_parse(hex, out), 0);
	hex[63] = '\0';
	assert_int_equal(menu_password_parse(hex, out), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "not 63 characters"));
	hex[63] = 'a';
	hex[64] = 'a';
	hex[65] = '\0';
	assert_int_equal(menu_password_parse(hex, out), -EINVAL);
	/* No trailing newline or blank: the config reader trims. */
	hex[64] = '\n';
	assert_int_equal(menu_password_parse(hex, out), -EINVAL);
	hex[64] = '\0';
	hex[10] = 'g';
	assert_int_equal(menu_password_parse(hex, out), -EINVAL);
	assert_string_equal(kx_last_error(),
			    "menu: password-sha256: character 11 is not a hex digit");
	hex[10] = 'a';
	hex[11] = ' ';
	assert_int_equal(menu_password_parse(hex, out), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "character 12 "));
	hex[11] = 'a';
	hex[0] = '-';
	assert_int_equal(menu_password_parse(hex, out), -EINVAL);
	assert_int_equal(menu_password_parse("", out), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "menu: password-sha256 wants 64"));
	/* "0x" is not part of the syntax. */
	assert_int_equal(menu_password_parse("0x" KEXSHIM_HEX, out), -EINVAL);
}

static void test_matches(void **state)
{
	uint8_t digest[MENU_DIGEST_SIZE];

	assert_int_equal(menu_password_parse(KEXSHIM_HEX, digest), 0);
	assert_true(menu_password_matches("kexshim", 7, digest));
	assert_false(menu_password_matches("kexshim\n", 8, digest));
	assert_false(menu_password_matches("kexshi", 6, digest));
	assert_false(menu_password_matches("Kexshim", 7, digest));
	assert_false(menu_password_matches("", 0, digest));
	assert_int_equal(menu_password_parse(UTF8_HEX, digest), 0);
	assert_true(menu_password_matches("p\xc3\xa4ssw\xc3\xb6rd", 10, digest));
	/* The digest differs only in its last byte. */
	digest[31] ^= 1;
	assert_false(menu_password_matches("p\xc3\xa4ssw\xc3\xb6rd", 10, digest));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_is_strict),
		cmocka_unit_test(test_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
