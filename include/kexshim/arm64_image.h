/* The arm64 kernel Image header, mirrored from Linux's
 * Documentation/arch/arm64/booting.rst.  Read by the loader (host tests,
 * the shim's init) before it places a kernel.  All fields are little-endian
 * on disk; readers use common/le.h.  An EFI-stub Image is also a PE/COFF
 * file (kexshim/pe.h): code0 holds "MZ" and res5 the PE header offset.
 * Only <stdint.h>/<stddef.h>. */
#ifndef KEXSHIM_ARM64_IMAGE_H
#define KEXSHIM_ARM64_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* booting.rst: "u32 magic = 0x644d5241; Magic number, little endian,
 * "ARM\x64"" */
#define ARM64_IMAGE_MAGIC 0x644d5241u
#define ARM64_IMAGE_HEADER_SIZE 64

/* booting.rst: "Where image_size is zero, text_offset can be assumed to be
 * 0x80000." (kernels before v3.17) */
#define ARM64_IMAGE_OLD_TEXT_OFFSET 0x80000u

/* flags (v3.17+), booting.rst "The flags field": */
#define ARM64_IMAGE_FLAG_BE (1u << 0)          /* kernel is big-endian */
#define ARM64_IMAGE_FLAG_PAGE_SHIFT 1          /* bits 1-2: page size */
#define ARM64_IMAGE_FLAG_PAGE_MASK (3u << 1)
#define ARM64_IMAGE_PAGE_UNSPECIFIED 0
#define ARM64_IMAGE_PAGE_4K 1
#define ARM64_IMAGE_PAGE_16K 2
#define ARM64_IMAGE_PAGE_64K 3
/* bit 3 clear: "2MB aligned base should be as close as possible to the base
 * of DRAM, since memory below it is not accessible via the linear mapping";
 * set: "2MB aligned base such that all image_size bytes counted from the
 * start of the image are within the 48-bit addressable range". */
#define ARM64_IMAGE_FLAG_PHYS_ANYWHERE (1u << 3)

/* The Image base is text_offset bytes above a 2 MiB-aligned address. */
#define ARM64_IMAGE_BASE_ALIGN 0x200000u

struct arm64_image_header {
	uint32_t code0;       /* 0x00 executable code ("MZ" + branch with PE) */
	uint32_t code1;       /* 0x04 executable code */
	uint64_t text_offset; /* 0x08 image load offset from a 2 MiB base */
	uint64_t image_size;  /* 0x10 effective image size (incl. bss) */
	uint64_t flags;       /* 0x18 ARM64_IMAGE_FLAG_* */
	uint64_t res2;        /* 0x20 reserved, 0 */
	uint64_t res3;        /* 0x28 reserved, 0 */
	uint64_t res4;        /* 0x30 reserved, 0 */
	uint32_t magic;       /* 0x38 ARM64_IMAGE_MAGIC */
	uint32_t res5;        /* 0x3c offset of the PE header ("PE\0\0"), or 0 */
} __attribute__((packed));
_Static_assert(offsetof(struct arm64_image_header, text_offset) == 0x08, "text_offset");
_Static_assert(offsetof(struct arm64_image_header, image_size) == 0x10, "image_size");
_Static_assert(offsetof(struct arm64_image_header, flags) == 0x18, "flags");
_Static_assert(offsetof(struct arm64_image_header, magic) == 0x38, "magic");
_Static_assert(offsetof(struct arm64_image_header, res5) == 0x3c, "res5");
_Static_assert(sizeof(struct arm64_image_header) == ARM64_IMAGE_HEADER_SIZE, "size");

#endif
