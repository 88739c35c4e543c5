/* kexshim x86_64: where the kernel and the initrd go, by boot.rst's rules.
 * Runs in arch_ops.load, after bzimage_parse() and before the
 * boot_params segment (which needs their addresses) is finished. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/error.h"
#include "arch/arch.h"
#include "kexec/plan.h"
#include "arch/x86_64/x86.h"

/* boot.rst: "load_address = is_bzImage ? 0x100000 : 0x10000" when the
 * header names no address. */
#define BZIMAGE_DEFAULT_ADDR 0x100000ull

/* Relocatable: boot.rst allows "any address that satisfies the
 * kernel_alignment field", but not below pref_address: the 64-bit
 * decompressor (arch/x86/boot/compressed/head_64.S) rounds its load address
 * up to kernel_alignment and, when that is below LOAD_PHYSICAL_ADDR (which
 * pref_address holds), runs at LOAD_PHYSICAL_ADDR instead -- memory that
 * would not be ours.  Low first: the kernel's own KASLR moves it anyway,
 * and the top of RAM is left to the initrd.  If nothing is free at
 * kernel_alignment, boot.rst says a loader "should typically try each
 * power-of-two alignment from kernel_alignment down to" 1 << min_alignment
 * and write the one used back into kernel_alignment. */
static int place_relocatable(struct arch_load *ld, const struct bzimage *bz,
			     struct plan_item *it, struct x86_placed *out)
{
	unsigned min_shift = bz->hdr->min_alignment;
	uint64_t align = bz->kernel_alignment;
	uint64_t min_align = align;
	int ret;

	if (min_shift >= 12 && min_shift < 32 &&
	    (1ull << min_shift) < bz->kernel_alignment)
		min_align = 1ull << min_shift;
	it->min = bz->pref_address ? bz->pref_address : BZIMAGE_DEFAULT_ADDR;
	it->max = bz->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G ? 0 : X86_4G;
	for (;;) {
		it->align = align;
		ret = plan_add(ld->plan, it);
		if (ret != -ENOSPC || align <= min_align)
			break;
		align >>= 1;
	}
	if (ret)
		return ret;
	out->kernel_alignment = (uint32_t)align;
	return 0;
}

/* Not relocatable: boot.rst: "A non-relocatable kernel will
 * unconditionally move itself and to run at this address." */
static int place_fixed(struct arch_load *ld, const struct bzimage *bz,
		       struct plan_item *it, struct x86_placed *out)
{
	char why[512];
	int ret;

	it->flags = PLAN_FIXED;
	it->fixed = bz->pref_address ? bz->pref_address : BZIMAGE_DEFAULT_ADDR;
	it->align = PLAN_PAGE_SIZE;
	ret = plan_add(ld->plan, it);
	if (ret) {
		snprintf(why, sizeof(why), "%s", kx_last_error());
		return kx_fail(-ret, "bzimage: %s: non-relocatable kernel needs [0x%llx, 0x%llx) free (pref_address): %s",
			       bz->path, (unsigned long long)it->fixed,
			       (unsigned long long)(it->fixed + bz->init_size),
			       why);
	}
	out->kernel_alignment = bz->kernel_alignment;
	return 0;
}

static int place_initrd(struct arch_load *ld, const struct bzimage *bz,
			struct x86_placed *out)
{
	struct plan_item it = {
		.name = "initrd",
		.buf = ld->img->initrd,
		.bufsz = ld->img->initrd_size,
		.memsz = ld->img->initrd_size,
		.align = PLAN_PAGE_SIZE,
		.flags = PLAN_HIGH,
	};
	int ret;

	/* boot.rst: initrd_addr_max is "the address of the highest safe
	 * byte"; XLF_CAN_BE_LOADED_ABOVE_4G lifts it ("kernel/boot_params/
	 * cmdline/ramdisk can be above 4G"). */
	if (!(bz->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G))
		it.max = (uint64_t)bz->initrd_addr_max + 1;
	ret = plan_add(ld->plan, &it);
	if (ret)
		return ret;
	out->initrd = it.addr;
	return 0;
}

int x86_place_images(struct arch_load *ld, const struct bzimage *bz,
		     struct x86_placed *out)
{
	struct plan_item it = {
		.name = "kernel",
		.buf = bz->kernel,
		.bufsz = bz->kernel_size,
		.memsz = bz->kernel_size,
		/* boot.rst: init_size is "the amount of linear contiguous
		 * memory starting at the kernel runtime start address that
		 * the kernel needs before it is capable of examining its
		 * memory map": free, not zeroed (the decompressor clears
		 * its bss itself).  Kept free, not loaded: kexec would
		 * allocate, clear and copy 60 MB of zeros for it. */
		.keep_free = bz->init_size,
	};
	int ret;

	memset(out, 0, sizeof(*out));
	ret = bz->relocatable ? place_relocatable(ld, bz, &it, out) :
				place_fixed(ld, bz, &it, out);
	if (ret)
		return ret;
	out->kernel = it.addr;
	if (ld->img->initrd && ld->img->initrd_size)
		return place_initrd(ld, bz, out);
	return 0;
}
