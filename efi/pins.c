/*
 * efi/pins.c: parse a bundle's .pins section (see pins.h).
 *
 * Runs in kexshim.efi (boot services, before any initrd is served) and in
 * the host tests.  Strict on purpose: a pin list that does not parse pins
 * nothing, so a typo fails closed under Secure Boot.
 */
#include "common/hex.h"
#include "pins.h"

static const char key[] = "initrd-sha256";

static int is_blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static enum pins_err fail(struct pins_error *err, enum pins_err code,
			  unsigned int line, const char *reason)
{
	err->code = code;
	err->line = line;
	err->reason = reason;
	return code;
}

static enum pins_err parse_line(const uint8_t *s, size_t len,
				unsigned int line, struct pins *pins,
				struct pins_error *err)
{
	size_t i = 0, k, v;

	for (k = 0; k < len; k++)
		if ((s[k] < 0x20 && s[k] != '\t') || s[k] == 0x7f)
			return fail(err, PINS_ETEXT, line,
				    "NUL or control character");
	while (i < len && is_blank(s[i]))
		i++;
	while (len > i && is_blank(s[len - 1]))
		len--;
	if (i == len || s[i] == '#')
		return PINS_OK;

	for (k = i; k < len && !is_blank(s[k]); k++)
		;
	if (k - i != sizeof(key) - 1)
		return fail(err, PINS_EUNKNOWNKEY, line,
			    "unknown key (want initrd-sha256)");
	for (v = 0; v < sizeof(key) - 1; v++)
		if (s[i + v] != (uint8_t)key[v])
			return fail(err, PINS_EUNKNOWNKEY, line,
				    "unknown key (want initrd-sha256)");
	while (k < len && is_blank(s[k]))
		k++;
	if (pins->n == PINS_MAX)
		return fail(err, PINS_ETOOMANY, line, "more than 32 pins");
	if (hex_decode((const char *)s + k, len - k, pins->sha256[pins->n],
		       PINS_DIGEST))
		return fail(err, PINS_EDIGEST, line,
			    "initrd-sha256 wants 64 hex digits");
	pins->n++;
	return PINS_OK;
}

enum pins_err pins_parse(const void *buf, size_t len, struct pins *pins,
			 struct pins_error *err)
{
	const uint8_t *p = buf;
	unsigned int line = 0;
	size_t pos = 0;

	pins->n = 0;
	err->code = PINS_OK;
	err->line = 0;
	err->reason = "no error";

	/* section padding: NUL bytes after the text */
	while (len && p[len - 1] == 0)
		len--;
	while (pos < len) {
		size_t eol = pos;
		enum pins_err rc;
		size_t n;

		while (eol < len && p[eol] != '\n')
			eol++;
		n = eol - pos;
		line++;
		if (n && p[pos + n - 1] == '\r')
			n--;
		rc = parse_line(p + pos, n, line, pins, err);
		if (rc)
			return rc;
		pos = eol + 1;
	}
	return PINS_OK;
}

int pins_match(const struct pins *pins, const uint8_t digest[PINS_DIGEST])
{
	for (unsigned int i = 0; i < pins->n; i++) {
		unsigned int k;

		for (k = 0; k < PINS_DIGEST && pins->sha256[i][k] == digest[k];
		     k++)
			;
		if (k == PINS_DIGEST)
			return 1;
	}
	return 0;
}
