/* kexshim: the per-arch ops table.  Generic code (boot/, boot/kexec/) calls
 * arch code only through `arch_ops`; each build links exactly one
 * boot/arch/<arch>/ directory, which defines it. */
#ifndef KEXSHIM_ARCH_H
#define KEXSHIM_ARCH_H

#include <stdint.h>

struct load;

struct arch_ops {
	const char *name; /* "x86_64", "arm64" */
	/* Parse and validate l->img.kernel; plan_add() the kernel, initrd and
	 * boot data (boot_params + cmdline + setup_data, or dtb) items into
	 * l->plan; fill l->args.entry, l->args.regs and l->args.console.
	 * Reads host state (sysfs, /proc) under l->req.root.
	 * Return: 0 or -errno with a kx_fail() message ("bzimage: PATH: ..."). */
	int (*load)(struct load *l);
	/* Where the purgatory may go: [min, max) (max 0 = anywhere). */
	uint64_t purgatory_min, purgatory_max;
};

extern const struct arch_ops arch_ops;

#endif
