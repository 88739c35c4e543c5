/* purgatory (x86_64): SHA-256 block function, runs between two kernels.
 * The portable one: SHA-NI would need SSE registers, which the purgatory is
 * built without (-mgeneral-regs-only), and whose state nobody set up. */
#include "common/sha256.h"

void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	sha256_blocks_generic(h, p, nblocks);
}
