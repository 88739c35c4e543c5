/* kexshim arm64: the device tree handed to the target kernel in x0.  Runs
 * in the shim's init (and the CLI, host tests) after the kernel and initrd
 * are placed, before the dtb itself is.  All tree edits go through libfdt.
 *
 * The base tree is the one the running kernel booted with
 * (/sys/firmware/fdt: on an EFI boot the stub made it, with the EFI system
 * table and memory map in /chosen), or a --dtb file that replaces it. */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "lib/error.h"
#include "arch/arch.h"
#include "arch/arm64/arm64.h"

#ifndef GRND_INSECURE
#define GRND_INSECURE 0x0004 /* Linux 5.6+ */
#endif

#define LIVE_FDT "/sys/firmware/fdt"
#define RNG_SEED_SIZE 64
/* Room for the properties added to /chosen (seeds, initrd, uefi copies),
 * beyond the command line and the /memory node. */
#define DTB_SLACK 4096

/* /chosen properties the EFI stub writes (drivers/firmware/efi/libstub/
 * fdt.c).  They describe this boot's firmware, so they pass to the target
 * unchanged: with them it keeps EFI runtime services and takes its memory
 * map from the EFI map. */
static const char *const uefi_props[] = {
	"linux,uefi-system-table",
	"linux,uefi-mmap-start",
	"linux,uefi-mmap-size",
	"linux,uefi-mmap-desc-size",
	"linux,uefi-mmap-desc-ver",
	"linux,uefi-secure-boot",
};

/* /chosen properties of a crash kernel: a normal boot must not inherit
 * them, or the target would confine itself to the crashkernel region. */
static const char *const kdump_props[] = {
	"linux,elfcorehdr",
	"linux,usable-memory-range",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int fdt_fail(const char *name, const char *what, int fdt_err)
{
	return kx_fail(EINVAL, "arm64-dtb: %s: %s: %s", name, what,
		       fdt_strerror(fdt_err));
}

/* Return: 0 when buf holds a whole, sane flattened tree, else -EINVAL. */
static int check_tree(const char *name, const void *buf, size_t len)
{
	int err;

	if (len < sizeof(struct fdt_header))
		return kx_fail(EINVAL, "arm64-dtb: %s: truncated (%zu bytes)",
			       name, len);
	err = fdt_check_header(buf);
	if (err)
		return fdt_fail(name, "not a device tree", err);
	if (fdt_totalsize(buf) > len)
		return kx_fail(EINVAL, "arm64-dtb: %s: truncated: header says "
			       "%u bytes, file has %zu", name,
			       fdt_totalsize(buf), len);
	return 0;
}

/* Fill buf from the kernel's random pool.  Return: 0 or -errno. */
static int fill_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		/* Never block boot on entropy: early in the shim the pool
		 * may not be ready, and these seeds are mixed into the
		 * target's pool, not used alone. */
		ssize_t n = getrandom(p, len, GRND_NONBLOCK);

		if (n < 0 && errno == EAGAIN)
			n = getrandom(p, len, GRND_INSECURE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return kx_fail(errno ? errno : EIO, "arm64-dtb: "
				       "getrandom: %s", strerror(errno));
		p += n;
		len -= n;
	}
	return 0;
}

static bool has_uefi(const void *fdt, int chosen)
{
	return chosen >= 0 &&
	       fdt_getprop(fdt, chosen, "linux,uefi-system-table", NULL);
}

/* Make the tree's uefi props those of the live tree's /chosen (none when
 * the live tree has none): a --dtb file knows nothing of this boot's
 * firmware.  Return: 0 or -errno. */
static int copy_uefi(const char *name, void *fdt, int chosen, const void *live)
{
	int live_chosen = live ? fdt_path_offset(live, "/chosen") : -1;
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(uefi_props); i++) {
		const void *v = NULL;
		int len = 0;

		if (live_chosen >= 0)
			v = fdt_getprop(live, live_chosen, uefi_props[i], &len);
		if (v)
			err = fdt_setprop(fdt, chosen, uefi_props[i], v, len);
		else
			err = fdt_delprop(fdt, chosen, uefi_props[i]);
		if (err && err != -FDT_ERR_NOTFOUND)
			return fdt_fail(name, uefi_props[i], err);
	}
	return 0;
}

/* Return: true when the tree has a node with device_type = "memory". */
static bool has_memory_node(const void *fdt)
{
	return fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory",
					     sizeof("memory")) >= 0;
}

/* Describe l->usable as one /memory node.  Only usable RAM: firmware
 * carve-outs ("reserved" in /proc/iomem) stay invisible to the target, so
 * it cannot allocate over them without /reserved-memory entries.
 * Return: 0 or -errno. */
static int add_memory(const char *name, void *fdt, const struct memmap *usable)
{
	char node_name[32];
	size_t i;
	int node, err;

	for (i = 0; i < usable->n; i++)
		if (usable->r[i].type == MEMMAP_RAM)
			break;
	if (i == usable->n)
		return kx_fail(EINVAL, "arm64-dtb: %s: no /memory node and no "
			       "usable RAM to describe", name);
	snprintf(node_name, sizeof(node_name), "memory@%llx",
		 (unsigned long long)usable->r[i].start);
	node = fdt_add_subnode(fdt, 0, node_name);
	if (node < 0)
		return fdt_fail(name, node_name, node);
	err = fdt_setprop_string(fdt, node, "device_type", "memory");
	for (; !err && i < usable->n; i++) {
		if (usable->r[i].type != MEMMAP_RAM)
			continue;
		/* Uses the root's #address-cells/#size-cells, and fails with
		 * BADVALUE when a range does not fit them. */
		err = fdt_appendprop_addrrange(fdt, 0, node, "reg",
					       usable->r[i].start,
					       usable->r[i].end -
					       usable->r[i].start);
	}
	if (err)
		return fdt_fail(name, "/memory reg", err);
	return 0;
}

