/* kexshim (userspace, x86_64): the SHA-256 block function behind the
 * digests the loader stores for the purgatory.  Any correct implementation
 * gives the purgatory's digests; the portable one is fast enough here (SHA-NI
 * is missing from QEMU 7.2's TCG and from many of the machines we boot). */
#include "common/sha256.h"

void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	sha256_blocks_generic(h, p, nblocks);
}
