/* x86 boot protocol wire formats: the bzImage setup header, the 4 KiB
 * boot_params ("zero page") the 64-bit entry receives in %rsi, e820 entries,
 * setup_data nodes and the EFI pieces a kexec'ed kernel needs.
 * Shared by host tests and the loader (boot/arch/x86_64/): only
 * <stdint.h>/<stddef.h>.  Layout per Linux Documentation/arch/x86/boot.rst
 * and zero-page.rst; every offset is asserted below. */
#ifndef KEXSHIM_BOOTPARAM_H
#define KEXSHIM_BOOTPARAM_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_FLAG_MAGIC 0xaa55u     /* boot.rst: boot_flag at 0x1fe */
#define SETUP_HDR_MAGIC 0x53726448u /* "HdrS" little-endian, at 0x202 */
#define SETUP_HDR_OFFSET 0x1f1u     /* the header starts at setup_sects */
#define SETUP_SECT_SIZE 512u

/* loadflags (0x211) */
#define LOADED_HIGH (1u << 0)  /* protected-mode code at 0x100000 (bzImage) */
#define KASLR_FLAG (1u << 1)   /* kernel internal */
#define QUIET_FLAG (1u << 5)
#define KEEP_SEGMENTS (1u << 6) /* obsolete */
#define CAN_USE_HEAP (1u << 7) /* heap_end_ptr is valid (16-bit setup only) */

/* xloadflags (0x236, protocol 2.12+) */
#define XLF_KERNEL_64 (1u << 0)              /* 64-bit entry at +0x200 */
#define XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1) /* kernel/boot_params/cmdline/initrd */
#define XLF_EFI_HANDOVER_32 (1u << 2)
#define XLF_EFI_HANDOVER_64 (1u << 3)
#define XLF_EFI_KEXEC (1u << 4)              /* kexec EFI boot with runtime services */
#define XLF_5LEVEL (1u << 5)
#define XLF_5LEVEL_ENABLED (1u << 6)

#define TYPE_OF_LOADER_UNDEFINED 0xffu /* boot.rst: no assigned id */

/* setup_data types */
#define SETUP_NONE 0u
#define SETUP_E820_EXT 1u /* more e820 entries than the zero page holds */
#define SETUP_DTB 2u
#define SETUP_PCI 3u
#define SETUP_EFI 4u      /* struct efi_setup_data */
#define SETUP_APPLE_PROPERTIES 5u
#define SETUP_JAILHOUSE 6u
#define SETUP_CC_BLOB 7u
#define SETUP_IMA 8u
#define SETUP_RNG_SEED 9u /* raw bytes, mixed into the target's RNG */
#define SETUP_INDIRECT (1u << 31)

/* e820 types (the values of enum memmap_type) */
#define E820_TYPE_RAM 1u
#define E820_TYPE_RESERVED 2u
#define E820_TYPE_ACPI 3u
#define E820_TYPE_NVS 4u
#define E820_TYPE_UNUSABLE 5u
#define E820_TYPE_PMEM 7u

#define E820_MAX_ENTRIES_ZEROPAGE 128
#define EDD_MBR_SIG_MAX 16
#define EDDMAXNR 6
#define EDD_INFO_SIZE 82

#define EFI64_LOADER_SIGNATURE 0x34364c45u /* "EL64" little-endian */
#define EFI_MEMORY_DESC_VERSION 1u

/* A linked list node; data[] follows the header. */
struct setup_data {
	uint64_t next; /* 0x00 physical address of the next node, 0 = last */
	uint32_t type; /* 0x08 SETUP_* */
	uint32_t len;  /* 0x0c bytes of data[] */
	uint8_t data[]; /* 0x10 */
} __attribute__((packed));
_Static_assert(offsetof(struct setup_data, type) == 0x08, "setup_data.type");
_Static_assert(offsetof(struct setup_data, len) == 0x0c, "setup_data.len");
_Static_assert(sizeof(struct setup_data) == 0x10, "setup_data size");

