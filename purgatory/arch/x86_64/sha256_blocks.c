/* purgatory (x86_64): SHA-256 block function, runs between two kernels in
 * long mode, identity-mapped, interrupts off.  Nearly all of the
 * purgatory's time goes here, so it uses the SHA extensions
 * (common/arch/x86_64/sha256_ni.S) when CPUID reports them, after
 * enabling SSE itself.  Otherwise, and in QEMU's TCG (no SHA-NI), the
 * portable C one. */
#include "common/arch/x86_64/sha_ni.h"
#include "common/sha256.h"

#define X86_CR0_EM		(1ul << 2)	/* x87/SSE emulation: #UD */
#define X86_CR0_TS		(1ul << 3)	/* task switched: #NM */
#define X86_CR4_OSFXSR		(1ul << 9)	/* OS supports FXSAVE/SSE */
#define X86_CR4_OSXMMEXCPT	(1ul << 10)	/* OS handles SIMD FP #XM */

/* Probed on the first call: 0 not yet, 1 SHA-NI, -1 C.  In .bss, which
 * entry.S clears. */
static int use_ni;

/*
 * SSE instructions raise #UD while CR4.OSFXSR is clear or CR0.EM set, and
 * #NM while CR0.TS is set (Intel SDM vol. 3A, 13.1.3 "Initialization of
 * the SSE Extensions"; vol. 2, the exception lists of PSHUFB, SHA256RNDS2
 * and friends).  After kexec nobody promises them: Linux's
 * relocate_kernel_64.S sets CR4 to PAE (| LA57) alone, clearing OSFXSR,
 * and only happens to clear TS and EM in CR0; other kernels and
 * hypervisors' kexec need not.  With the old kernel's IDT gone, any of
 * these exceptions would triple-fault the machine, so set the bits here.
 * The target's entry does not care: it programs CR0 and CR4 itself before
 * it uses SSE.  OSXMMEXCPT only routes SIMD floating-point exceptions,
 * which the integer SHA code never raises; set as the SDM asks.
 */
static void sse_enable(void)
{
	unsigned long cr0, cr4;

	asm volatile("mov %%cr0, %0" : "=r" (cr0));
	asm volatile("mov %0, %%cr0" : : "r" (cr0 & ~(X86_CR0_EM | X86_CR0_TS)));
	asm volatile("mov %%cr4, %0" : "=r" (cr4));
	asm volatile("mov %0, %%cr4" : : "r" (cr4 | X86_CR4_OSFXSR |
					       X86_CR4_OSXMMEXCPT));
}

/* Return: 1 if sha256_blocks_ni may run here (SSE now enabled), -1 if
 * not. */
static int probe_ni(void)
{
	if (!sha256_ni_cpu())
		return -1;
	sse_enable();
	return 1;
}

void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	if (!use_ni)
		use_ni = probe_ni();
	if (use_ni > 0)
		sha256_blocks_ni(h, p, nblocks);
	else
		sha256_blocks_generic(h, p, nblocks);
}
