/* purgatory (x86_64): the blob's entry and its exit into the target kernel.
 * Runs between two kernels: the shim kernel's kexec jumps to
 * purgatory_start in 64-bit long mode, on page tables that identity-map all
 * RAM, interrupts off.  The stack, GDT and IDT still point into the old
 * kernel, which is gone: use none of them.  Everything is addressed
 * RIP-relative because the blob runs wherever the loader put it. */

#define __BOOT_CS	0x10
#define __BOOT_DS	0x18

	.section .text.entry, "ax", @progbits
	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	cli
	/* The C ABI wants DF clear on function entry; rep stosb below too. */
	cld

	/* Clear .bss (not the stack above it).  kexec zero-fills the memsz
	 * tail of a segment, but not relying on that costs four lines. */
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	subq	%rdi, %rcx
	xorl	%eax, %eax
	rep stosb

	/* Our own stack, 16-byte aligned by the linker script, so the callee
	 * sees the ABI's rsp % 16 == 8 after the call. */
	leaq	__stack_top(%rip), %rsp
	/* Before anything prints: an MMIO UART is not in kexec's identity
	 * map. */
	leaq	purgatory_args(%rip), %rdi
	call	x86_console_map
	leaq	purgatory_args(%rip), %rdi
	call	purgatory_main

	/* purgatory_main enters the kernel or halts; never come back. */
	jmp	arch_halt
	.size	purgatory_start, . - purgatory_start

/*
 * void arch_enter_kernel(uint64_t entry, const uint64_t regs[4])
 *   rdi = entry, rsi = regs
 *
 * boot.rst, 64-bit boot protocol: "At entry, the CPU must be in 64-bit mode
 * with paging enabled. [...] a GDT must be loaded with the descriptors for
 * selectors __BOOT_CS(0x10) and __BOOT_DS(0x18); both descriptors must be 4G
 * flat segment; __BOOT_CS must have execute/read permission, and __BOOT_DS
 * must have read/write permission; CS must be __BOOT_CS and DS, ES, SS must
 * be __BOOT_DS; interrupt must be disabled; %rsi must hold the base address
 * of the struct boot_params."
 */
	.text
	.globl	arch_enter_kernel
	.type	arch_enter_kernel, @function
arch_enter_kernel:
	cli

	/* The GDT's linear base depends on where the blob was loaded, so the
	 * pseudo-descriptor is completed here, not by the linker. */
	leaq	gdt(%rip), %rax
	movq	%rax, gdt_desc + 2(%rip)
	lgdt	gdt_desc(%rip)

	/* CS cannot be the target of a mov.  A far return pops RIP, then CS
	 * (lretq: two 8-byte slots), so push the selector first. */
	leaq	1f(%rip), %rax
	pushq	$__BOOT_CS
	pushq	%rax
	lretq
1:
	movl	$__BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	/* Not required by boot.rst, but leaves no base from the old kernel
	 * (loading a selector sets the FS/GS base to the descriptor's, 0). */
	movl	%eax, %fs
	movl	%eax, %gs

	/* Reach the entry through ret so that every register but rsi (and
	 * rsp, our stack: the kernel sets up its own first thing) is zero,
	 * like the 32-bit protocol asks and no 64-bit kernel minds. */
	pushq	%rdi
	movq	(%rsi), %rsi		/* regs[0]: struct boot_params */
	xorl	%eax, %eax
	xorl	%ebx, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%edi, %edi
	xorl	%ebp, %ebp
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%r12d, %r12d
	xorl	%r13d, %r13d
	xorl	%r14d, %r14d
	xorl	%r15d, %r15d
	ret
	.size	arch_enter_kernel, . - arch_enter_kernel

	.data
	/* Descriptors as boot.rst asks for them: base 0, limit 0xfffff with
	 * G=1 (4 GiB, flat).  The accessed bit is preset (type 0xb / 0x3) so
	 * the CPU never has to write to this table when loading a selector. */
	.balign	16
gdt:
	.quad	0			/* 0x00: null */
	.quad	0			/* 0x08: unused */
	/* 0x10 __BOOT_CS: P=1 DPL=0 code execute/read, L=1 (64-bit), D=0 */
	.quad	0x00af9b000000ffff
	/* 0x18 __BOOT_DS: P=1 DPL=0 data read/write, D/B=1 */
	.quad	0x00cf93000000ffff
gdt_end:

	/* lgdt operand: 16-bit limit, then the 64-bit base stored above. */
	.balign	8
	.skip	6			/* pad: puts the base 8-byte aligned */
gdt_desc:
	.word	gdt_end - gdt - 1
	.quad	0

	.section .note.GNU-stack, "", @progbits
