/* common (x86_64): when the SHA-NI block function (sha256_ni.S) may run.
 * Used by the purgatory (between two kernels, built -mgeneral-regs-only)
 * and by kexshim itself; the decision is a pure function of the CPUID
 * words so the host tests can feed it words with and without the bits.
 * Freestanding: only <stdint.h>/<stddef.h> and GCC's <cpuid.h>. */
#ifndef KEXSHIM_COMMON_X86_64_SHA_NI_H
#define KEXSHIM_COMMON_X86_64_SHA_NI_H

#include <cpuid.h>
#include <stddef.h>
#include <stdint.h>

/* Intel SDM vol. 2A, CPUID: what sha256_ni.S executes.  SSE2 (movdqa,
 * paddd, pshufd) is part of x86_64 itself. */
#define CPUID1_ECX_SSSE3	(1u << 9)	/* pshufb, palignr */
#define CPUID1_ECX_SSE41	(1u << 19)	/* pblendw */
#define CPUID7_EBX_SHA		(1u << 29)	/* sha256rnds2/msg1/msg2 */

/* max_leaf: CPUID.0:EAX; leaf1_ecx: CPUID.1:ECX; leaf7_ebx:
 * CPUID.(EAX=7,ECX=0):EBX, which means nothing when max_leaf < 7.
 * Return: 1 if sha256_blocks_ni may run on such a CPU, 0 if not. */
static inline int sha256_ni_supported(uint32_t max_leaf, uint32_t leaf1_ecx,
				      uint32_t leaf7_ebx)
{
	const uint32_t need1 = CPUID1_ECX_SSSE3 | CPUID1_ECX_SSE41;

	if (max_leaf < 7)
		return 0;
	return (leaf1_ecx & need1) == need1 && (leaf7_ebx & CPUID7_EBX_SHA);
}

/* Return: sha256_ni_supported() for the CPU this runs on. */
static inline int sha256_ni_cpu(void)
{
	uint32_t max_leaf, ebx, ecx, edx, leaf1_ecx, leaf7_ebx;

	__cpuid(0, max_leaf, ebx, ecx, edx);
	if (max_leaf < 7)
		return 0;
	__cpuid(1, edx, ebx, leaf1_ecx, edx);
	__cpuid_count(7, 0, edx, leaf7_ebx, ecx, edx);
	return sha256_ni_supported(max_leaf, leaf1_ecx, leaf7_ebx);
}

/* sha256_ni.S: compress nblocks 64-byte blocks into h, like
 * sha256_blocks_generic.  Only where sha256_ni_cpu() said 1 (and, in the
 * purgatory, with SSE enabled in CR0/CR4). */
void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t nblocks);

#endif
