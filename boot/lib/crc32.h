/* kexshim: CRC-32 as GPT uses it (UEFI spec 2.10, 5.3.2: the IEEE 802.3
 * polynomial, reflected, init and final xor 0xffffffff, as zlib's crc32). */
#ifndef KEXSHIM_CRC32_H
#define KEXSHIM_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC: start with crc = 0.  Return: the CRC of everything fed. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
