/*
 * efi/ucs2.c: UTF-8 to UCS-2, for file names and the kernel's LoadOptions.
 * Runs in boot services.  The input was validated by shimconf_parse(), so
 * this only decodes; it still never reads past the NUL on bad input.
 */
#include <efi.h>
#include <efilib.h>

#include "ucs2.h"

#define REPLACEMENT 0xfffd

/* Decodes one character at *p, advances *p past it. */
static CHAR16 next_char(const UINT8 **p)
{
	const UINT8 *s = *p;
	UINT32 c = *s++;
	int more = 0;

	if (c >= 0xc0 && c < 0xe0) {
		c &= 0x1f;
		more = 1;
	} else if (c >= 0xe0 && c < 0xf0) {
		c &= 0x0f;
		more = 2;
	} else if (c >= 0x80) {
		c = REPLACEMENT;
	}
	while (more--) {
		if ((*s & 0xc0) != 0x80) {	/* also stops at the NUL */
			c = REPLACEMENT;
			break;
		}
		c = c << 6 | (*s++ & 0x3f);
	}
	*p = s;
	return (CHAR16)c;
}

CHAR16 *ucs2_from_utf8(const char *s, UINTN *bytes)
{
	const UINT8 *p = (const UINT8 *)s;
	UINTN n = 0;
	CHAR16 *out;

	/* one UCS-2 unit per character is at most one per byte */
	while (p[n])
		n++;
	out = AllocatePool((n + 1) * sizeof(CHAR16));
	if (!out)
		return NULL;

	n = 0;
	while (*p)
		out[n++] = next_char(&p);
	out[n++] = 0;
	if (bytes)
		*bytes = n * sizeof(CHAR16);
	return out;
}
