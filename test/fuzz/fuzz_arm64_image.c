/* fuzz: arm64_image_parse() on arbitrary files (a plain Image; the
 * decompressors are libraries of their own).  Checks struct arm64_image's
 * promises: text_offset is a page offset inside 2 MiB, image_size covers
 * the file, old headers get the booting.rst defaults, and has_pe only for
 * an "MZ" image. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "arch/arm64/arm64.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arm64_image img;
	int ret;

	ret = arm64_image_parse("fuzz", data, size, &img);
	if (ret) {
		CHECK(ret == -EINVAL || ret == -ENOEXEC);
		CHECK(!strncmp(kx_last_error(), "arm64-image: fuzz: ", 19));
		return 0;
	}
	CHECK(img.buf == data && img.len == size);
	CHECK(size >= ARM64_IMAGE_HEADER_SIZE);
	CHECK(img.text_offset < ARM64_IMAGE_BASE_ALIGN &&
	      !(img.text_offset & 0xfff));
	CHECK(img.image_size >= size);
	if (img.old_header) {
		CHECK(img.text_offset == ARM64_IMAGE_OLD_TEXT_OFFSET);
		CHECK(img.flags == 0);
	} else {
		CHECK(!(img.flags & ARM64_IMAGE_FLAG_BE));
		CHECK(img.image_size <= (1ull << 30));
	}
	if (img.has_pe)
		CHECK(data[0] == 'M' && data[1] == 'Z');
	return 0;
}
