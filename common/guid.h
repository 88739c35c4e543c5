/* GUIDs as UEFI and GPT store them (UEFI 2.10 appendix A: Data1..Data3
 * little-endian, Data4 as bytes) and as Linux prints them (PARTUUID,
 * lower-case 8-4-4-4-12).  Freestanding: built into efi/ and boot/. */
#ifndef KEXSHIM_COMMON_GUID_H
#define KEXSHIM_COMMON_GUID_H

#include <stdint.h>

#define GUID_TEXT_LEN 37 /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" + NUL */

/* On-disk bytes to canonical lower-case text. */
void guid_to_text(const uint8_t g[16], char out[GUID_TEXT_LEN]);

/* Text (any case, exactly 36 characters) to on-disk bytes; g may be NULL
 * to only check the syntax.  Return: 0, or -1 when s is no GUID. */
int guid_from_text(const char *s, uint8_t g[16]);

#endif
