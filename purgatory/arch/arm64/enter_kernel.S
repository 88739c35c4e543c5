/* purgatory (arm64): the exit into the target kernel, the last code that
 * runs between two kernels.  mmu.c may have turned the MMU and the caches
 * on for the hashing; they go off here, after everything the caches may
 * hold for the mapped ranges has been written back to memory.
 *
 * void arch_enter_kernel(uint64_t entry, const uint64_t regs[4])
 *   x0 = entry, x1 = regs
 *
 * booting.rst, "Call the kernel image":
 *   "Primary CPU general-purpose register settings: x0 = physical address
 *   of device tree blob (dtb) in system RAM.  x1 = 0 (reserved for future
 *   use) x2 = 0 [...] x3 = 0 [...]"
 *   "All forms of interrupts must be masked in PSTATE.DAIF"
 *   "Caches, MMUs: The MMU must be off.  The instruction cache may be on
 *   or off, and must not hold any stale entries corresponding to the
 *   loaded kernel image.  The address range corresponding to the loaded
 *   kernel image must be cleaned to the PoC.  In the presence of a system
 *   cache or other coherent masters with caches enabled, this will
 *   typically require cache maintenance by VA rather than set/way
 *   operations."
 * Hence, in this order:
 *   1. DC CIVAC by VA, to the PoC, over every Normal range that was mapped
 *      (idmap.h: the segments, our own memory).  Clean: no dirty line of
 *      our stack or bss is left to be written back later over whatever
 *      the target puts there.  Invalidate: no clean line is left either,
 *      which the target, writing with its MMU off, would not update and
 *      would read back stale once its caches are on.  Nothing in between
 *      stores to memory (registers only), or that store would be dirty
 *      again.
 *   2. SCTLR_ELx.M, C and I off.  The I-cache could stay on; off is the
 *      state kexec gave us and the simplest to reason about.  This code
 *      keeps running: the map is an identity, so the next instruction is
 *      at the same address with the MMU off.
 *   3. IC IALLU: no stale instructions; TLBI: none of our translations
 *      outlive us.
 * With the MMU never on (mmu.c fell back), there is nothing to clean and
 * the rest is harmless.  We stay at the EL kexec gave us, as booting.rst
 * asks (EL2 if the CPU was booted there).
 */
#include "idmap.h"

#define SCTLR_M_C_I	((1 << 0) | (1 << 2) | (1 << 12))
#define CTR_DMINLINE_SHIFT	16

	.text
	.globl	arch_enter_kernel
	.type	arch_enter_kernel, %function
arch_enter_kernel:
	msr	daifset, #0xf
	/* Everything the jump needs, in registers: after the clean, no
	 * memory is written, and after the MMU is off, none need be read. */
	mov	x16, x0
	ldp	x19, x20, [x1]
	ldp	x21, x22, [x1, #16]

	/* 1. x10 = D-cache line bytes: CTR_EL0.DminLine is log2 words. */
	mrs	x9, ctr_el0
	ubfx	x9, x9, #CTR_DMINLINE_SHIFT, #4
	mov	x10, #4
	lsl	x10, x10, x9
	sub	x11, x10, #1
	adrp	x12, arm64_idmap
	add	x12, x12, :lo12:arm64_idmap
	ldr	x13, [x12, #IDMAP_NR_CLEAN]
	add	x12, x12, #IDMAP_CLEAN
1:	cbz	x13, 4f
	ldp	x14, x15, [x12], #16	/* [start, end) */
	bic	x14, x14, x11
2:	cmp	x14, x15
	b.hs	3f
	dc	civac, x14
	add	x14, x14, x10
	b	2b
3:	sub	x13, x13, #1
	b	1b
4:	dsb	sy

	/* 2. and 3., with the _EL2 or the _EL1 registers. */
	mov	x9, #SCTLR_M_C_I
	mrs	x10, CurrentEL
	cmp	x10, #(2 << 2)
	b.eq	5f
	mrs	x10, sctlr_el1
	bic	x10, x10, x9
	/* An ISB before the write, as Linux's pre_disable_mmu_workaround
	 * (Falkor erratum E1041): harmless everywhere else. */
	isb
	msr	sctlr_el1, x10
	isb
	ic	iallu
	tlbi	vmalle1
	b	6f
5:	mrs	x10, sctlr_el2
	bic	x10, x10, x9
	isb
	msr	sctlr_el2, x10
	isb
	ic	iallu
	tlbi	alle2
6:	dsb	nsh
	isb

	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	mov	x3, x22
	br	x16
	.size	arch_enter_kernel, . - arch_enter_kernel

	.section .note.GNU-stack, "", %progbits