/* Edit /chosen of the opened tree.  Return: 0 or -errno. */
static int edit_chosen(struct arch_load *ld, const char *name, void *fdt,
		       const void *live, const struct arm64_dtb_info *info)
{
	uint8_t rng[RNG_SEED_SIZE];
	uint64_t kaslr;
	size_t i;
	int chosen, err;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0)
		return fdt_fail(name, "/chosen", chosen);

	if (ld->img->dtb) {
		err = copy_uefi(name, fdt, chosen, live);
		if (err)
			return err;
	}
	err = fdt_setprop_string(fdt, chosen, "bootargs",
				 ld->img->cmdline ? ld->img->cmdline : "");
	if (err)
		return fdt_fail(name, "bootargs", err);

	if (info->initrd_end > info->initrd_start) {
		/* The kernel reads both as numbers of the property's own
		 * length; end is exclusive (of/fdt.c: "initrd_end"). */
		err = fdt_setprop_u64(fdt, chosen, "linux,initrd-start",
				      info->initrd_start);
		if (!err)
			err = fdt_setprop_u64(fdt, chosen, "linux,initrd-end",
					      info->initrd_end);
	} else {
		/* The running kernel's own initrd is gone after kexec. */
		err = fdt_delprop(fdt, chosen, "linux,initrd-start");
		if (!err || err == -FDT_ERR_NOTFOUND)
			err = fdt_delprop(fdt, chosen, "linux,initrd-end");
		if (err == -FDT_ERR_NOTFOUND)
			err = 0;
	}
	if (err)
		return fdt_fail(name, "linux,initrd-*", err);

	for (i = 0; i < ARRAY_SIZE(kdump_props); i++) {
		err = fdt_delprop(fdt, chosen, kdump_props[i]);
		if (err && err != -FDT_ERR_NOTFOUND)
			return fdt_fail(name, kdump_props[i], err);
	}

	/* Fresh seeds every time: the kernel wipes its copy after use, and
	 * a reused seed would give every kexec the same layout. */
	err = fill_random(&kaslr, sizeof(kaslr));
	if (!err)
		err = fill_random(rng, sizeof(rng));
	if (err)
		return err;
	err = fdt_setprop_u64(fdt, chosen, "kaslr-seed", kaslr);
	if (!err)
		err = fdt_setprop(fdt, chosen, "rng-seed", rng, sizeof(rng));
	if (err)
		return fdt_fail(name, "seeds", err);
	return 0;
}

int arm64_dtb_build(struct arch_load *ld, const struct arm64_dtb_info *info,
		    void **out, size_t *outsize)
{
	const char *root = ld->root;
	char live_name[4096];
	const void *base, *live = NULL;
	const char *name;
	char *live_buf = NULL;
	size_t live_len = 0, base_len, bufsize;
	void *fdt;
	int err;

	snprintf(live_name, sizeof(live_name), "%s%s", root, LIVE_FDT);
	err = arm64_read_optional(ld, LIVE_FDT, &live_buf, &live_len);
	if (err && err != -ENOENT)
		return err;
	if (!err) {
		err = check_tree(live_name, live_buf, live_len);
		if (err)
			return err;
		live = live_buf;
	}
	if (ld->img->dtb) {
		base = ld->img->dtb;
		base_len = ld->img->dtb_size;
		name = ld->img->dtb_path ? ld->img->dtb_path : "--dtb";
		err = check_tree(name, base, base_len);
		if (err)
			return err;
	} else if (live) {
		base = live;
		base_len = live_len;
		name = live_name;
	} else {
		return kx_fail(ENOENT, "arm64-dtb: %s: missing, and no --dtb "
			       "given", live_name);
	}

	bufsize = (size_t)fdt_totalsize(base) + DTB_SLACK + RNG_SEED_SIZE +
		  strlen(ld->img->cmdline ? ld->img->cmdline : "") +
		  ld->usable->n * 16 + 256;
	fdt = arena_alloc(ld->arena, bufsize);
	if (!fdt)
		return kx_fail(ENOMEM, "arm64-dtb: %s: out of memory", name);
	err = fdt_open_into(base, fdt, bufsize);
	if (err)
		return fdt_fail(name, "cannot open", err);

	err = edit_chosen(ld, name, fdt, live, info);
	if (err)
		return err;
	/* An EFI boot needs no /memory: the kernel takes its memory from the
	 * EFI map that linux,uefi-mmap-* point at (and the stub deletes the
	 * nodes).  Without EFI a tree with no /memory gets usable RAM. */
	if (!has_uefi(fdt, fdt_path_offset(fdt, "/chosen")) &&
	    !has_memory_node(fdt)) {
		err = add_memory(name, fdt, ld->usable);
		if (err)
			return err;
	}

	err = fdt_pack(fdt);
	if (err)
		return fdt_fail(name, "pack", err);
	if (fdt_totalsize(fdt) > ARM64_DTB_MAX)
		return kx_fail(E2BIG, "arm64-dtb: %s: the target's dtb is %u "
			       "bytes; booting.rst allows at most 2 MiB", name,
			       fdt_totalsize(fdt));
	*out = fdt;
	*outsize = fdt_totalsize(fdt);
	return 0;
}
