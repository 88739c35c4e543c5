/* kexshim x86_64: arch_ops.load, bzImage in, three plan items out (kernel,
 * initrd, boot_params) plus the purgatory's entry, %rsi and console.  Runs
 * in the shim (PID 1) and the CLI, after load_open_files and before
 * purgatory_place. */
#include <errno.h>
#include <string.h>

#include "arch/x86_64/x86.h"
#include "kexec/plan.h"
#include "lib/console.h"
#include "lib/error.h"

/* boot.rst: the 64-bit entry is "the start address of loaded 64-bit
 * kernel plus 0x200". */
#define ENTRY_64_OFFSET 0x200u

/* Everything one load builds; load_alloc'ed (load_alloc slots are few). */
struct x86_ctx {
	struct bzimage bz;
	struct x86_hostfw fw;
	struct x86_efi efi;
	struct memmap e820;
	struct x86_seg seg;
	struct x86_placed placed;
	uint8_t seed[X86_RNG_SEED_LEN];
};

/* Bytes the boot_params segment needs: sized before anything is written. */
static size_t seg_capacity(const struct x86_ctx *c, size_t cmdlen,
			   size_t n_ext, int have_seed)
{
	size_t cap = sizeof(struct boot_params) + cmdlen + 1 + 8;

	if (n_ext)
		cap += x86_seg_sd_size(n_ext * sizeof(struct boot_e820_entry));
	if (c->efi.present)
		cap += x86_seg_sd_size(sizeof(struct efi_setup_data)) +
		       c->efi.nr_desc * c->efi.desc_size + 8;
	if (have_seed)
		cap += x86_seg_sd_size(X86_RNG_SEED_LEN);
	return cap;
}

/* The runtime map goes right into the segment; the kernel reads it in
 * place (efi_memmap_init_early) and memblock-reserves it. */
static size_t add_efi(struct x86_ctx *c)
{
	struct x86_efi *efi = &c->efi;
	size_t off, i;
	void *esd;

	esd = x86_seg_add_sd(&c->seg, SETUP_EFI, sizeof(efi->esd));
	memcpy(esd, &efi->esd, sizeof(efi->esd));
	off = x86_seg_append(&c->seg, efi->nr_desc * efi->desc_size);
	for (i = 0; i < efi->nr_desc; i++)
		memcpy(c->seg.buf + off + i * efi->desc_size, &efi->desc[i],
		       sizeof(efi->desc[i]));
	return off;
}

/* Fill the segment: everything but addresses.  Return: 0 or -errno. */
static int build_segment(struct arch_load *ld, struct x86_ctx *c, size_t *off_cmd,
			 size_t *off_map)
{
	const char *cmdline = ld->img->cmdline ? ld->img->cmdline : "";
	size_t cmdlen = strlen(cmdline), n_ext = 0;
	struct boot_e820_entry *ext = NULL;
	struct boot_params *bp;
	int have_seed, ret;

	/* boot.rst: cmdline_size is "the maximum size of the command line
	 * without the terminating zero".  The kernel would truncate
	 * silently; a cut command line is a different boot entry. */
	if (cmdlen > c->bz.cmdline_size)
		return kx_fail(EINVAL, "bzimage: %s: command line is %zu bytes, the kernel takes at most %u (cmdline_size)",
			       c->bz.path, cmdlen, c->bz.cmdline_size);
	if (c->e820.n > E820_MAX_ENTRIES_ZEROPAGE)
		n_ext = c->e820.n - E820_MAX_ENTRIES_ZEROPAGE;
	ret = x86_rng_seed(c->seed, sizeof(c->seed));
	have_seed = !ret;
	if (ret)
		con_warn("x86_64: kernel RNG not ready (%s): no SETUP_RNG_SEED for the target",
			 strerror(-ret));

	ret = x86_seg_init(ld, &c->seg, seg_capacity(c, cmdlen, n_ext, have_seed));
	if (ret)
		return ret;
	bp = x86_seg_bp(&c->seg);
	x86_bp_init(bp, &c->bz, &c->fw, &c->efi);

	*off_cmd = x86_seg_append(&c->seg, cmdlen + 1);
	memcpy(c->seg.buf + *off_cmd, cmdline, cmdlen + 1);

	/* boot.rst / zero-page.rst: 128 entries fit the zero page; the
	 * kernel appends SETUP_E820_EXT entries to them. */
	if (n_ext)
		ext = x86_seg_add_sd(&c->seg, SETUP_E820_EXT,
				     n_ext * sizeof(*ext));
	x86_e820_fill(bp, &c->e820, ext);

	*off_map = c->efi.present ? add_efi(c) : 0;
	if (have_seed) {
		void *p = x86_seg_add_sd(&c->seg, SETUP_RNG_SEED,
					 X86_RNG_SEED_LEN);

		memcpy(p, c->seed, X86_RNG_SEED_LEN);
		memset(c->seed, 0, sizeof(c->seed));
	}
	return 0;
}

