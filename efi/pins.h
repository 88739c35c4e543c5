/*
 * efi/pins.h: the parser of a bundle's .pins section, the SHA-256 digests of
 * the initrds that kexshim.efi may serve from kexshim.conf while Secure Boot
 * is on (files on the ESP are not signed; the .pins section is, with the
 * rest of kexshim.efi).
 *
 * The section, written by tools/mkbundle --pin-initrd, one directive a line:
 *
 *	# comment
 *	initrd-sha256 <64 hex digits>     0..PINS_MAX
 *
 * Lines may end in CRLF; NUL bytes at the end (section padding) are ignored.
 *
 * Runs inside kexshim.efi and on the host (unit tests, fuzz target): pure
 * and freestanding, bytes in, one fixed-size struct out.
 */
#ifndef KEXSHIM_EFI_PINS_H
#define KEXSHIM_EFI_PINS_H

#include <stddef.h>
#include <stdint.h>

#define PINS_MAX	32
#define PINS_DIGEST	32

enum pins_err {
	PINS_OK = 0,
	PINS_EUNKNOWNKEY,	/* key is not initrd-sha256 */
	PINS_EDIGEST,		/* value is not 64 hex digits */
	PINS_ETOOMANY,		/* more than PINS_MAX pins */
	PINS_ETEXT,		/* NUL or control character inside the text */
};

struct pins {
	uint8_t sha256[PINS_MAX][PINS_DIGEST];
	unsigned int n;
};

struct pins_error {
	enum pins_err code;
	unsigned int line;	/* 1-based */
	const char *reason;	/* static text, never NULL after an error */
};

/*
 * pins_parse() - parse @len bytes of a .pins section into @pins.
 *
 * Return: PINS_OK, or the first error, also described in @err.  @pins is
 * undefined after an error: callers must then trust no pin.
 */
enum pins_err pins_parse(const void *buf, size_t len, struct pins *pins,
			 struct pins_error *err);

/*
 * pins_match() - is @digest one of the pinned ones?
 *
 * Return: 1 when it is, else 0.
 */
int pins_match(const struct pins *pins, const uint8_t digest[PINS_DIGEST]);

#endif /* KEXSHIM_EFI_PINS_H */
