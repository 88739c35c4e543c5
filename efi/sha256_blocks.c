/*
 * efi/sha256_blocks.c: the SHA-256 block function kexshim.efi links
 * (common/sha256.h asks every link for one).  The loader hashes only the
 * kexshim.conf initrds that Secure Boot makes it check, once per boot, so
 * the portable rounds do: no CPU feature probing in firmware context.
 */
#include "common/sha256.h"

void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	sha256_blocks_generic(h, p, nblocks);
}
