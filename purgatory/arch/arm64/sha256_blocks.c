/* purgatory (arm64): SHA-256 block function, runs between two kernels at
 * EL2 or EL1, over mmu.c's identity map with the caches on (or, when that
 * could not be built, with the MMU off).  Uses the ARMv8 SHA-2 instructions
 * (common/arch/arm64/sha256_ce.S) when ID_AA64ISAR0_EL1 says the CPU has them: that is where
 * nearly all of the purgatory's time goes.  Otherwise the portable C one. */
#include "arm64.h"
#include "common/sha256.h"

/* Arm ARM, ID_AA64ISAR0_EL1.SHA2, bits [15:12]: 0b0000 none,
 * 0b0001 SHA256H/H2/SU0/SU1, 0b0010 those plus SHA-512.  Unsigned field:
 * any value >= 1 has the SHA-256 instructions. */
#define ID_AA64ISAR0_SHA2_SHIFT	12
#define ID_AA64ISAR0_SHA2_MASK	0xfu

#define CPACR_EL1_FPEN		(3ull << 20)	/* no FP/SIMD trap at EL1/0 */
#define CPTR_EL2_TFP		(1ull << 10)	/* E2H == 0: trap FP/SIMD */
#define CPTR_EL2_E2H_FPEN	(3ull << 20)	/* E2H == 1: CPACR layout */
#define HCR_EL2_E2H		(1ull << 34)

/* Arm ARM: ID_AA64PFR0_EL1.SVE, bits [35:32], nonzero with SVE; its trap
 * controls (the FPEN ones' neighbours); ZCR_EL1/ZCR_EL2 by encoding, so
 * the assembler needs no +sve. */
#define ID_AA64PFR0_SVE_SHIFT	32
#define ID_AA64PFR0_SVE_MASK	0xfull
#define CPACR_EL1_ZEN		(3ull << 16)	/* no SVE trap at EL1/0 */
#define CPTR_EL2_TZ		(1ull << 8)	/* E2H == 0: trap SVE */
#define CPTR_EL2_E2H_ZEN	(3ull << 16)	/* E2H == 1: CPACR layout */

void sha256_blocks_ce(uint32_t h[8], const uint8_t *p, size_t nblocks);

/* Probed on the first call: 0 not yet, 1 SHA-2 instructions, -1 C.  In
 * .bss, cleared by entry.S. */
static int use_ce;

/*
 * The SHA-2 instructions work on SIMD registers, and the old kernel may
 * leave FP/SIMD trapped (Linux at EL1 enables CPACR_EL1.FPEN, but nothing
 * promises it for EL2 after kexec).  Untrap it at our own EL; a trap set by
 * a higher EL (a hypervisor) is its to handle.
 */
static void fpsimd_untrap(void)
{
	if (current_el() == 1) {
		write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | CPACR_EL1_FPEN);
	} else if (read_sysreg(hcr_el2) & HCR_EL2_E2H) {
		write_sysreg(cptr_el2, read_sysreg(cptr_el2) | CPTR_EL2_E2H_FPEN);
	} else {
		write_sysreg(cptr_el2, read_sysreg(cptr_el2) & ~CPTR_EL2_TFP);
	}
	asm volatile("isb" : : : "memory");
}

/*
 * Why (found by test/qemu/chain-arm64.sh): with SVE every AdvSIMD
 * instruction also zeroes its register above bit 127 up to the current
 * vector length, ZCR_ELx.LEN as the old kernel left it (Linux's default is
 * 512 bits).  Free in silicon, but under QEMU's TCG every SHA-2 step then
 * clears that tail too: the chain's 58 MB took 1.33 s instead of 0.87 s.
 * The shortest length (LEN = 0, 128 bits) leaves no tail.  Harmless to the
 * target: booting.rst asks nothing of ZCR_EL1 and Linux programs it before
 * it uses SVE; entered at EL2 it initialises ZCR_EL2 itself (el2_setup.h),
 * and from EL1 ZCR_EL2 is left alone.  As for FP, a trap set by a higher
 * EL (a hypervisor that advertises SVE) is its to handle.
 */
static void sve_vl_min(void)
{
	if (!((read_sysreg(id_aa64pfr0_el1) >> ID_AA64PFR0_SVE_SHIFT) &
	      ID_AA64PFR0_SVE_MASK))
		return;
	if (current_el() == 1) {
		write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | CPACR_EL1_ZEN);
		asm volatile("isb" : : : "memory");
		write_sysreg(s3_0_c1_c2_0, 0);		/* ZCR_EL1 */
	} else {
		if (read_sysreg(hcr_el2) & HCR_EL2_E2H)
			write_sysreg(cptr_el2, read_sysreg(cptr_el2) |
				     CPTR_EL2_E2H_ZEN);
		else
			write_sysreg(cptr_el2, read_sysreg(cptr_el2) &
				     ~CPTR_EL2_TZ);
		asm volatile("isb" : : : "memory");
		write_sysreg(s3_4_c1_c2_0, 0);		/* ZCR_EL2 */
	}
	asm volatile("isb" : : : "memory");
}

/* Test-only builds (test/purgatory/) define PURGATORY_SHA256_GENERIC to
 * run the portable path: no QEMU CPU model lacks the SHA-2 instructions. */
#ifdef PURGATORY_SHA256_GENERIC
#define PROBE_CE 0
#else
#define PROBE_CE 1
#endif

/* Return: 1 if sha256_blocks_ce may run here, -1 if not. */
static int probe_ce(void)
{
	unsigned int el = current_el();

	if (!PROBE_CE)
		return -1;
	/* booting.rst enters kernels at EL2 or EL1, and so does kexec. */
	if (el != 1 && el != 2)
		return -1;
	if (!((read_sysreg(id_aa64isar0_el1) >> ID_AA64ISAR0_SHA2_SHIFT) &
	      ID_AA64ISAR0_SHA2_MASK))
		return -1;
	fpsimd_untrap();
	sve_vl_min();
	return 1;
}

void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	if (!use_ce)
		use_ce = probe_ce();
	if (use_ce > 0)
		sha256_blocks_ce(h, p, nblocks);
	else
		sha256_blocks_generic(h, p, nblocks);
}
