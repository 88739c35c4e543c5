/* UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing
 * above U+10FFFF.  Config files (BLS, kexshim.conf, grub.cfg) are checked
 * with it, and kexshim.efi decodes file names and the command line into
 * UCS-2 with it.  Freestanding: built into efi/ and boot/. */
#ifndef KEXSHIM_COMMON_UTF8_H
#define KEXSHIM_COMMON_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode the sequence at s[0..len).
 * Return: its length (1..4) with *cp set, or 0 when it is malformed or
 * cut short (len 0 included). */
size_t utf8_decode(const uint8_t *s, size_t len, uint32_t *cp);

/* Return: true when s[0..len) is well-formed UTF-8 throughout. */
bool utf8_valid(const uint8_t *s, size_t len);

#define UCS2_REPLACEMENT 0xfffd

/* The NUL-terminated s as UCS-2 (what UEFI's LoadOptions and file names
 * take): one unit per character, U+FFFD for a malformed sequence (one
 * per byte) or a code point beyond U+FFFF.  out has room for
 * strlen(s) + 1 units.  Return: the units written, the NUL included. */
size_t utf8_to_ucs2(const char *s, uint16_t *out);

#endif