/* Offsets in comments are in the bzImage file / in boot_params. */
struct setup_header {
	uint8_t setup_sects;          /* 0x1f1 512-byte sectors of setup; 0 = 4 */
	uint16_t root_flags;          /* 0x1f2 */
	uint32_t syssize;             /* 0x1f4 protected-mode size, 16-byte paras */
	uint16_t ram_size;            /* 0x1f8 obsolete */
	uint16_t vid_mode;            /* 0x1fa */
	uint16_t root_dev;            /* 0x1fc */
	uint16_t boot_flag;           /* 0x1fe 0xaa55 */
	uint16_t jump;                /* 0x200 0xeb, then header length - 2 */
	uint32_t header;              /* 0x202 "HdrS" */
	uint16_t version;             /* 0x206 protocol, (major << 8) | minor */
	uint32_t realmode_swtch;      /* 0x208 */
	uint16_t start_sys_seg;       /* 0x20c obsolete */
	uint16_t kernel_version;      /* 0x20e */
	uint8_t type_of_loader;       /* 0x210 write: 0xff = undefined */
	uint8_t loadflags;            /* 0x211 LOADED_HIGH, CAN_USE_HEAP, ... */
	uint16_t setup_move_size;     /* 0x212 */
	uint32_t code32_start;        /* 0x214 write (reloc): load address */
	uint32_t ramdisk_image;       /* 0x218 write: initrd address, low 32 bits */
	uint32_t ramdisk_size;        /* 0x21c write: initrd size, low 32 bits */
	uint32_t bootsect_kludge;     /* 0x220 obsolete */
	uint16_t heap_end_ptr;        /* 0x224 */
	uint8_t ext_loader_ver;       /* 0x226 */
	uint8_t ext_loader_type;      /* 0x227 */
	uint32_t cmd_line_ptr;        /* 0x228 write: command line, low 32 bits */
	uint32_t initrd_addr_max;     /* 0x22c highest byte the initrd may use */
	uint32_t kernel_alignment;    /* 0x230 */
	uint8_t relocatable_kernel;   /* 0x234 */
	uint8_t min_alignment;        /* 0x235 log2 */
	uint16_t xloadflags;          /* 0x236 XLF_* (2.12+) */
	uint32_t cmdline_size;        /* 0x238 max command line without the NUL */
	uint32_t hardware_subarch;    /* 0x23c */
	uint64_t hardware_subarch_data; /* 0x240 */
	uint32_t payload_offset;      /* 0x248 */
	uint32_t payload_length;      /* 0x24c */
	uint64_t setup_data;          /* 0x250 write: first struct setup_data */
	uint64_t pref_address;        /* 0x258 preferred / fixed load address */
	uint32_t init_size;           /* 0x260 bytes needed from the load address */
	uint32_t handover_offset;     /* 0x264 */
	uint32_t kernel_info_offset;  /* 0x268 (2.15+) */
} __attribute__((packed));

/* Offsets relative to the header's start at 0x1f1. */
#define SH_OFF(x) (0x1f1 + offsetof(struct setup_header, x))
_Static_assert(SH_OFF(setup_sects) == 0x1f1, "setup_sects");
_Static_assert(SH_OFF(syssize) == 0x1f4, "syssize");
_Static_assert(SH_OFF(vid_mode) == 0x1fa, "vid_mode");
_Static_assert(SH_OFF(boot_flag) == 0x1fe, "boot_flag");
_Static_assert(SH_OFF(jump) == 0x200, "jump");
_Static_assert(SH_OFF(header) == 0x202, "header");
_Static_assert(SH_OFF(version) == 0x206, "version");
_Static_assert(SH_OFF(type_of_loader) == 0x210, "type_of_loader");
_Static_assert(SH_OFF(loadflags) == 0x211, "loadflags");
_Static_assert(SH_OFF(code32_start) == 0x214, "code32_start");
_Static_assert(SH_OFF(ramdisk_image) == 0x218, "ramdisk_image");
_Static_assert(SH_OFF(ramdisk_size) == 0x21c, "ramdisk_size");
_Static_assert(SH_OFF(heap_end_ptr) == 0x224, "heap_end_ptr");
_Static_assert(SH_OFF(cmd_line_ptr) == 0x228, "cmd_line_ptr");
_Static_assert(SH_OFF(initrd_addr_max) == 0x22c, "initrd_addr_max");
_Static_assert(SH_OFF(kernel_alignment) == 0x230, "kernel_alignment");
_Static_assert(SH_OFF(relocatable_kernel) == 0x234, "relocatable_kernel");
_Static_assert(SH_OFF(min_alignment) == 0x235, "min_alignment");
_Static_assert(SH_OFF(xloadflags) == 0x236, "xloadflags");
_Static_assert(SH_OFF(cmdline_size) == 0x238, "cmdline_size");
_Static_assert(SH_OFF(hardware_subarch) == 0x23c, "hardware_subarch");
_Static_assert(SH_OFF(payload_offset) == 0x248, "payload_offset");
_Static_assert(SH_OFF(setup_data) == 0x250, "setup_data");
_Static_assert(SH_OFF(pref_address) == 0x258, "pref_address");
_Static_assert(SH_OFF(init_size) == 0x260, "init_size");
_Static_assert(SH_OFF(handover_offset) == 0x264, "handover_offset");
_Static_assert(SH_OFF(kernel_info_offset) == 0x268, "kernel_info_offset");
/* The 2.15 header ends at 0x26c; boot_params leaves room up to 0x290. */
_Static_assert(0x1f1 + sizeof(struct setup_header) == 0x26c, "setup_header size");
#undef SH_OFF

