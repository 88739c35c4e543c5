/* common (arm64): SHA-256 compression with the ARMv8 Cryptographic
 * Extension (FEAT_SHA256).  Runs in the purgatory, between two kernels,
 * and in kexshim itself; each side's sha256_blocks.c calls it only after it
 * found the instructions (and, in the purgatory, untrapped FP/SIMD).  Assembly because the purgatory's C is built with
 * -mgeneral-regs-only.
 *
 * void sha256_blocks_ce(uint32_t h[8], const uint8_t *p, size_t nblocks)
 *   x0 = h (4-byte aligned), x1 = p (any alignment), x2 = nblocks
 *
 * Instruction semantics (Arm ARM, SHA256H/H2/SU0/SU1 pseudocode), lane 0 being
 * the lowest 32 bits:
 *   sha256h   Qd=abcd, Qn=efgh, Vm=W+K: four rounds, returns new abcd
 *   sha256h2  Qd=efgh, Qn=abcd as it was BEFORE sha256h, Vm=W+K:
 *             the same four rounds, returns new efgh
 *   sha256su0 Vd=W[i..i+3], Vn=W[i+4..i+7]: Vd += sigma0(W[i+1..i+4])
 *   sha256su1 Vd=(su0 result), Vn=W[i+8..i+11], Vm=W[i+12..i+15]:
 *             Vd += W[i+9..i+12] + sigma1(W[i+14..i+17]) = W[i+16..i+19]
 *
 * Registers: v0 abcd, v1 efgh, v2/v3 their values at block start, v4-v7
 * the message schedule (16 words, rotating), v8 abcd before each sha256h,
 * v9 W+K, v16-v31 the 64 round constants.  AAPCS64 wants d8/d9 back.
 *
 * With the MMU off (the purgatory's fallback when it cannot map what it
 * hashes) every load is a Device access, and a Device access must
 * be aligned to its element size.  Little-endian ld1 fills a register with
 * the same bytes whatever the element size, so: 8-byte elements when p is
 * 8-byte aligned (every kexec segment; ctx->buf), else 1-byte elements,
 * which any p satisfies.  Device-nGnRnE reads may not be merged, so on
 * hardware the wider elements should mean 8 bus reads per block instead of
 * 64; under TCG the two cost the same.  h and the constants are loaded as
 * .4s and are 4-byte aligned.
 */
	.arch	armv8-a+crypto

	.section .rodata
	.balign	16
	/* FIPS 180-4 4.2.2: the 64 round constants K. */
.Lk:
	.word	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
	.word	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
	.word	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
	.word	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
	.word	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
	.word	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
	.word	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
	.word	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
	.word	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
	.word	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
	.word	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
	.word	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
	.word	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
	.word	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
	.word	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
	.word	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2

/*
 * Four rounds with constants v\k and schedule words v\w.  With \next set,
 * v\w is then replaced by the words four quads ahead (v\w1..v\w3 being the
 * next three quads), once W+K has been taken from it.
 */
	.macro	quad k, w, w1, w2, w3, next
	add	v9.4s, v\w\().4s, v\k\().4s
	.if	\next
	sha256su0 v\w\().4s, v\w1\().4s
	.endif
	mov	v8.16b, v0.16b
	sha256h	q0, q1, v9.4s
	sha256h2 q1, q8, v9.4s
	.if	\next
	sha256su1 v\w\().4s, v\w2\().4s, v\w3\().4s
	.endif
	.endm

	.text
	.globl	sha256_blocks_ce
	.type	sha256_blocks_ce, %function
sha256_blocks_ce:
	cbz	x2, 2f
	stp	d8, d9, [sp, #-16]!

	adrp	x8, .Lk
	add	x8, x8, :lo12:.Lk
	ld1	{v16.4s-v19.4s}, [x8], #64
	ld1	{v20.4s-v23.4s}, [x8], #64
	ld1	{v24.4s-v27.4s}, [x8], #64
	ld1	{v28.4s-v31.4s}, [x8]
	ld1	{v0.4s, v1.4s}, [x0]
	and	x9, x1, #7		/* p advances by 64: decided once */

1:	cbnz	x9, 3f
	ld1	{v4.2d-v7.2d}, [x1], #64
	b	4f
3:	ld1	{v4.16b-v7.16b}, [x1], #64
4:	/* SHA-256 words are big-endian. */
	rev32	v4.16b, v4.16b
	rev32	v5.16b, v5.16b
	rev32	v6.16b, v6.16b
	rev32	v7.16b, v7.16b
	mov	v2.16b, v0.16b
	mov	v3.16b, v1.16b

	/* Rounds 0-47 also extend the schedule; 48-63 use what is left. */
	quad	16, 4, 5, 6, 7, 1
	quad	17, 5, 6, 7, 4, 1
	quad	18, 6, 7, 4, 5, 1
	quad	19, 7, 4, 5, 6, 1
	quad	20, 4, 5, 6, 7, 1
	quad	21, 5, 6, 7, 4, 1
	quad	22, 6, 7, 4, 5, 1
	quad	23, 7, 4, 5, 6, 1
	quad	24, 4, 5, 6, 7, 1
	quad	25, 5, 6, 7, 4, 1
	quad	26, 6, 7, 4, 5, 1
	quad	27, 7, 4, 5, 6, 1
	quad	28, 4, 5, 6, 7, 0
	quad	29, 5, 6, 7, 4, 0
	quad	30, 6, 7, 4, 5, 0
	quad	31, 7, 4, 5, 6, 0

	/* FIPS 180-4 6.2.2 step 4: add the block's result to the state. */
	add	v0.4s, v0.4s, v2.4s
	add	v1.4s, v1.4s, v3.4s
	subs	x2, x2, #1
	b.ne	1b

	st1	{v0.4s, v1.4s}, [x0]
	ldp	d8, d9, [sp], #16
2:	ret
	.size	sha256_blocks_ce, . - sha256_blocks_ce

	.section .note.GNU-stack, "", %progbits
