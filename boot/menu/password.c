/* kexshim menu: the editor password (see menu.h).  Pure.  Only a SHA-256
 * digest is configured (`password-sha256 HEX`), so the ESP holds no
 * password, and what is typed is compared as a digest. */
#include <errno.h>
#include <string.h>

#include "common/hex.h"
#include "common/sha256.h"
#include "lib/error.h"
#include "menu/menu.h"

int menu_password_parse(const char *hex, uint8_t out[MENU_DIGEST_SIZE])
{
	size_t len = strlen(hex);

	if (len != 2 * MENU_DIGEST_SIZE)
		return kx_fail(EINVAL, "menu: password-sha256 wants 64 hex digits "
			       "(printf %%s PASSWORD | sha256sum), not %zu characters",
			       len);
	if (hex_decode(hex, len, out, MENU_DIGEST_SIZE)) {
		size_t i = 0;

		while (hex_digit(hex[i]) >= 0)
			i++;
		return kx_fail(EINVAL, "menu: password-sha256: character %zu is "
			       "not a hex digit", i + 1);
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
