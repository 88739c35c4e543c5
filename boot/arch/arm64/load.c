/* kexshim arm64: arch_ops for arm64, the placement rules of booting.rst.
 * Runs in the shim's init (and the CLI, host tests) once the files are
 * mapped and the memory map read: kernel first (low, 2 MiB-aligned base),
 * then the initrd (high, in the kernel's 32 GiB window), then the dtb that
 * points at both.  The purgatory then enters the kernel with x0 = dtb. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/error.h"
#include "arch/arch.h"
#include "arch/arm64/arm64.h"

#define MIB(x) ((unsigned long long)(x) >> 20)

/* booting.rst, bit 3 set: "all image_size bytes counted from the start of
 * the image are within the 48-bit addressable range of physical memory". */
#define ARM64_PHYS_48BIT (1ull << 48)

/* booting.rst: "versions prior to v4.2 also require that the DTB be placed
 * within the 512 MB region starting at text_offset bytes below the kernel
 * Image."  Cheap to honour when there is room, so try it first. */
#define ARM64_OLD_DTB_WINDOW (512ull << 20)

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

int arm64_kernel_place(const struct memmap *free, uint64_t text_offset,
		       uint64_t image_size, uint64_t min, uint64_t max,
		       uint64_t *image_addr)
{
	uint64_t memsz = align_up(image_size, PLAN_PAGE_SIZE), best = 0;
	bool found = false;
	size_t i;

	for (i = 0; i < free->n; i++) {
		const struct memmap_range *r = &free->r[i];
		uint64_t lo = r->start > min ? r->start : min;
		uint64_t hi = (max && max < r->end) ? max : r->end;
		uint64_t base, start;

		if (r->type != MEMMAP_RAM || lo >= hi)
			continue;
		/* booting.rst: "The Image must be placed text_offset bytes
		 * from a 2MB aligned base address anywhere in usable system
		 * RAM"; only the Image itself needs to be free. */
		base = lo > text_offset ?
		       align_up(lo - text_offset, ARM64_IMAGE_BASE_ALIGN) : 0;
		start = base + text_offset;
		if (start < lo || start + memsz < start || start + memsz > hi)
			continue;
		if (!found || start < best) {
			best = start;
			found = true;
		}
	}
	if (!found)
		return -ENOSPC;
	*image_addr = best;
	return 0;
}

void arm64_initrd_window(uint64_t kstart, uint64_t kend, uint64_t *min,
			 uint64_t *max)
{
	uint64_t lo = kstart & ~(ARM64_INITRD_WINDOW_ALIGN - 1);
	uint64_t hi = align_up(kend, ARM64_INITRD_WINDOW_ALIGN);

	/* Above the kernel the highest window starts at the kernel's 1 GiB
	 * boundary; below it the lowest ends at the boundary after the
	 * kernel.  Any initrd in [min, max) that misses the kernel shares
	 * one of those windows with it. */
	*max = lo + ARM64_INITRD_WINDOW_SIZE;
	if (*max < lo)
		*max = 0; /* past 2^64: no limit */
	*min = hi > ARM64_INITRD_WINDOW_SIZE ? hi - ARM64_INITRD_WINDOW_SIZE : 0;
}

static int add_kernel(struct arch_load *ld, const struct arm64_image *img,
		      struct plan_item *k)
{
	const char *path = ld->img->kernel_path;
	uint64_t max = (img->flags & ARM64_IMAGE_FLAG_PHYS_ANYWHERE) ?
		       ARM64_PHYS_48BIT : 0;
	uint64_t addr;

	/* Bit 3 clear wants the base as low as possible; set allows any
	 * base below 2^48.  Lowest first suits both, and kernels before
	 * v4.6 cannot use the memory below their image at all. */
	if (arm64_kernel_place(&ld->plan->free, img->text_offset,
			       img->image_size, 0, max, &addr))
		return kx_fail(ENOSPC, "arm64-image: %s: no free RAM for the "
			       "kernel: %llu MiB (image_size 0x%llx) at a 2 MiB "
			       "boundary + text_offset 0x%llx", path,
			       MIB(img->image_size + (1u << 20) - 1),
			       (unsigned long long)img->image_size,
			       (unsigned long long)img->text_offset);
	memset(k, 0, sizeof(*k));
	k->name = "kernel";
	k->buf = img->buf;
	k->bufsz = img->len;
	/* booting.rst: "At least image_size bytes from the start of the
	 * image must be free for use by the kernel": free, not zeroed
	 * (head.S clears the bss itself), so kept free, not loaded. */
	k->memsz = img->len;
	k->keep_free = img->image_size;
	k->align = PLAN_PAGE_SIZE;
	k->flags = PLAN_FIXED;
	k->fixed = addr;
	return plan_add(ld->plan, k);
}

