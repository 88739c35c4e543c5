/* kexshim menu: the editor password (see menu.h).  Pure.  Only a SHA-256
 * digest is configured (`password-sha256 HEX`), so the ESP holds no
 * password, and what is typed is compared as a digest. */
#include <errno.h>
#include <string.h>

#include "common/sha256.h"
#include "lib/error.h"
#include "menu/menu.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int menu_password_parse(const char *hex, uint8_t out[MENU_DIGEST_SIZE])
{
	size_t len = strlen(hex), i;
	int hi, lo;

	if (len != 2 * MENU_DIGEST_SIZE)
		return kx_fail(EINVAL, "menu: password-sha256 wants 64 hex digits "
			       "(printf %%s PASSWORD | sha256sum), not %zu characters",
			       len);
	for (i = 0; i < MENU_DIGEST_SIZE; i++) {
		hi = hex_value(hex[2 * i]);
		lo = hex_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return kx_fail(EINVAL, "menu: password-sha256: character %zu "
				       "is not a hex digit", 2 * i + (hi < 0 ? 1 : 2));
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

bool menu_password_matches(const void *typed, size_t len,
			   const uint8_t digest[MENU_DIGEST_SIZE])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	unsigned diff = 0;
	size_t i;

	sha256(typed, len, d);
	/* Every byte, no early exit: the time taken says nothing about how
	 * much of the digest matched. */
	for (i = 0; i < MENU_DIGEST_SIZE; i++)
		diff |= (unsigned)(d[i] ^ digest[i]);
	explicit_bzero(d, sizeof(d));
	return diff == 0;
}
