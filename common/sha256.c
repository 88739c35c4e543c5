/* SHA-256 (FIPS 180-4).  Runs in two places: in the purgatory, between two
 * kernels, freestanding (no libc at all), and in the kexshim program, which
 * computes the digests the purgatory later checks.  So: only <stdint.h> and
 * <stddef.h>, byte copies by hand, no tables of pointers. */
#include "common/sha256.h"

/* FIPS 180-4 4.2.2: first 32 bits of the fractional parts of the cube roots
 * of the first 64 primes. */
static const uint32_t k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror32(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

/* SHA-256 is big-endian on the wire; GCC turns this into one bswap. */
static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* FIPS 180-4 4.1.2, functions (4.2) to (4.7). */
#define CH(x, y, z)	(((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z)	(((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x)	(ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22))
#define BSIG1(x)	(ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25))
#define SSIG0(x)	(ror32(x, 7) ^ ror32(x, 18) ^ ((x) >> 3))
#define SSIG1(x)	(ror32(x, 17) ^ ror32(x, 19) ^ ((x) >> 10))

/* One round of 6.2.2 step 3.  Instead of shifting eight variables every
 * round, the callers rotate the names, so a round costs no moves. */
#define ROUND(a, b, c, d, e, f, g, h, i) do {				\
	uint32_t t1 = (h) + BSIG1(e) + CH(e, f, g) + k[i] + w[i];	\
	uint32_t t2 = BSIG0(a) + MAJ(a, b, c);				\
	(d) += t1;							\
	(h) = t1 + t2;							\
} while (0)

void sha256_blocks_generic(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
	uint32_t w[64];
	uint32_t a, b, c, d, e, f, g, hh;
	unsigned int i;

	for (; nblocks; nblocks--, p += SHA256_BLOCK_SIZE) {
		/* 6.2.2 step 1: the message schedule. */
		for (i = 0; i < 16; i++)
			w[i] = load_be32(p + 4 * i);
		for (i = 16; i < 64; i++)
			w[i] = SSIG1(w[i - 2]) + w[i - 7] +
			       SSIG0(w[i - 15]) + w[i - 16];

		a = h[0];
		b = h[1];
		c = h[2];
		d = h[3];
		e = h[4];
		f = h[5];
		g = h[6];
		hh = h[7];

		/* Eight rounds per iteration bring the names back home. */
		for (i = 0; i < 64; i += 8) {
			ROUND(a, b, c, d, e, f, g, hh, i + 0);
			ROUND(hh, a, b, c, d, e, f, g, i + 1);
			ROUND(g, hh, a, b, c, d, e, f, i + 2);
			ROUND(f, g, hh, a, b, c, d, e, i + 3);
			ROUND(e, f, g, hh, a, b, c, d, i + 4);
			ROUND(d, e, f, g, hh, a, b, c, i + 5);
			ROUND(c, d, e, f, g, hh, a, b, i + 6);
			ROUND(b, c, d, e, f, g, hh, a, i + 7);
		}

		h[0] += a;
		h[1] += b;
		h[2] += c;
		h[3] += d;
		h[4] += e;
		h[5] += f;
		h[6] += g;
		h[7] += hh;
	}
}

void sha256_init(struct sha256_ctx *ctx)
{
	/* FIPS 180-4 5.3.3: square roots of the first eight primes. */
	ctx->h[0] = 0x6a09e667;
	ctx->h[1] = 0xbb67ae85;
	ctx->h[2] = 0x3c6ef372;
	ctx->h[3] = 0xa54ff53a;
	ctx->h[4] = 0x510e527f;
	ctx->h[5] = 0x9b05688c;
	ctx->h[6] = 0x1f83d9ab;
	ctx->h[7] = 0x5be0cd19;
	ctx->len = 0;
	ctx->buflen = 0;
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t n;

	ctx->len += len;

	/* Top up a partial block first. */
	if (ctx->buflen) {
		while (len && ctx->buflen < SHA256_BLOCK_SIZE) {
			ctx->buf[ctx->buflen++] = *p++;
			len--;
		}
		if (ctx->buflen < SHA256_BLOCK_SIZE)
			return;
		sha256_blocks(ctx->h, ctx->buf, 1);
		ctx->buflen = 0;
	}

	/* Whole blocks straight from the caller's memory: no copy, which is
	 * what matters when the purgatory hashes a 30 MB initrd. */
	n = len / SHA256_BLOCK_SIZE;
	if (n) {
		sha256_blocks(ctx->h, p, n);
		p += n * SHA256_BLOCK_SIZE;
		len -= n * SHA256_BLOCK_SIZE;
	}

	while (len--)
		ctx->buf[ctx->buflen++] = *p++;
}

void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint64_t bits = ctx->len * 8;
	unsigned int i;

	/* FIPS 180-4 5.1.1: a 1 bit, zeros up to 448 mod 512, then the
	 * message length in bits as a 64-bit big-endian number. */
	ctx->buf[ctx->buflen++] = 0x80;
	if (ctx->buflen > SHA256_BLOCK_SIZE - 8) {
		while (ctx->buflen < SHA256_BLOCK_SIZE)
			ctx->buf[ctx->buflen++] = 0;
		sha256_blocks(ctx->h, ctx->buf, 1);
		ctx->buflen = 0;
	}
	while (ctx->buflen < SHA256_BLOCK_SIZE - 8)
		ctx->buf[ctx->buflen++] = 0;
	store_be32(ctx->buf + 56, bits >> 32);
	store_be32(ctx->buf + 60, bits);
	sha256_blocks(ctx->h, ctx->buf, 1);
	ctx->buflen = 0;

	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, ctx->h[i]);
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(&ctx, out);
}
