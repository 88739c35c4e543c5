/* purgatory (arm64): the blob's entry (its exit into the target kernel is
 * enter_kernel.S).  Runs between two kernels: the shim kernel's kexec
 * (cpu_soft_restart) branches to purgatory_start at EL2 or EL1 with the
 * MMU and D-cache off and x0 = 0 (kexec_load passes no argument).  The
 * old kernel's stack and vectors are gone.  Everything is addressed
 * PC-relative because the blob runs wherever the loader put it; adrp
 * (which GCC uses for every global) is relative to the 4 KiB page, so the
 * loader must place the blob 4 KiB aligned, which is checked first. */

	.section .text.entry, "ax", %progbits
	.globl	purgatory_start
	.type	purgatory_start, %function
purgatory_start:
	/* Masked already by cpu_soft_restart; a stray interrupt would go to
	 * vectors that no longer exist, so make sure. */
	msr	daifset, #0xf

	/* A blob off its 4 KiB alignment would make every adrp below, and
	 * in the C code, point elsewhere: nothing can run, not even the
	 * console, so just stop. */
	adr	x9, purgatory_args
	tst	x9, #0xfff
	b.ne	.Lhang

	/* Own stack on SP_ELx, which exceptions at this EL use too. */
	msr	spsel, #1
	adrp	x9, __stack_top
	add	x9, x9, :lo12:__stack_top
	mov	sp, x9

	/* Clear .bss.  The linker script aligns both ends to 16 bytes: with
	 * the MMU off this is Device memory, where an unaligned store
	 * faults. */
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	stp	xzr, xzr, [x9], #16
	b	1b
2:
	/* Our own vectors, so a fault here is reported instead of jumping
	 * into whatever replaced the old kernel's. */
	adrp	x9, purgatory_vectors
	add	x9, x9, :lo12:purgatory_vectors
	mrs	x10, CurrentEL
	cmp	x10, #(2 << 2)
	b.eq	3f
	msr	vbar_el1, x9
	b	4f
3:	msr	vbar_el2, x9
4:	isb

	/* The MMU and caches on over an identity map of what we touch
	 * (mmu.c), so the hashing is not one uncached access at a time;
	 * vectors first, so that a fault in there is reported. */
	adrp	x0, purgatory_args
	add	x0, x0, :lo12:purgatory_args
	bl	arm64_mmu_on

	adrp	x0, purgatory_args
	add	x0, x0, :lo12:purgatory_args
	bl	purgatory_main

	/* purgatory_main enters the kernel or halts; never come back. */
	b	arch_halt

.Lhang:
	wfi
	b	.Lhang
	.size	purgatory_start, . - purgatory_start

	.section .note.GNU-stack, "", %progbits
