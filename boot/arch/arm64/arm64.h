/* kexshim arm64: what the files of boot/arch/arm64/ share.  Runs in the
 * shim's init (and the CLI, and host tests) while a kernel is being planned:
 *   image.c       the 64-byte Image header -> struct arm64_image (boot/image/
 *                 has already unwrapped Image.gz/.zst/.xz and EFI zboot)
 *   dtb.c         the target's device tree (boot/fdt/) with arm64's limits
 *   console.c     the purgatory's console from stdout-path or ACPI SPCR
 *   load.c        arch_ops: placement rules and the plan items */
#ifndef KEXSHIM_ARM64_H
#define KEXSHIM_ARM64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/arch.h"
#include "kexshim/arm64_image.h"
#include "kexshim/purgatory.h"
#include "lib/readfile.h"

struct arch_load;
struct memmap;

/* booting.rst: "The device tree blob (dtb) must be placed on an 8-byte
 * boundary and must not exceed 2 megabytes in size." */
#define ARM64_DTB_MAX (2u << 20)

/* arch/arm64/include/uapi/asm/setup.h: COMMAND_LINE_SIZE 2048.  The kernel
 * copies /chosen/bootargs into a buffer that size (NUL included) and cuts
 * what does not fit without a word. */
#define ARM64_COMMAND_LINE_SIZE 2048

/* booting.rst: the initrd "must reside entirely within a 1 GB aligned
 * physical memory window of up to 32 GB in size that fully covers the
 * kernel Image as well." */
#define ARM64_INITRD_WINDOW_ALIGN (1ull << 30)
#define ARM64_INITRD_WINDOW_SIZE (32ull << 30)

/* A parsed plain Image. */
struct arm64_image {
	const uint8_t *buf;   /* the Image bytes (decompressed when needed) */
	size_t len;
	uint64_t text_offset; /* from the header, or 0x80000 for old kernels */
	uint64_t image_size;  /* bytes from the image start the kernel owns */
	uint64_t flags;       /* ARM64_IMAGE_FLAG_* */
	bool old_header;      /* image_size was 0 (before v3.17) */
	bool has_pe;          /* carries a PE header: an EFI-stub kernel */
};

/* image.c */

/* Parse and check the header of a plain (uncompressed) Image.  path only
 * names the file in messages.
 * Return: 0 or -EINVAL/-ENOEXEC with "arm64-image: PATH: ..." recorded. */
int arm64_image_parse(const char *path, const uint8_t *buf, size_t len,
		      struct arm64_image *out);

/* dtb.c */

/* Where the initrd and kernel went, for /chosen. */
struct arm64_dtb_info {
	uint64_t initrd_start, initrd_end; /* [start, end); 0, 0 = none */
};

/* Build the target's dtb from <root>/sys/firmware/fdt, or from ld->img->dtb
 * (--dtb), with ld->img->cmdline and fresh seeds.  The result is packed and
 * owned by l.
 * Return: 0 with *fdt and *size set, or -errno ("arm64-dtb: PATH: ..."). */
int arm64_dtb_build(struct arch_load *ld, const struct arm64_dtb_info *info,
		    void **fdt, size_t *size);

/* console.c */

/* The console described by an ACPI SPCR table (the whole table).
 * Return: 0 with *c filled, -ENOENT when unusable. */
int arm64_console_from_spcr(const uint8_t *spcr, size_t len,
			    struct purgatory_console *c);

/* fdt's stdout-path, else <root>/sys/firmware/acpi/tables/SPCR, else
 * PURGATORY_CONSOLE_NONE.  Never fails: a console is optional. */
void arm64_console_find(struct arch_load *ld, const void *fdt,
			struct purgatory_console *c);

/* load.c */

/* Lowest 2 MiB-aligned base in free RAM such that [base + text_offset,
 * base + text_offset + image_size) is free and inside [min, max) (max 0:
 * no limit).  Return: 0 with *image_addr = base + text_offset, -ENOSPC. */
int arm64_kernel_place(const struct memmap *free, uint64_t text_offset,
		       uint64_t image_size, uint64_t min, uint64_t max,
		       uint64_t *image_addr);

/* The range an initrd may use so that it and the kernel [kstart, kend)
 * share one 1 GiB-aligned window of at most 32 GiB.  [*min, *max). */
void arm64_initrd_window(uint64_t kstart, uint64_t kend, uint64_t *min,
			 uint64_t *max);

#endif
