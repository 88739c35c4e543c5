/*
 * efi/ucs2.c: UTF-8 to UCS-2, for file names and the kernel's LoadOptions.
 * Runs in boot services.  The input was validated by shimconf_parse(), so
 * this only allocates; common/utf8.c decodes (host-tested, fuzzed by
 * fuzz_shimconf), never past the NUL even on bad input.
 */
#include <efi.h>
#include <efilib.h>

#include "common/utf8.h"
#include "ucs2.h"

CHAR16 *ucs2_from_utf8(const char *s, UINTN *bytes)
{
	UINTN n = 0;
	CHAR16 *out;

	/* one UCS-2 unit per character is at most one per byte */
	while (s[n])
		n++;
	out = AllocatePool((n + 1) * sizeof(CHAR16));
	if (!out)
		return NULL;
	n = utf8_to_ucs2(s, out);
	if (bytes)
		*bytes = n * sizeof(CHAR16);
	return out;
}
