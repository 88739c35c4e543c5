/* GUID text (see guid.h).  Pure and freestanding: no libc. */
#include "common/guid.h"
#include "common/hex.h"

/* Text position of each on-disk byte: fields 1-3 are byte-swapped. */
static const uint8_t text_order[16] = {
	3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15,
};

void guid_to_text(const uint8_t g[16], char out[GUID_TEXT_LEN])
{
	static const char hex[] = "0123456789abcdef";
	int i, o = 0;

	for (i = 0; i < 16; i++) {
		uint8_t b = g[text_order[i]];

		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b >> 4];
		out[o++] = hex[b & 15];
	}
	out[o] = '\0';
}

int guid_from_text(const char *s, uint8_t g[16])
{
	uint8_t tmp[16];
	int i, pos = 0;

	for (i = 0; i < 16; i++) {
		int hi, lo;

		if (pos == 8 || pos == 13 || pos == 18 || pos == 23) {
			if (s[pos] != '-')
				return -1;
			pos++;
		}
		hi = hex_digit(s[pos]);
		lo = hi < 0 ? -1 : hex_digit(s[pos + 1]);
		if (lo < 0)
			return -1;
		tmp[text_order[i]] = (uint8_t)(hi << 4 | lo);
		pos += 2;
	}
	if (s[pos])
		return -1;
	if (g)
		for (i = 0; i < 16; i++)
			g[i] = tmp[i];
	return 0;
}