struct screen_info {
	uint8_t raw[0x40]; /* 0x000 opaque here: carried over as is */
};

struct efi_info {
	uint32_t efi_loader_signature; /* 0x1c0 "EL64" */
	uint32_t efi_systab;           /* 0x1c4 system table, low 32 bits */
	uint32_t efi_memdesc_size;     /* 0x1c8 stride of efi_memmap */
	uint32_t efi_memdesc_version;  /* 0x1cc 1 */
	uint32_t efi_memmap;           /* 0x1d0 memory map, low 32 bits */
	uint32_t efi_memmap_size;      /* 0x1d4 bytes */
	uint32_t efi_systab_hi;        /* 0x1d8 */
	uint32_t efi_memmap_hi;        /* 0x1dc */
} __attribute__((packed));
_Static_assert(sizeof(struct efi_info) == 0x20, "efi_info size");

struct boot_e820_entry {
	uint64_t addr; /* 0x00 */
	uint64_t size; /* 0x08 */
	uint32_t type; /* 0x10 E820_TYPE_* */
} __attribute__((packed));
_Static_assert(sizeof(struct boot_e820_entry) == 20, "boot_e820_entry size");

/* The zero page. */
struct boot_params {
	struct screen_info screen_info;   /* 0x000 */
	uint8_t apm_bios_info[0x14];      /* 0x040 */
	uint8_t _pad2[4];                 /* 0x054 */
	uint64_t tboot_addr;              /* 0x058 */
	uint8_t ist_info[0x10];           /* 0x060 */
	uint64_t acpi_rsdp_addr;          /* 0x070 */
	uint8_t _pad3[8];                 /* 0x078 */
	uint8_t hd0_info[16];             /* 0x080 obsolete */
	uint8_t hd1_info[16];             /* 0x090 obsolete */
	uint8_t sys_desc_table[0x10];     /* 0x0a0 obsolete */
	uint8_t olpc_ofw_header[0x10];    /* 0x0b0 */
	uint32_t ext_ramdisk_image;       /* 0x0c0 initrd address, high 32 bits */
	uint32_t ext_ramdisk_size;        /* 0x0c4 initrd size, high 32 bits */
	uint32_t ext_cmd_line_ptr;        /* 0x0c8 command line, high 32 bits */
	uint8_t _pad4[112];               /* 0x0cc */
	uint32_t cc_blob_address;         /* 0x13c */
	uint8_t edid_info[0x80];          /* 0x140 */
	struct efi_info efi_info;         /* 0x1c0 */
	uint32_t alt_mem_k;               /* 0x1e0 */
	uint32_t scratch;                 /* 0x1e4 */
	uint8_t e820_entries;             /* 0x1e8 used entries of e820_table */
	uint8_t eddbuf_entries;           /* 0x1e9 */
	uint8_t edd_mbr_sig_buf_entries;  /* 0x1ea */
	uint8_t kbd_status;               /* 0x1eb */
	uint8_t secure_boot;              /* 0x1ec */
	uint8_t _pad5[2];                 /* 0x1ed */
	uint8_t sentinel;                 /* 0x1ef nonzero = sloppy loader */
	uint8_t _pad6[1];                 /* 0x1f0 */
	struct setup_header hdr;          /* 0x1f1 */
	uint8_t _pad7[0x290 - 0x1f1 - sizeof(struct setup_header)]; /* 0x26c */
	uint32_t edd_mbr_sig_buffer[EDD_MBR_SIG_MAX]; /* 0x290 */
	struct boot_e820_entry e820_table[E820_MAX_ENTRIES_ZEROPAGE]; /* 0x2d0 */
	uint8_t _pad8[48];                /* 0xcd0 */
	uint8_t eddbuf[EDDMAXNR * EDD_INFO_SIZE]; /* 0xd00 */
	uint8_t _pad9[276];               /* 0xeec */
} __attribute__((packed));
_Static_assert(offsetof(struct boot_params, screen_info) == 0x000, "screen_info");
_Static_assert(offsetof(struct boot_params, apm_bios_info) == 0x040, "apm");
_Static_assert(offsetof(struct boot_params, tboot_addr) == 0x058, "tboot");
_Static_assert(offsetof(struct boot_params, ist_info) == 0x060, "ist");
_Static_assert(offsetof(struct boot_params, acpi_rsdp_addr) == 0x070, "acpi_rsdp_addr");
_Static_assert(offsetof(struct boot_params, hd0_info) == 0x080, "hd0_info");
_Static_assert(offsetof(struct boot_params, sys_desc_table) == 0x0a0, "sys_desc_table");
_Static_assert(offsetof(struct boot_params, olpc_ofw_header) == 0x0b0, "olpc");
_Static_assert(offsetof(struct boot_params, ext_ramdisk_image) == 0x0c0, "ext_ramdisk_image");
_Static_assert(offsetof(struct boot_params, ext_ramdisk_size) == 0x0c4, "ext_ramdisk_size");
_Static_assert(offsetof(struct boot_params, ext_cmd_line_ptr) == 0x0c8, "ext_cmd_line_ptr");
_Static_assert(offsetof(struct boot_params, cc_blob_address) == 0x13c, "cc_blob_address");
_Static_assert(offsetof(struct boot_params, edid_info) == 0x140, "edid_info");
_Static_assert(offsetof(struct boot_params, efi_info) == 0x1c0, "efi_info");
_Static_assert(offsetof(struct boot_params, efi_info.efi_systab_hi) == 0x1d8, "efi_systab_hi");
_Static_assert(offsetof(struct boot_params, alt_mem_k) == 0x1e0, "alt_mem_k");
_Static_assert(offsetof(struct boot_params, scratch) == 0x1e4, "scratch");
_Static_assert(offsetof(struct boot_params, e820_entries) == 0x1e8, "e820_entries");
_Static_assert(offsetof(struct boot_params, eddbuf_entries) == 0x1e9, "eddbuf_entries");
_Static_assert(offsetof(struct boot_params, kbd_status) == 0x1eb, "kbd_status");
_Static_assert(offsetof(struct boot_params, secure_boot) == 0x1ec, "secure_boot");
_Static_assert(offsetof(struct boot_params, sentinel) == 0x1ef, "sentinel");
_Static_assert(offsetof(struct boot_params, hdr) == 0x1f1, "hdr");
_Static_assert(offsetof(struct boot_params, hdr.cmd_line_ptr) == 0x228, "hdr.cmd_line_ptr");
_Static_assert(offsetof(struct boot_params, edd_mbr_sig_buffer) == 0x290, "edd_mbr_sig_buffer");
_Static_assert(offsetof(struct boot_params, e820_table) == 0x2d0, "e820_table");
_Static_assert(offsetof(struct boot_params, _pad8) == 0xcd0, "pad8");
_Static_assert(offsetof(struct boot_params, eddbuf) == 0xd00, "eddbuf");
_Static_assert(offsetof(struct boot_params, _pad9) == 0xeec, "pad9");
_Static_assert(sizeof(struct boot_params) == 4096, "boot_params size");

