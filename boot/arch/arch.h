/* kexshim: the per-arch ops table and what the load flow hands it.  Generic
 * code calls arch code only through `arch_ops`; each build links exactly one
 * boot/arch/<arch>/ directory, which defines it.  Arch code sees the load
 * only through struct arch_load (no boot/load/ include): it sits below the
 * flow that calls it. */
#ifndef KEXSHIM_ARCH_H
#define KEXSHIM_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kexshim/purgatory.h"
#include "kexec/memmap.h"
#include "kexec/plan.h"
#include "lib/arena.h"

/* The mapped inputs of one load; buffers stay valid until it is released.
 * kernel is the arch's own format (bzImage, Image): boot/image/ has
 * unwrapped whatever was around it. */
struct load_images {
	const char *kernel_path;
	const uint8_t *kernel;
	size_t kernel_size;
	const char *kernel_format; /* "" or what was unwrapped ("gzip") */
	const char *initrd_desc;  /* paths joined by ", " for messages */
	const uint8_t *initrd;    /* NULL when no initrd */
	size_t initrd_size;
	const char *cmdline;      /* never NULL ("" when empty) */
	const char *dtb_path;
	const uint8_t *dtb;
	size_t dtb_size;
	/* Device tree overlays to apply, in order (BLS devicetree-overlay). */
	const char *overlay_path[8];
	const uint8_t *overlay[8];
	size_t overlay_size[8];
	size_t nr_overlay;
};

struct arch_load {
	const char *root;        /* prefix of /sys and /proc reads; "" = live */
	bool memmap_given;       /* --memmap: planning for another machine, so
				  * this machine's firmware map is not read */
	const struct load_images *img;
	const struct memmap *usable;   /* RAM the planner may use */
	const struct memmap *firmware; /* firmware map from iomem */
	struct plan *plan;
	struct arena *arena;           /* owns whatever the arch allocates */
	struct purgatory_args *args;   /* fill entry, regs, console */
};

struct arch_ops {
	const char *name; /* "x86_64", "arm64" */
	/* Parse and validate a->img->kernel; plan_add() the kernel, initrd and
	 * boot data (boot_params + cmdline + setup_data, or dtb) items into
	 * a->plan; fill a->args entry, regs and console.  Reads host state
	 * (sysfs, /proc) under a->root.
	 * Return: 0 or -errno with a kx_fail() message ("bzimage: PATH: ..."). */
	int (*load)(struct arch_load *a);
	/* Where the purgatory may go: [min, max) (max 0 = anywhere). */
	uint64_t purgatory_min, purgatory_max;
};

extern const struct arch_ops arch_ops;

#endif
