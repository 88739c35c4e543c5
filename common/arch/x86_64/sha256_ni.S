/* common (x86_64): SHA-256 compression with the Intel SHA extensions
 * (SHA-NI).  Runs in the purgatory, between two kernels, and in kexshim
 * itself; each side's sha256_blocks.c calls it only after CPUID reported
 * SHA, SSSE3 and SSE4.1 (and, in the purgatory, after it enabled SSE in
 * CR0/CR4 itself).  Assembly because the purgatory's C is built with
 * -mgeneral-regs-only.
 *
 * void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t nblocks)
 *   rdi = h (any alignment), rsi = p (any alignment), rdx = nblocks
 *
 * Instruction semantics (Intel SDM vol. 2, SHA256RNDS2/MSG1/MSG2), lane 0
 * being the lowest 32 bits, lanes written high to low as (3, 2, 1, 0):
 *   sha256rnds2 S, D   D = (C, D, G, H), S = (A, B, E, F), xmm0 lanes 0
 *                      and 1 = W+K of two rounds: two rounds, D becomes
 *                      the new (A, B, E, F); the old S is the new CDGH
 *   sha256msg1  S, D   D = W[i..i+3], S lane 0 = W[i+4]:
 *                      D += sigma0(W[i+1..i+4])
 *   sha256msg2  S, D   D = (msg1 result) + W[i+9..i+12],
 *                      S = W[i+12..i+15]: D = W[i+16..i+19]
 * pshufb and palignr are SSSE3, pblendw SSE4.1; nothing here needs more
 * than the legacy SSE state (no VEX, no AVX).
 *
 * Registers: xmm0 W+K (implicit operand of sha256rnds2), xmm1 ABEF,
 * xmm2 CDGH, xmm3-xmm6 the message schedule (16 words, rotating), xmm7
 * scratch, xmm8 the byte-swap mask, xmm9/xmm10 the state at block start.
 * SysV saves no xmm register, and rax holds the constants' address.
 */

	.section .rodata
	.balign	16
	/* FIPS 180-4 4.2.2: the 64 round constants K (paddd with a memory
	 * operand wants them 16-byte aligned). */
.Lk:
	.long	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
	.long	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
	.long	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
	.long	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
	.long	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
	.long	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
	.long	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
	.long	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
	.long	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
	.long	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
	.long	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
	.long	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
	.long	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
	.long	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
	.long	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
	.long	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
	/* pshufb mask: reverse the bytes of each 32-bit lane (SHA-256 words
	 * are big-endian). */
.Lbswap32:
	.byte	3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12

/*
 * Rounds 4j..4j+3.  xmm\cur holds the schedule quad Q_j = W[4j..4j+3]
 * (with \load set, it is read from the block first); xmm\prev holds
 * Q_{j-1} and xmm\next Q_{j-3}, already run through sha256msg1.  Then:
 *   \su2: Q_{j+1} = msg2(msg1(Q_{j-3}, Q_{j-2}) + W[4j-3..4j], Q_j)
 *         into xmm\next, needed by the next quad (j = 3..14)
 *   \su1: xmm\prev = msg1(Q_{j-1}, Q_j), the first half of Q_{j+3}
 *         (j = 1..12); after \su2, which still reads Q_{j-1}
 * The schedule work sits between the two sha256rnds2 so that it overlaps
 * their latency.
 */
	.macro	quad j, cur, prev, next, load, su2, su1
	.if	\load
	movdqu	(\j * 16)(%rsi), %xmm\cur
	pshufb	%xmm8, %xmm\cur
	.endif
	movdqa	%xmm\cur, %xmm0
	paddd	(\j * 16)(%rax), %xmm0
	sha256rnds2 %xmm0, %xmm1, %xmm2
	.if	\su2
	movdqa	%xmm\cur, %xmm7
	palignr	$4, %xmm\prev, %xmm7	/* W[4j-3..4j] */
	paddd	%xmm7, %xmm\next
	sha256msg2 %xmm\cur, %xmm\next
	.endif
	pshufd	$0x0e, %xmm0, %xmm0	/* W+K of the other two rounds */
	sha256rnds2 %xmm0, %xmm2, %xmm1
	.if	\su1
	sha256msg1 %xmm\cur, %xmm\prev
	.endif
	.endm

	.text
	.globl	sha256_blocks_ni
	.type	sha256_blocks_ni, @function
sha256_blocks_ni:
	testq	%rdx, %rdx
	jz	2f

	leaq	.Lk(%rip), %rax
	movdqa	.Lbswap32(%rip), %xmm8

	/* h[] is (d, c, b, a) and (h, g, f, e); the rounds want ABEF and
	 * CDGH. */
	movdqu	0(%rdi), %xmm1
	movdqu	16(%rdi), %xmm2
	pshufd	$0xb1, %xmm1, %xmm1	/* (c, d, a, b) */
	pshufd	$0x1b, %xmm2, %xmm2	/* (e, f, g, h) */
	movdqa	%xmm1, %xmm7
	palignr	$8, %xmm2, %xmm1	/* (a, b, e, f) */
	pblendw	$0xf0, %xmm7, %xmm2	/* (c, d, g, h) */

1:	movdqa	%xmm1, %xmm9
	movdqa	%xmm2, %xmm10

	/* Q_j lives in xmm(3 + j % 4). */
	quad	0,  3, 6, 4, 1, 0, 0
	quad	1,  4, 3, 5, 1, 0, 1
	quad	2,  5, 4, 6, 1, 0, 1
	quad	3,  6, 5, 3, 1, 1, 1
	quad	4,  3, 6, 4, 0, 1, 1
	quad	5,  4, 3, 5, 0, 1, 1
	quad	6,  5, 4, 6, 0, 1, 1
	quad	7,  6, 5, 3, 0, 1, 1
	quad	8,  3, 6, 4, 0, 1, 1
	quad	9,  4, 3, 5, 0, 1, 1
	quad	10, 5, 4, 6, 0, 1, 1
	quad	11, 6, 5, 3, 0, 1, 1
	quad	12, 3, 6, 4, 0, 1, 1
	quad	13, 4, 3, 5, 0, 1, 0
	quad	14, 5, 4, 6, 0, 1, 0
	quad	15, 6, 5, 3, 0, 0, 0

	/* FIPS 180-4 6.2.2 step 4: add the block's result to the state. */
	paddd	%xmm9, %xmm1
	paddd	%xmm10, %xmm2
	addq	$64, %rsi
	decq	%rdx
	jnz	1b

	/* Back from ABEF/CDGH to (d, c, b, a) and (h, g, f, e). */
	pshufd	$0x1b, %xmm1, %xmm1	/* (f, e, b, a) */
	pshufd	$0xb1, %xmm2, %xmm2	/* (d, c, h, g) */
	movdqa	%xmm1, %xmm7
	pblendw	$0xf0, %xmm2, %xmm1	/* (d, c, b, a) */
	palignr	$8, %xmm7, %xmm2	/* (h, g, f, e) */
	movdqu	%xmm1, 0(%rdi)
	movdqu	%xmm2, 16(%rdi)
2:	ret
	.size	sha256_blocks_ni, . - sha256_blocks_ni

	.section .note.GNU-stack, "", @progbits