/* SETUP_EFI payload: what the first kernel knew about the firmware, so the
 * kexec'ed kernel reuses the runtime mapping instead of calling
 * SetVirtualAddressMap() a second time (arch/x86/platform/efi/). */
struct efi_setup_data {
	uint64_t fw_vendor;   /* 0x00 physical address of the vendor string */
	uint64_t runtime;     /* 0x08 runtime services; read by kernels < 5.7 only */
	uint64_t tables;      /* 0x10 physical address of the config tables */
	uint64_t smbios;      /* 0x18 SMBIOS (32-bit) entry point; 0 = none */
	uint64_t reserved[8]; /* 0x20 */
} __attribute__((packed));
_Static_assert(offsetof(struct efi_setup_data, tables) == 0x10, "esd.tables");
_Static_assert(offsetof(struct efi_setup_data, smbios) == 0x18, "esd.smbios");
_Static_assert(sizeof(struct efi_setup_data) == 0x60, "efi_setup_data size");

/* UEFI EFI_MEMORY_DESCRIPTOR (version 1).  Firmware strides may be larger
 * (efi_memdesc_size, typically 48); the fields below are the prefix. */
struct efi_memory_desc {
	uint32_t type;      /* 0x00 EFI_RUNTIME_SERVICES_CODE, ... */
	uint32_t pad;       /* 0x04 */
	uint64_t phys_addr; /* 0x08 */
	uint64_t virt_addr; /* 0x10 the runtime mapping the first kernel set */
	uint64_t num_pages; /* 0x18 4 KiB pages */
	uint64_t attribute; /* 0x20 EFI_MEMORY_RUNTIME, ... */
} __attribute__((packed));
_Static_assert(offsetof(struct efi_memory_desc, phys_addr) == 0x08, "md.phys_addr");
_Static_assert(offsetof(struct efi_memory_desc, virt_addr) == 0x10, "md.virt_addr");
_Static_assert(offsetof(struct efi_memory_desc, num_pages) == 0x18, "md.num_pages");
_Static_assert(offsetof(struct efi_memory_desc, attribute) == 0x20, "md.attribute");
_Static_assert(sizeof(struct efi_memory_desc) == 0x28, "efi_memory_desc size");

#endif
