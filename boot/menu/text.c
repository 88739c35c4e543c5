/* kexshim menu: characters of a byte string (see text.h).  Pure. */
#include <stdint.h>

#include "common/utf8.h"
#include "menu/text.h"

size_t text_unit(const char *s, size_t len, bool *shown)
{
	const uint8_t *u = (const uint8_t *)s;
	uint32_t cp = 0;
	size_t n = utf8_decode(u, len, &cp);

	if (!n)
		n = 1; /* not UTF-8: the byte alone */
	if (shown)
		*shown = n > 1 ? cp >= 0xa0 : (u[0] >= 0x20 && u[0] < 0x7f);
	return n;
}

size_t text_width(const char *s, size_t len)
{
	size_t i = 0, w = 0;

	while (i < len) {
		i += text_unit(s + i, len - i, NULL);
		w++;
	}
	return w;
}
