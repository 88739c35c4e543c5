/* kexshim x86_64: what the files of boot/arch/x86_64/ share.  Everything
 * here runs in the shim (or the CLI) inside arch_ops.load, after the
 * bzImage has been validated and before the plan is finished.  Host state
 * (sysfs, /proc) is read under ld->root so tests use fake trees. */
#ifndef KEXSHIM_X86_H
#define KEXSHIM_X86_H

#include <stddef.h>
#include <stdint.h>

#include "arch/arch.h"
#include "arch/x86_64/bzimage.h"
#include "kexshim/bootparam.h"
#include "kexshim/purgatory.h"
#include "kexec/memmap.h"
#include "lib/readfile.h"

struct arch_load;

#define X86_MIB (1ull << 20)
#define X86_4G (1ull << 32)

/* --- hostfw.c: what the running kernel knows about the firmware ------ */

struct x86_hostfw {
	int have_bp;           /* /sys/kernel/boot_params/data was readable */
	struct boot_params bp; /* the running kernel's boot_params, as handed */
	int efi;               /* /sys/firmware/efi exists (booted via EFI) */
	int have_systab;       /* /sys/firmware/efi/systab was readable */
	uint64_t acpi_rsdp;    /* systab ACPI20=, else ACPI=; 0 = unknown */
	uint64_t smbios;       /* systab SMBIOS= (32-bit entry point); 0 = none */
	int la57;              /* the shim runs with 5-level paging */
};

/* Fill fw.  Missing files are not errors (BIOS machines, non-root CLI
 * runs): the fields stay 0.  Return: 0 or -errno on a malformed file. */
int x86_hostfw_read(struct arch_load *ld, struct x86_hostfw *fw);

/* --- efi.c: EFI state for a kexec'ed kernel ---------------------------- */

#define X86_EFI_MAX_DESC 512

struct x86_efi {
	int present;              /* pass efi_info + SETUP_EFI to the target */
	struct efi_info info;     /* efi_memmap / _hi filled after placement */
	uint8_t secure_boot;
	struct efi_setup_data esd;
	uint32_t desc_size;       /* stride of map[] in the segment */
	size_t nr_desc;
	struct efi_memory_desc desc[X86_EFI_MAX_DESC]; /* runtime map */
};

/* Collect the EFI runtime state when the shim booted via EFI and the
 * target sets XLF_EFI_KEXEC.  Anything missing means the target boots
 * without EFI runtime services: efi->present = 0 and a warning.
 * Return: 0 (present or not), -errno only on internal errors. */
int x86_efi_read(struct arch_load *ld, const struct bzimage *bz,
		 const struct x86_hostfw *fw, struct x86_efi *efi);

/* --- e820.c: the target's memory map ------------------------------------ */

/* The target's e820: /sys/firmware/memmap (the untouched firmware map),
 * else l->firmware (from /proc/iomem or --memmap), with every EFI runtime
 * region that overlaps RAM marked reserved.  Return: 0 or -errno. */
int x86_e820_collect(struct arch_load *ld, const struct x86_efi *efi,
		     struct memmap *map);

/* Copy map into bp->e820_table (up to 128 entries) and the rest into ext
 * (room for map->n - 128 entries, may be NULL when there is no rest).
 * Return: the number of entries written to ext. */
size_t x86_e820_fill(struct boot_params *bp, const struct memmap *map,
		     struct boot_e820_entry *ext);

/* --- setup_data.c: the "boot_params" segment ---------------------------- */

#define X86_SEG_MAX_SD 8

/* boot_params at offset 0, then command line, setup_data nodes and the
 * EFI memory map, each 8-byte aligned.  Offsets become physical addresses
 * in x86_seg_link() once the planner has placed the segment. */
struct x86_seg {
	uint8_t *buf;
	size_t cap, len;
	size_t sd[X86_SEG_MAX_SD]; /* offsets of the setup_data headers */
	size_t n_sd;
};

/* Bytes a setup_data node with len bytes of payload takes. */
size_t x86_seg_sd_size(size_t len);

/* Allocate cap bytes (load_alloc) with room for boot_params at 0.
 * Return: 0 or -ENOMEM (kx_fail). */
int x86_seg_init(struct arch_load *ld, struct x86_seg *s, size_t cap);

static inline struct boot_params *x86_seg_bp(struct x86_seg *s)
{
	return (struct boot_params *)s->buf;
}

/* Reserve len bytes, 8-byte aligned.  Return: their offset; the caller
 * sized cap so that this cannot fail. */
size_t x86_seg_append(struct x86_seg *s, size_t len);

/* Append a setup_data node.  Return: its payload (len bytes, zeroed). */
void *x86_seg_add_sd(struct x86_seg *s, uint32_t type, uint32_t len);

/* Chain the nodes in order from bp->hdr.setup_data, the segment sitting
 * at physical address phys. */
void x86_seg_link(struct x86_seg *s, uint64_t phys);

/* --- rng_seed.c ------------------------------------------------------------ */

#define X86_RNG_SEED_LEN 32

/* Fill buf with len fresh random bytes (getrandom()).
 * Return: 0, or -EAGAIN when the kernel's RNG is not yet initialized:
 * the target credits this seed as entropy, so it must be real. */
int x86_rng_seed(uint8_t *buf, size_t len);

/* --- boot_params.c ---------------------------------------------------------- */

/* Fill bp (zeroed) per boot.rst's 64-bit boot protocol: the image's setup
 * header, loader id, screen_info/subarch carried over from fw, ACPI RSDP,
 * EFI info.  Addresses come later (x86_bp_set_addrs). */
void x86_bp_init(struct boot_params *bp, const struct bzimage *bz,
		 const struct x86_hostfw *fw, const struct x86_efi *efi);

/* Set code32_start, ramdisk_* and cmd_line_ptr with their ext_* halves. */
void x86_bp_set_addrs(struct boot_params *bp, uint64_t kernel,
		      uint64_t initrd, uint64_t initrd_size, uint64_t cmdline);

/* --- place.c: where the kernel and the initrd go ------------------------------ */

struct x86_placed {
	uint64_t kernel;           /* load address of the protected-mode part */
	uint32_t kernel_alignment; /* the alignment used (may be reduced) */
	uint64_t initrd;           /* 0 when there is no initrd */
};

/* plan_add() the kernel and, if any, the initrd.
 * Return: 0 or -errno (kx_fail). */
int x86_place_images(struct arch_load *ld, const struct bzimage *bz,
		     struct x86_placed *out);

/* --- serial.c --------------------------------------------------------------- */

/* The purgatory's console from the shim's /proc/cmdline: the last
 * console=ttyS<N> or console=uart[8250],io|mmio|mmio32,ADDR; none else. */
void x86_serial_console(struct arch_load *ld, struct purgatory_console *c);

#endif
