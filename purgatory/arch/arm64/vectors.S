/* purgatory (arm64): exception vectors, installed by entry.S.  Runs only if
 * something faults between two kernels (an alignment fault on Device memory
 * with the MMU off, an instruction trapped by a higher EL, ...): the old
 * kernel's VBAR points into freed memory, so without these a fault would
 * wander off silently.  Every slot reports itself and halts. */

	.section .text.vectors, "ax", %progbits
	/* Arm ARM: VBAR_ELx bits [10:0] are RES0, the table is 2 KiB
	 * aligned; the linker script keeps the offset, the 4 KiB-aligned
	 * load address (checked in entry.S) keeps the alignment. */
	.balign	2048
	.globl	purgatory_vectors
purgatory_vectors:
	/* 16 slots of 0x80 bytes: {current EL SP0, current EL SPx, lower EL
	 * AArch64, lower EL AArch32} x {sync, IRQ, FIQ, SError}. */
	.set	.Lslot, 0
	.rept	16
	.balign	128
	mov	x0, #.Lslot
	b	vector_common
	.set	.Lslot, .Lslot + 0x80
	.endr

vector_common:
	/* sp may be what faulted; we never return, so restart the stack. */
	adrp	x9, __stack_top
	add	x9, x9, :lo12:__stack_top
	mov	sp, x9
	bl	arm64_exception
	b	arch_halt

	.section .note.GNU-stack, "", %progbits