/* The segment below 4 GiB, so its 32-bit pointers (cmd_line_ptr,
 * efi_memmap) need no ext_ halves, above the first MiB, which boot.rst
 * asks loaders to leave alone.  Return: 0 or -errno. */
static int place_segment(struct arch_load *ld, struct x86_ctx *c, uint64_t *addr)
{
	struct plan_item it = {
		.name = "boot_params",
		.buf = c->seg.buf,
		.bufsz = c->seg.len,
		.memsz = c->seg.len,
		.align = PLAN_PAGE_SIZE,
		.min = X86_MIB,
		.max = X86_4G,
	};
	int ret;

	ret = plan_add(ld->plan, &it);
	if (ret)
		return ret;
	*addr = it.addr;
	return 0;
}

static int x86_load(struct arch_load *ld)
{
	size_t off_cmd = 0, off_map = 0;
	struct boot_params *bp;
	struct x86_ctx *c;
	uint64_t bp_addr = 0, map;
	int ret;

	c = arena_alloc(ld->arena, sizeof(*c));
	if (!c)
		return kx_fail(ENOMEM, "x86_64: out of memory");
	ret = bzimage_parse(ld->img->kernel_path, ld->img->kernel,
			    ld->img->kernel_size, &c->bz);
	if (!ret)
		ret = x86_hostfw_read(ld, &c->fw);
	/* boot.rst: XLF_5LEVEL "kernel supports 5-level paging" on entry;
	 * kexec keeps the shim's paging mode for the jump, as Linux's own
	 * bzImage64 loader checks ("bzImage cannot handle 5-level paging
	 * mode"). */
	if (!ret && c->fw.la57 && !(c->bz.xloadflags & XLF_5LEVEL))
		ret = kx_fail(EINVAL, "bzimage: %s: the shim runs with 5-level "
			      "paging and this kernel cannot be entered so "
			      "(xloadflags 0x%04x lack XLF_5LEVEL)",
			      c->bz.path, c->bz.xloadflags);
	if (!ret)
		ret = x86_efi_read(ld, &c->bz, &c->fw, &c->efi);
	if (!ret)
		ret = x86_e820_collect(ld, &c->efi, &c->e820);
	if (!ret)
		ret = build_segment(ld, c, &off_cmd, &off_map);
	if (!ret)
		ret = x86_place_images(ld, &c->bz, &c->placed);
	if (!ret)
		ret = place_segment(ld, c, &bp_addr);
	if (ret)
		return ret;

	bp = x86_seg_bp(&c->seg);
	if (c->bz.relocatable)
		bp->hdr.kernel_alignment = c->placed.kernel_alignment;
	x86_bp_set_addrs(bp, c->placed.kernel, c->placed.initrd,
			 c->placed.initrd ? ld->img->initrd_size : 0,
			 bp_addr + off_cmd);
	if (c->efi.present) {
		map = bp_addr + off_map;
		bp->efi_info.efi_memmap = (uint32_t)map;
		bp->efi_info.efi_memmap_hi = (uint32_t)(map >> 32);
	}
	x86_seg_link(&c->seg, bp_addr);

	ld->args->entry = c->placed.kernel + ENTRY_64_OFFSET;
	/* boot.rst: "%rsi must hold the base address of the struct
	 * boot_params". */
	ld->args->regs[0] = bp_addr;
	x86_serial_console(ld, &ld->args->console);
	return 0;
}

const struct arch_ops arch_ops = {
	.name = "x86_64",
	.load = x86_load,
	/* The purgatory runs on the identity map the old kernel's kexec
	 * builds over all RAM.  Below 4 GiB keeps every address it handles
	 * (GDT base, far jump, its own code) 32-bit clean; above the first
	 * MiB keeps it off what firmware and the real-mode world leave
	 * there (EBDA, BIOS data, trampolines). */
	.purgatory_min = X86_MIB,
	.purgatory_max = X86_4G,
};
