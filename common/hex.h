/* Hex digits, for GUIDs, pinned SHA-256 digests and passwords' digests.
 * Freestanding: built into efi/ and boot/. */
#ifndef KEXSHIM_COMMON_HEX_H
#define KEXSHIM_COMMON_HEX_H

/* Return: the value of hex digit c (either case), or -1. */
static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode exactly 2 * size hex digits s[0..n) into out.
 * Return: 0, or -1 when n is not 2 * size or a digit is not hex. */
static inline int hex_decode(const char *s, unsigned long n, unsigned char *out,
			     unsigned long size)
{
	unsigned long i;

	if (n != 2 * size)
		return -1;
	for (i = 0; i < size; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

#endif
