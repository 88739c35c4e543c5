/* The EFI zboot wrapper header (CONFIG_EFI_ZBOOT), mirrored from Linux's
 * drivers/firmware/efi/libstub/zboot-header.S: a small PE/EFI decompressor
 * whose DOS header also says where the compressed kernel is, so a loader
 * need not run it.  arm64, riscv and loongarch kernels use it.  Fields are
 * little-endian on disk.  Only <stdint.h>/<stddef.h>. */
#ifndef KEXSHIM_ZBOOT_H
#define KEXSHIM_ZBOOT_H

#include <stddef.h>
#include <stdint.h>

#define ZBOOT_IMAGE_TYPE "zimg"      /* at 0x04 */
#define ZBOOT_COMP_TYPE_LEN 32       /* 0x18 .. 0x37, NUL-terminated */
#define LINUX_PE_MAGIC 0x818223cdu   /* include/linux/pe.h */

struct zboot_header {
	uint32_t mz_magic;        /* 0x00 MZ_MAGIC (low 16 bits "MZ") */
	char image_type[4];       /* 0x04 "zimg" */
	uint32_t payload_offset;  /* 0x08 file offset of the compressed data */
	uint32_t payload_size;    /* 0x0c its size; for non-gzip methods the
				   * le32 size trailer that follows is not
				   * counted (Makefile.zboot ZBOOT_SIZE_LEN) */
	uint32_t res0[2];         /* 0x10 reserved, 0 */
	char comp_type[ZBOOT_COMP_TYPE_LEN]; /* 0x18 "gzip", "zstd22", "xzkern",
					      * "lzma", "lz4", "lzo" */
	uint32_t linux_pe_magic;  /* 0x38 LINUX_PE_MAGIC (newer kernels; 6.1
				   * left it 0) */
	uint32_t pe_offset;       /* 0x3c PE header offset */
} __attribute__((packed));
_Static_assert(offsetof(struct zboot_header, image_type) == 0x04, "zimg");
_Static_assert(offsetof(struct zboot_header, payload_offset) == 0x08, "off");
_Static_assert(offsetof(struct zboot_header, payload_size) == 0x0c, "size");
_Static_assert(offsetof(struct zboot_header, comp_type) == 0x18, "comp");
_Static_assert(offsetof(struct zboot_header, linux_pe_magic) == 0x38, "magic");
_Static_assert(sizeof(struct zboot_header) == 0x40, "zboot size");

#endif