static int add_initrd(struct arch_load *ld, const struct plan_item *k,
		      struct plan_item *i)
{
	uint64_t min, max;
	char why[256];
	int err;

	arm64_initrd_window(k->addr, k->addr + k->keep_free, &min, &max);
	memset(i, 0, sizeof(*i));
	i->name = "initrd";
	i->buf = ld->img->initrd;
	i->bufsz = ld->img->initrd_size;
	i->memsz = ld->img->initrd_size;
	i->align = PLAN_PAGE_SIZE;
	i->min = min;
	i->max = max;
	i->flags = PLAN_HIGH;
	err = plan_add(ld->plan, i);
	if (err) {
		snprintf(why, sizeof(why), "%s", kx_last_error());
		return kx_fail(-err, "arm64-image: %s: initrd %s (%llu MiB) "
			       "must share a 1 GiB-aligned 32 GiB window with "
			       "the kernel at 0x%llx, i.e. lie in [0x%llx, "
			       "0x%llx): %s", ld->img->kernel_path,
			       ld->img->initrd_desc ? ld->img->initrd_desc : "",
			       MIB(i->memsz + (1u << 20) - 1),
			       (unsigned long long)k->addr,
			       (unsigned long long)min,
			       (unsigned long long)max, why);
	}
	return 0;
}

static int add_dtb(struct arch_load *ld, const struct plan_item *k, void *fdt,
		   size_t size, struct plan_item *d)
{
	uint64_t base = k->addr & ~(uint64_t)(ARM64_IMAGE_BASE_ALIGN - 1);
	int err;

	memset(d, 0, sizeof(*d));
	d->name = "dtb";
	d->buf = fdt;
	d->bufsz = size;
	/* booting.rst: "Since the dtb will be mapped cacheable using blocks
	 * of up to 2 megabytes in size, it must not be placed within any 2M
	 * region which must be mapped with any specific attributes."  A
	 * whole 2 MiB block of usable RAM keeps firmware carve-outs out of
	 * it (and is 8-byte aligned a fortiori). */
	d->memsz = ARM64_DTB_MAX;
	d->align = ARM64_DTB_MAX;
	d->min = base;
	d->max = base + ARM64_OLD_DTB_WINDOW;
	err = plan_add(ld->plan, d);
	if (err == -ENOSPC) {
		d->min = 0;
		d->max = 0;
		err = plan_add(ld->plan, d);
	}
	return err;
}

static int arm64_load(struct arch_load *ld)
{
	struct arm64_dtb_info info = { 0, 0 };
	struct plan_item k, i, d;
	struct arm64_image img;
	size_t fdt_size;
	void *fdt;
	int err;

	err = arm64_image_parse(ld->img->kernel_path, ld->img->kernel,
				ld->img->kernel_size, &img);
	if (err)
		return err;
	/* A cut command line is a different boot entry: refuse it, as the
	 * x86_64 code does against cmdline_size. */
	if (strlen(ld->img->cmdline) > ARM64_COMMAND_LINE_SIZE - 1)
		return kx_fail(EINVAL, "arm64-image: %s: command line is %zu "
			       "bytes, the kernel takes at most %u "
			       "(COMMAND_LINE_SIZE %u)", ld->img->kernel_path,
			       strlen(ld->img->cmdline),
			       ARM64_COMMAND_LINE_SIZE - 1,
			       ARM64_COMMAND_LINE_SIZE);
	err = add_kernel(ld, &img, &k);
	if (err)
		return err;
	if (ld->img->initrd && ld->img->initrd_size) {
		err = add_initrd(ld, &k, &i);
		if (err)
			return err;
		info.initrd_start = i.addr;
		info.initrd_end = i.addr + ld->img->initrd_size;
	}
	err = arm64_dtb_build(ld, &info, &fdt, &fdt_size);
	if (err)
		return err;
	err = add_dtb(ld, &k, fdt, fdt_size, &d);
	if (err)
		return err;

	/* booting.rst: "x0 = physical address of device tree blob (dtb) in
	 * system RAM", x1..x3 = 0, and the purgatory branches to the first
	 * byte of the Image (code0 jumps to stext). */
	memset(ld->args->regs, 0, sizeof(ld->args->regs));
	ld->args->entry = k.addr;
	ld->args->regs[0] = d.addr;
	arm64_console_find(ld, fdt, &ld->args->console);
	return 0;
}

const struct arch_ops arch_ops = {
	.name = "arm64",
	.load = arm64_load,
	/* The purgatory runs with the MMU off on flat physical memory and is
	 * position-independent: any RAM will do. */
	.purgatory_min = 0,
	.purgatory_max = 0,
};
