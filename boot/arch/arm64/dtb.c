/* kexshim arm64: the device tree handed to the target in x0, built by
 * boot/fdt/ with arm64's limits.  Runs in the shim's init (and the CLI,
 * host tests) after the kernel and initrd are placed, before the dtb itself
 * is. */
#include "arch/arm64/arm64.h"
#include "fdt/dt.h"

int arm64_dtb_build(struct arch_load *ld, const struct arm64_dtb_info *info,
		    void **fdt, size_t *size)
{
	const struct dt_request r = {
		.root = ld->root,
		.dtb = ld->img->dtb,
		.dtb_size = ld->img->dtb_size,
		.dtb_path = ld->img->dtb_path,
		.overlay = ld->img->overlay,
		.overlay_size = ld->img->overlay_size,
		.overlay_path = ld->img->overlay_path,
		.nr_overlay = ld->img->nr_overlay,
		.cmdline = ld->img->cmdline,
		.initrd_start = info->initrd_start,
		.initrd_end = info->initrd_end,
		.usable = ld->usable,
		.max_size = ARM64_DTB_MAX,
		.arena = ld->arena,
	};

	return dt_build(&r, fdt, size);
}
