/* kexshim: the device tree handed to a target kernel, for the arches that
 * boot with one (arm64 now, 32-bit arm later).  All edits go through libfdt
 * (names here start with dt_, libfdt's own with fdt_).  Runs in the shim's
 * init, the CLI and host tests after the kernel and initrd are placed and
 * before the dtb itself is.
 *
 * The base tree is the one the running kernel booted with
 * (/sys/firmware/fdt: on an EFI boot the stub made it, with the EFI system
 * table and memory map in /chosen), or a --dtb file that replaces it. */
#ifndef KEXSHIM_FDT_DT_H
#define KEXSHIM_FDT_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kexec/memmap.h"
#include "kexshim/purgatory.h"
#include "lib/arena.h"

/* Where the running kernel exports the tree it booted with. */
#define DT_LIVE_FDT "/sys/firmware/fdt"
#define DT_RNG_SEED_SIZE 64

struct dt_request {
	const char *root;        /* prefix of DT_LIVE_FDT; "" = live system */
	const uint8_t *dtb;      /* a --dtb file replacing the live tree, or NULL */
	size_t dtb_size;
	const char *dtb_path;
	const uint8_t *const *overlay; /* applied to the base, in order */
	const size_t *overlay_size;
	const char *const *overlay_path;
	size_t nr_overlay;
	const char *cmdline;     /* bootargs */
	uint64_t initrd_start, initrd_end; /* [start, end); 0, 0 = none */
	const struct memmap *usable;       /* for /memory when there is none */
	size_t max_size;         /* the arch's limit on the packed tree */
	struct arena *arena;     /* owns the result */
};

/* Build the target's tree: the base with the overlays applied (libfdt's
 * fdt_overlay_apply; the base needs its __symbols__, dtc -@), /chosen made
 * the target's (see chosen.c), a /memory node when neither EFI nor the base describe memory,
 * packed.  Return: 0 with *fdt and *size set, or -errno ("dtb: PATH: ..."). */
int dt_build(const struct dt_request *r, void **fdt, size_t *size);

/* Return: 0 when buf holds a whole, sane flattened tree, else -EINVAL
 * ("dtb: NAME: ..."). */
int dt_check(const char *name, const void *buf, size_t len);

/* chosen.c: make /chosen of the opened tree fdt the target's: bootargs,
 * initrd, the live tree's linux,uefi-* when the base is a --dtb, fresh
 * kaslr-seed and rng-seed (none when the kernel's RNG is not ready),
 * nothing of the previous boot (its initrd, kdump and IMA properties and
 * the /memreserve/ entries they and the old tree itself had).
 * live is the running kernel's tree (NULL when it has none).
 * Return: 0 or -errno ("dtb: NAME: ..."). */
int dt_edit_chosen(const struct dt_request *r, const char *name, void *fdt,
		   const void *live);

/* chosen.c: fill buf from the kernel's pool without blocking.
 * Return: 0, or -EAGAIN when the CRNG is not ready yet (then the target
 * must get no seed: it credits rng-seed as entropy), -errno otherwise. */
int dt_random(void *buf, size_t len);

/* console.c: the console named by /chosen/stdout-path of fdt.
 * Return: 0 with *c filled, -ENOENT when there is none the purgatory can
 * drive (PL011, SBSA, 8250 family at a width and byte order it has). */
int dt_console(const void *fdt, struct purgatory_console *c);

#endif
