/* SHA-256 (FIPS 180-4), shared by the purgatory and the kexshim program.
 * Freestanding: only <stdint.h>/<stddef.h>. */
#ifndef KEXSHIM_SHA256_H
#define KEXSHIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_BLOCK_SIZE 64

struct sha256_ctx {
	uint32_t h[8];
	uint64_t len;                  /* bytes hashed so far */
	uint8_t buf[SHA256_BLOCK_SIZE];
	size_t buflen;
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(struct sha256_ctx *ctx, uint8_t out[SHA256_DIGEST_SIZE]);
/* One-shot helper. */
void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_SIZE]);

/* Compress nblocks 64-byte blocks into h.  sha256_blocks_generic is the
 * portable C one (purgatory/sha256.c).  sha256_blocks is what sha256_update
 * calls; each link provides it once (purgatory/arch/<arch>/sha256_blocks.c,
 * which may pick CPU instructions at run time).  No function pointer: the
 * purgatory must link without dynamic relocations. */
void sha256_blocks_generic(uint32_t h[8], const uint8_t *p, size_t nblocks);
void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks);

#endif
