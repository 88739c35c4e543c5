/* fuzz: bzimage_parse() on arbitrary files.  Beyond memory safety, every
 * accepted image must satisfy what struct bzimage promises (bzimage.h):
 * the kernel lies inside the file, sizes and placement fields are sane,
 * and the values agree with the packed setup_header mirror. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "arch/x86_64/bzimage.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bzimage bz;
	const struct setup_header *h;
	unsigned sects;
	int ret;

	ret = bzimage_parse("fuzz", data, size, &bz);
	if (ret) {
		CHECK(ret == -EINVAL);
		CHECK(!strncmp(kx_last_error(), "bzimage: fuzz: ", 15));
		return 0;
	}
	h = bz.hdr;
	CHECK(bz.buf == data && bz.len == size && size >= 1024);
	CHECK((const uint8_t *)h == data + SETUP_HDR_OFFSET);
	CHECK(bz.version >= 0x020c && bz.version == h->version);
	CHECK(bz.hdr_end >= 0x264 && bz.hdr_end <= 0x290 && bz.hdr_end <= size);

	sects = h->setup_sects ? h->setup_sects : 4;
	CHECK(bz.setup_size == (size_t)(sects + 1) * 512);
	CHECK(bz.setup_size < size);
	CHECK(bz.kernel == data + bz.setup_size);
	/* syssize * 16, or what the file has when that is up to 15 bytes
	 * short (syssize rounds up to whole paragraphs). */
	CHECK(bz.kernel_size && bz.kernel_size <= (size_t)h->syssize * 16);
	CHECK((size_t)h->syssize * 16 - bz.kernel_size < 16);
	CHECK(bz.kernel_size == (size_t)h->syssize * 16 ||
	      bz.kernel_size == size - bz.setup_size);
	CHECK(bz.kernel_size <= size - bz.setup_size);

	CHECK(bz.init_size == h->init_size);
	CHECK(bz.init_size >= bz.kernel_size && bz.init_size <= (1u << 30));
	CHECK(bz.xloadflags == h->xloadflags && (bz.xloadflags & XLF_KERNEL_64));
	CHECK(bz.relocatable == (h->relocatable_kernel != 0));
	CHECK(bz.kernel_alignment == h->kernel_alignment);
	CHECK(bz.pref_address == h->pref_address);
	if (bz.relocatable)
		CHECK(bz.kernel_alignment &&
		      !(bz.kernel_alignment & (bz.kernel_alignment - 1)) &&
		      bz.kernel_alignment <= (1u << 30));
	else
		CHECK(!(bz.pref_address & 0xfff));
	CHECK(bz.pref_address <= UINT64_MAX - bz.init_size);
	if (!(bz.xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G))
		CHECK(bz.pref_address + bz.init_size <= (1ull << 32));
	CHECK(bz.cmdline_size && bz.cmdline_size == h->cmdline_size);
	CHECK(bz.initrd_addr_max >= 0xfffff &&
	      bz.initrd_addr_max == h->initrd_addr_max);
	return 0;
}
