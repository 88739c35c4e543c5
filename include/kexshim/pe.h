/* PE/COFF headers as UEFI images, EFI-stub kernels and UKIs carry them
 * (Microsoft "PE Format"; the fields a loader reads).  Every field is
 * little-endian and may sit at any alignment in a file, so readers use
 * common/le.h on these offsets rather than casting.  Only
 * <stdint.h>/<stddef.h>. */
#ifndef KEXSHIM_PE_H
#define KEXSHIM_PE_H

#include <stddef.h>
#include <stdint.h>

/* MS-DOS stub header. */
#define PE_DOS_MAGIC 0x5a4du        /* "MZ" at 0x00 */
#define PE_DOS_LFANEW 0x3c          /* u32: file offset of the PE signature */
#define PE_SIGNATURE 0x00004550u    /* "PE\0\0" */

/* COFF file header, right after the signature (PE Format 3.3). */
struct pe_coff_header {
	uint16_t machine;            /* 0x00 PE_MACHINE_* */
	uint16_t nr_sections;        /* 0x02 */
	uint32_t timestamp;          /* 0x04 */
	uint32_t symtab;             /* 0x08 deprecated, 0 */
	uint32_t nr_symbols;         /* 0x0c deprecated, 0 */
	uint16_t opt_header_size;    /* 0x10 SizeOfOptionalHeader */
	uint16_t characteristics;    /* 0x12 */
} __attribute__((packed));
_Static_assert(offsetof(struct pe_coff_header, opt_header_size) == 0x10, "opt size");
_Static_assert(sizeof(struct pe_coff_header) == 20, "coff size");

#define PE_MACHINE_I386 0x014cu
#define PE_MACHINE_X86_64 0x8664u
#define PE_MACHINE_ARM 0x01c2u      /* ARM Thumb-2 (arm32 EFI) */
#define PE_MACHINE_ARM64 0xaa64u

/* Optional header, PE32+ (64-bit) layout (PE Format 3.4); PE32 differs
 * before ImageBase, so only PE32+ offsets are given. */
#define PE_OPT_MAGIC_PE32 0x010bu
#define PE_OPT_MAGIC_PE32PLUS 0x020bu
#define PE_OPT_MAGIC 0x00               /* u16 */
#define PE_OPT_ENTRY 0x10               /* u32 AddressOfEntryPoint */
#define PE32PLUS_SECTION_ALIGNMENT 0x20 /* u32 */
#define PE32PLUS_FILE_ALIGNMENT 0x24    /* u32 */
#define PE32PLUS_SIZE_OF_IMAGE 0x38     /* u32 */
#define PE32PLUS_SIZE_OF_HEADERS 0x3c   /* u32 */
#define PE32PLUS_CHECKSUM 0x40          /* u32 */
#define PE32PLUS_NR_RVA_SIZES 0x6c      /* u32 NumberOfRvaAndSizes */
#define PE32PLUS_DATA_DIRS 0x70         /* 8 bytes each: RVA (or file
					 * offset), size */
#define PE_DIR_CERTIFICATE 4            /* file offset, not an RVA */

/* Section header (PE Format 4). */
struct pe_section_header {
	char name[8];                /* 0x00 NUL-padded, not terminated */
	uint32_t virtual_size;       /* 0x08 bytes in memory */
	uint32_t virtual_address;    /* 0x0c RVA */
	uint32_t raw_size;           /* 0x10 SizeOfRawData (file-aligned) */
	uint32_t raw_offset;         /* 0x14 PointerToRawData */
	uint32_t reloc_offset;       /* 0x18 */
	uint32_t lines_offset;       /* 0x1c */
	uint16_t nr_relocs;          /* 0x20 */
	uint16_t nr_lines;           /* 0x22 */
	uint32_t characteristics;    /* 0x24 */
} __attribute__((packed));
_Static_assert(offsetof(struct pe_section_header, raw_size) == 0x10, "raw size");
_Static_assert(offsetof(struct pe_section_header, raw_offset) == 0x14, "raw off");
_Static_assert(sizeof(struct pe_section_header) == 40, "section size");

#endif
