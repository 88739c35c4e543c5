/* purgatory: runs between two kernels, before anything of the target runs.
 * Checks that every segment the loader hashed is still intact in memory
 * (kexec copied it there; a stray DMA or a loader bug would show here).
 * Also built for the host, where the unit tests feed it ordinary buffers. */
#include "common/sha256.h"
#include "purgatory.h"

static int digest_equal(const uint8_t *a, const uint8_t *b)
{
	uint8_t diff = 0;
	unsigned int i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

int purgatory_verify(const struct purgatory_args *args,
		     const struct pg_out *out, uint32_t *bad)
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	uint32_t n = args->nr_regions;
	uint32_t i;

	pg_puts(out, "purgatory: verifying ");
	pg_put_dec(out, n);
	pg_puts(out, " segments\n");

	/* The args are ours to trust, but a garbage count must not walk off
	 * the end of regions[]. */
	if (n > PURGATORY_MAX_REGIONS) {
		pg_puts(out, "purgatory: bad segment count\n");
		*bad = n;
		return -1;
	}

	for (i = 0; i < n; i++) {
		const struct purgatory_region *r = &args->regions[i];

		/* kexec identity-maps all RAM, so physical == virtual. */
		sha256((const void *)(uintptr_t)r->start, r->len, digest);
		if (!digest_equal(digest, r->sha256)) {
			pg_puts(out, "purgatory: sha256 mismatch in segment ");
			pg_put_dec(out, i);
			pg_puts(out, "\n");
			*bad = i;
			return -1;
		}
	}
	return 0;
}
