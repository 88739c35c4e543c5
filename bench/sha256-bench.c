/* bench/sha256-bench.c: SHA-256 throughput of kexshim's own code on this
 * CPU (bench/sha256.sh runs it next to `openssl speed`).  Hashes a buffer
 * (64 MiB unless told) REPS times with each block function and prints the
 * best pass of each in MB/s (10^6 bytes per second, as openssl counts):
 *   generic  sha256_blocks_generic, the portable C rounds
 *   kexshim  sha256_blocks, what sha256_update calls in this build: the
 *            SHA-NI (x86_64) or SHA-2 instruction (arm64) rounds when the
 *            CPU has them, the portable ones otherwise
 * Both states must agree at the end, or it exits 1.
 * Usage: sha256-bench [MiB [REPS]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/sha256.h"

typedef void block_fn(uint32_t h[8], const uint8_t *p, size_t nblocks);

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Return: the best MB/s over reps passes; h ends as after the last one. */
static double run(block_fn *fn, const uint8_t *buf, size_t len, int reps,
		  uint32_t h[8])
{
	double best = 0;
	int r;

	for (r = 0; r < reps; r++) {
		struct sha256_ctx ctx;
		double t0, t;

		sha256_init(&ctx);
		t0 = now();
		fn(ctx.h, buf, len / SHA256_BLOCK_SIZE);
		t = now() - t0;
		memcpy(h, ctx.h, sizeof(ctx.h));
		if (t > 0 && len / t / 1e6 > best)
			best = len / t / 1e6;
	}
	return best;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	int reps = argc > 2 ? atoi(argv[2]) : 3;
	size_t len = mib << 20, i;
	uint32_t hg[8], hk[8], x = 0x2545f491;
	uint8_t *buf = malloc(len);
	double g, k;

	if (!buf || !mib || reps < 1) {
		fprintf(stderr, "sha256-bench: usage: sha256-bench [MiB [REPS]]\n");
		return 2;
	}
	/* xorshift32: no page left untouched (or shared zero pages). */
	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	g = run(sha256_blocks_generic, buf, len, reps, hg);
	k = run(sha256_blocks, buf, len, reps, hk);
	if (memcmp(hg, hk, sizeof(hg))) {
		fprintf(stderr, "sha256-bench: the two block functions disagree\n");
		return 1;
	}
	printf("generic %.1f\n", g);
	printf("kexshim %.1f\n", k);
	free(buf);
	return 0;
}
