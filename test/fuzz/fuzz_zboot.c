/* fuzz: image_unwrap() then arm64_image_parse(), the arm64 load flow's
 * first steps, on arbitrary kernel files: EFI zboot wrappers and bare
 * gzip/zstd/xz streams, with every decompressor behind them (seeds:
 * the real Debian arm64 Image's head in each, see mkcorpus --arm64).
 * fuzz_arm64_image sees only plain Images.  Checks image.h's promises:
 * errors say "image: ", the result is inside the cap, its format names
 * what was unwrapped, and parsing it keeps to arm64_image's. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/arm64.h"
#include "image/image.h"
#include "lib/arena.h"
#include "lib/error.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

/* Small, so a hostile stream's claim of gigabytes costs nothing. */
#define CAP (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arm64_image a;
	struct arena ar = { 0 };
	struct image img;
	int rc;

	memset(&img, 0, sizeof(img));
	rc = image_unwrap(&ar, "k", data, size, CAP, -1, &img);
	if (rc) {
		CHECK(rc < 0);
		CHECK(!strncmp(kx_last_error(), "image: k: ", 10));
		arena_release(&ar);
		return 0;
	}
	CHECK(img.kernel && img.kernel_size <= (size > CAP ? size : CAP));
	CHECK(memchr(img.format, '\0', sizeof(img.format)));
	if (img.kernel == data)
		CHECK(img.format[0] == '\0' && img.kernel_size == size);
	else
		CHECK(img.format[0] != '\0');
	rc = arm64_image_parse("k", img.kernel, img.kernel_size, &a);
	if (rc)
		CHECK(!strncmp(kx_last_error(), "arm64-image: k: ", 16));
	else
		CHECK(a.buf == img.kernel && a.image_size >= a.len);
	arena_release(&ar);
	return 0;
}
