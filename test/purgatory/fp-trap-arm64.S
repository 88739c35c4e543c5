/* test/purgatory: started by QEMU in place of the purgatory's entry, to
 * stand for a previous kernel that left its EL in some state it kexec'd
 * from, then branches to the purgatory at PURGATORY_BASE + its args'
 * entry_offset.  Three entries:
 *   +0x00  EL1: CPACR_EL1.FPEN = 0; EL2: CPTR_EL2.TFP = 1 (HCR_EL2.E2H 0)
 *   +0x80  EL2 only: set HCR_EL2.E2H, then CPTR_EL2, which now has the
 *          CPACR layout, with FPEN = 0
 *   +0x100 EL2 only: a VHE host as Linux runs one, HCR_EL2.E2H and TGE
 *          set, FP/SIMD not trapped
 * If the purgatory did not untrap FP/SIMD, its first SHA-2 instruction
 * would take an exception, which its vectors report; under E2H it must
 * program its MMU through the _EL2 registers in their EL1 layouts. */

#define PURGATORY_BASE	0x48000000
#define ARGS_ENTRY_OFF	0x08		/* struct purgatory_args.entry_offset */
#define FPEN		(3 << 20)
#define TFP		(1 << 10)
#define HCR_E2H_BIT	34
#define HCR_TGE_BIT	27

	.text
	.globl	_start
_start:
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.eq	1f
	mrs	x1, cpacr_el1
	bic	x1, x1, #FPEN
	msr	cpacr_el1, x1
	b	enter
1:	mrs	x1, cptr_el2
	orr	x1, x1, #TFP
	msr	cptr_el2, x1
	b	enter

	.org	0x80
e2h_start:
	mrs	x1, hcr_el2
	orr	x1, x1, #(1 << HCR_E2H_BIT)
	msr	hcr_el2, x1
	isb
	mrs	x1, cptr_el2
	bic	x1, x1, #FPEN
	msr	cptr_el2, x1

	b	enter

	.org	0x100
vhe_host:
	mrs	x1, hcr_el2
	orr	x1, x1, #(1 << HCR_E2H_BIT)
	orr	x1, x1, #(1 << HCR_TGE_BIT)
	msr	hcr_el2, x1

enter:
	isb
	mov	x0, #PURGATORY_BASE
	ldr	w1, [x0, #ARGS_ENTRY_OFF]
	add	x1, x0, x1
	mov	x0, xzr			/* as kexec_load: no argument */
	br	x1
