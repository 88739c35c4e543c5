/* kexshim (userspace, x86_64): the SHA-256 block function behind the
 * digests the loader stores for the purgatory.  The loader hashes every
 * segment (~35 MB for Debian's kernel and a test initrd), so it uses the
 * SHA extensions when CPUID reports them, through the same assembly the
 * purgatory runs (common/arch/x86_64/sha256_ni.S).  Linux has enabled SSE
 * for us (CR4.OSFXSR), so CPUID is all there is to ask; QEMU 7.2's TCG and
 * older CPUs lack SHA-NI and get the portable rounds. */
#include "common/arch/x86_64/sha_ni.h"
#include "common/sha256.h"

void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	/* Probed once: 1 SHA-NI, -1 portable C. */
	static int use_ni;

	if (!use_ni)
		use_ni = sha256_ni_cpu() ? 1 : -1;
	if (use_ni > 0)
		sha256_blocks_ni(h, p, nblocks);
	else
		sha256_blocks_generic(h, p, nblocks);
}
