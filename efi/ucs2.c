/*
 * efi/ucs2.c: UTF-8 to UCS-2, for file names and the kernel's LoadOptions.
 * Runs in boot services.  The input was validated by shimconf_parse(), so
 * this only decodes; it still never reads past the NUL on bad input.
 */
#include <efi.h>
#include <efilib.h>

#include "common/utf8.h"
#include "ucs2.h"

#define REPLACEMENT 0xfffd

/* Decodes one character at *p, advances *p past it.  A malformed sequence
 * (never in validated input) becomes U+FFFD; utf8_decode() stops at the
 * first byte that is no continuation byte, so it never passes the NUL. */
static CHAR16 next_char(const UINT8 **p)
{
	uint32_t cp;
	size_t n = utf8_decode(*p, 4, &cp);

	if (!n || cp > 0xffff) {
		(*p)++;
		return REPLACEMENT;
	}
	*p += n;
	return (CHAR16)cp;
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
