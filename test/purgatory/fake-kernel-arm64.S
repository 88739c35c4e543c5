/* test/purgatory: a stand-in for the target kernel, entered by the arm64
 * purgatory under bare-metal QEMU (-M virt, no firmware).  Runs in the
 * state booting.rst promises a kernel and reports it on the virt board's
 * PL011 (0x09000000):
 *
 *   FAKE-KERNEL x0=<16 hex> x1=<> x2=<> x3=<> el=<n> sctlr=<16 hex> m=<0|1> c=<> i=<> daif=<16 hex>
 *
 * sctlr is SCTLR_EL2 or SCTLR_EL1 as read at entry, el being 2 or not; m,
 * c and i are its bits 0 (MMU), 2 (D-cache) and 12 (I-cache).  The UART
 * is written with the MMU off, as the kernel's earlycon would. 
 * then powers QEMU off through PSCI SYSTEM_OFF.  Position independent
 * (adr only), linked at 0, loaded anywhere. */

#define UART_BASE	0x09000000
#define PSCI_SYSTEM_OFF	0x84000008	/* PSCI 1.1, SMC32 function id */

	.text
	.globl	_start
_start:
	/* Keep what we were given before anything clobbers it. */
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mrs	x23, CurrentEL
	lsr	x23, x23, #2
	cmp	x23, #2
	b.eq	1f
	mrs	x24, sctlr_el1
	b	2f
1:	mrs	x24, sctlr_el2
2:	mrs	x25, daif
	mov	x26, #UART_BASE

	adr	x0, .Lbanner
	bl	puts
	mov	x0, x19
	bl	puthex
	adr	x0, .Lx1
	bl	puts
	mov	x0, x20
	bl	puthex
	adr	x0, .Lx2
	bl	puts
	mov	x0, x21
	bl	puthex
	adr	x0, .Lx3
	bl	puts
	mov	x0, x22
	bl	puthex
	adr	x0, .Lel
	bl	puts
	add	w0, w23, #'0'
	bl	putc
	adr	x0, .Lsctlr
	bl	puts
	mov	x0, x24
	bl	puthex
	adr	x0, .Lm
	bl	puts
	ubfx	x0, x24, #0, #1
	add	w0, w0, #'0'
	bl	putc
	adr	x0, .Lc
	bl	puts
	ubfx	x0, x24, #2, #1
	add	w0, w0, #'0'
	bl	putc
	adr	x0, .Li
	bl	puts
	ubfx	x0, x24, #12, #1
	add	w0, w0, #'0'
	bl	putc
	adr	x0, .Ldaif
	bl	puts
	mov	x0, x25
	bl	puthex
	mov	w0, #'\r'
	bl	putc
	mov	w0, #'\n'
	bl	putc

	/* QEMU's built-in PSCI listens on hvc when the guest has no EL2,
	 * and on smc when it has (-M virt,virtualization=on). */
	ldr	w0, =PSCI_SYSTEM_OFF
	cmp	x23, #2
	b.eq	3f
	hvc	#0
	b	.
3:	smc	#0
	b	.

/* putc(w0): PL011 DR; QEMU's model never reports the FIFO full. */
putc:
	str	w0, [x26]
	ret

/* puts(x0): NUL-terminated string. */
puts:
	mov	x9, x30
	mov	x10, x0
4:	ldrb	w0, [x10], #1
	cbz	w0, 5f
	bl	putc
	b	4b
5:	ret	x9

/* puthex(x0): "0x" and 16 hex digits. */
puthex:
	mov	x9, x30
	mov	x10, x0
	mov	w0, #'0'
	bl	putc
	mov	w0, #'x'
	bl	putc
	mov	x11, #60
6:	lsr	x0, x10, x11
	and	x0, x0, #0xf
	cmp	x0, #10
	add	x12, x0, #'0'
	add	x13, x0, #('a' - 10)
	csel	x0, x12, x13, lo
	bl	putc
	subs	x11, x11, #4
	b.ge	6b
	ret	x9

.Lbanner:	.asciz	"FAKE-KERNEL x0="
.Lx1:		.asciz	" x1="
.Lx2:		.asciz	" x2="
.Lx3:		.asciz	" x3="
.Lel:		.asciz	" el="
.Lsctlr:	.asciz	" sctlr="
.Lm:		.asciz	" m="
.Lc:		.asciz	" c="
.Li:		.asciz	" i="
.Ldaif:		.asciz	" daif="
	.balign	4
	.ltorg
