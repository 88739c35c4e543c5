/* kexshim (userspace, arm64): the SHA-256 block function behind the digests
 * the loader stores for the purgatory.  The loader hashes every segment
 * (~60 MB for Debian's Image and a test initrd), so it uses the ARMv8 SHA-2
 * instructions when the kernel reports them (HWCAP_SHA2), through the same
 * assembly the purgatory runs (common/arch/arm64/sha256_ce.S: plain
 * AAPCS64, no MMU-off assumptions beyond alignment care that costs nothing
 * here). */
#include <asm/hwcap.h>
#include <sys/auxv.h>

#include "common/sha256.h"

void sha256_blocks_ce(uint32_t h[8], const uint8_t *p, size_t nblocks);

void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	/* Probed once: 1 SHA-2 instructions, -1 portable C. */
	static int use_ce;

	if (!use_ce)
		use_ce = (getauxval(AT_HWCAP) & HWCAP_SHA2) ? 1 : -1;
	if (use_ce > 0)
		sha256_blocks_ce(h, p, nblocks);
	else
		sha256_blocks_generic(h, p, nblocks);
}
