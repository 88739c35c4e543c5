/* UTF-8 decoding (see utf8.h).  Pure and freestanding: no libc, so the
 * same object serves the firmware loader and the shim. */
#include "common/utf8.h"

size_t utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
	uint32_t c, min;
	size_t n, k;

	if (!len)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0; /* a continuation byte, or 0xf8.. */
	}
	if (len < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[k] & 0x3f);
	}
	/* RFC 3629 section 3: the shortest form only, and no UTF-16
	 * surrogate code points. */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

bool utf8_valid(const uint8_t *s, size_t len)
{
	uint32_t cp;
	size_t i = 0, n;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

size_t utf8_to_ucs2(const char *s, uint16_t *out)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n = 0, k;
	uint32_t cp;

	while (*p) {
		/* utf8_decode() stops at the first byte that is no
		 * continuation byte, so 4 never takes it past the NUL */
		k = utf8_decode(p, 4, &cp);
		out[n++] = k && cp <= 0xffff ? (uint16_t)cp : UCS2_REPLACEMENT;
		p += k ? k : 1;
	}
	out[n++] = 0;
	return n;
}
