/* Purgatory ABI: the one struct the loader (boot/kexec/purgatory.c) fills in
 * and the purgatory (purgatory/) reads.  It sits at offset 0 of the flat blob;
 * the blob is copied to its kexec segment unchanged except for this struct, so
 * there is nothing to relocate.  Shared by host tests, init and purgatory:
 * only <stdint.h>/<stddef.h>. */
#ifndef KEXSHIM_PURGATORY_H
#define KEXSHIM_PURGATORY_H

#include <stddef.h>
#include <stdint.h>

#define PURGATORY_MAGIC 0x4750584bu /* "KXPG" little-endian */
/* 2: console.reg_shift is a u8 followed by reg_width (was a u32). */
#define PURGATORY_VERSION 2u
#define PURGATORY_MAX_REGIONS 16
#define PURGATORY_NR_REGS 4

/* console.type: where the purgatory prints (nothing is fine, too). */
enum purgatory_console_type {
	PURGATORY_CONSOLE_NONE = 0,
	PURGATORY_CONSOLE_8250_IO = 1,   /* x86 port I/O, base = port (0x3f8) */
	PURGATORY_CONSOLE_8250_MMIO = 2, /* base = MMIO address, reg_shift,
					  * reg_width */
	PURGATORY_CONSOLE_PL011 = 3,     /* base = MMIO address */
};

struct purgatory_region {
	uint64_t start;     /* 0x00 physical address of the segment */
	uint64_t len;       /* 0x08 file-backed bytes hashed (bufsz) */
	uint8_t sha256[32]; /* 0x10 digest the loader computed */
} __attribute__((packed));
_Static_assert(sizeof(struct purgatory_region) == 0x30, "region size");

/* 8250 MMIO registers sit 1 << reg_shift bytes apart and are read and
 * written reg_width bytes at a time (Linux's UPIO_MEM, UPIO_MEM16,
 * UPIO_MEM32): some SoCs abort narrower accesses.  Port I/O and PL011
 * ignore both (bytes resp. 32 bits, always). */
struct purgatory_console {
	uint32_t type;      /* 0x00 enum purgatory_console_type */
	uint8_t reg_shift;  /* 0x04 8250 MMIO register stride = 1 << reg_shift */
	uint8_t reg_width;  /* 0x05 8250 MMIO access size in bytes: 1, 2, 4 */
	uint16_t reserved;  /* 0x06 0 */
	uint64_t base;      /* 0x08 port or MMIO base */
} __attribute__((packed));
_Static_assert(offsetof(struct purgatory_console, reg_shift) == 0x04, "shift");
_Static_assert(offsetof(struct purgatory_console, reg_width) == 0x05, "width");
_Static_assert(offsetof(struct purgatory_console, reserved) == 0x06, "rsvd");
_Static_assert(offsetof(struct purgatory_console, base) == 0x08, "base");
_Static_assert(sizeof(struct purgatory_console) == 0x10, "console size");

struct purgatory_args {
	uint32_t magic;        /* 0x000 PURGATORY_MAGIC, set at link time */
	uint32_t version;      /* 0x004 PURGATORY_VERSION, set at link time */
	uint32_t entry_offset; /* 0x008 purgatory entry - blob start, link time */
	uint32_t mem_size;     /* 0x00c bytes the blob needs incl. bss + stack */
	uint64_t entry;        /* 0x010 target kernel entry (physical) */
	/* 0x018: x86_64: regs[0] = rsi (boot_params);
	 *        arm64:  regs[0..3] = x0..x3 (x0 = dtb, x1..x3 = 0) */
	uint64_t regs[PURGATORY_NR_REGS];
	uint32_t nr_regions;   /* 0x038 valid entries in regions[] */
	uint32_t flags;        /* 0x03c reserved, 0 */
	struct purgatory_console console;                        /* 0x040 */
	struct purgatory_region regions[PURGATORY_MAX_REGIONS]; /* 0x050 */
} __attribute__((packed));
_Static_assert(offsetof(struct purgatory_args, entry) == 0x10, "entry");
_Static_assert(offsetof(struct purgatory_args, regs) == 0x18, "regs");
_Static_assert(offsetof(struct purgatory_args, nr_regions) == 0x38, "nr");
_Static_assert(offsetof(struct purgatory_args, console) == 0x40, "console");
_Static_assert(offsetof(struct purgatory_args, regions) == 0x50, "regions");
_Static_assert(sizeof(struct purgatory_args) == 0x350, "args size");

#endif
