/* kexshim: build the target's device tree (see dt.h).  Runs in the shim's
 * init, the CLI and host tests, once the kernel and initrd are placed. */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fdt/dt.h"
#include "lib/error.h"
#include "lib/readfile.h"

/* Room for the properties added to /chosen (seeds, initrd, uefi copies),
 * beyond the command line and the /memory node. */
#define DTB_SLACK 4096

static int fail(const char *name, const char *what, int fdt_err)
{
	return kx_fail(EINVAL, "dtb: %s: %s: %s", name, what,
		       fdt_strerror(fdt_err));
}

/* libfdt (1.6) trusts the memory reservation map to end where its
 * terminator (address and size 0) is, and fdt_open_into() moves blocks
 * by what it counts: a map that runs into the next block makes it
 * memmove a negative size.  The map must end before the block after it.
 * Return: true when it does. */
static bool rsvmap_fits(const void *fdt)
{
	const uint8_t *p = fdt;
	uint32_t off = fdt_off_mem_rsvmap(fdt), end = fdt_totalsize(fdt);
	uint32_t blk[2] = { fdt_off_dt_struct(fdt), fdt_off_dt_strings(fdt) };
	size_t i;

	for (i = 0; i < 2; i++)
		if (blk[i] >= off && blk[i] < end)
			end = blk[i];
	for (; off <= end && end - off >= sizeof(struct fdt_reserve_entry);
	     off += sizeof(struct fdt_reserve_entry)) {
		static const uint8_t zero[sizeof(struct fdt_reserve_entry)];

		if (!memcmp(p + off, zero, sizeof(zero)))
			return true;
	}
	return false;
}

int dt_check(const char *name, const void *buf, size_t len)
{
	int err;

	if (len < sizeof(struct fdt_header))
		return kx_fail(EINVAL, "dtb: %s: truncated (%zu bytes)", name,
			       len);
	err = fdt_check_header(buf);
	if (err)
		return fail(name, "not a device tree", err);
	if (fdt_totalsize(buf) > len)
		return kx_fail(EINVAL, "dtb: %s: truncated: header says %u "
			       "bytes, file has %zu", name, fdt_totalsize(buf),
			       len);
	if (!rsvmap_fits(buf))
		return kx_fail(EINVAL, "dtb: %s: the memory reservation map "
			       "has no end before the next block", name);
	/* every block and token inside the tree, before libfdt edits it */
	err = fdt_check_full(buf, fdt_totalsize(buf));
	if (err)
		return fail(name, "not a device tree", err);
	return 0;
}

static bool has_uefi(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	return chosen >= 0 &&
	       fdt_getprop(fdt, chosen, "linux,uefi-system-table", NULL);
}

/* Return: true when the tree has a node with device_type = "memory". */
static bool has_memory_node(const void *fdt)
{
	return fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory",
					     sizeof("memory")) >= 0;
}

/* Describe usable RAM as one /memory node.  Only usable RAM: firmware
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
		return kx_fail(EINVAL, "dtb: %s: no /memory node and no usable "
			       "RAM to describe", name);
	snprintf(node_name, sizeof(node_name), "memory@%llx",
		 (unsigned long long)usable->r[i].start);
	node = fdt_add_subnode(fdt, 0, node_name);
	if (node < 0)
		return fail(name, node_name, node);
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
		return fail(name, "/memory reg", err);
	return 0;
}

/* The running kernel's tree, when it exports one.
 * Return: 0 (*live NULL when there is none) or -errno. */
static int read_live(const struct dt_request *r, char *name, size_t name_size,
		     const void **live, size_t *len)
{
	char *buf;
	int err;

	*live = NULL;
	err = root_path("dtb", r->root, DT_LIVE_FDT, name, name_size);
	if (err)
		return err;
	if (access(name, F_OK))
		return 0;
	err = arena_read_file(r->arena, "dtb", name, &buf, len);
	if (!err)
		err = dt_check(name, buf, *len);
	if (err)
		return err;
	*live = buf;
	return 0;
}

/* Overlay i onto fdt.  libfdt consumes (rewrites) the overlay, so it gets
 * a copy.  Return: 0 or -errno ("dtb: OVERLAY: cannot apply ..."): an
 * entry whose overlay does not apply does not boot. */
static int apply_overlay(const struct dt_request *r, size_t i,
			 const char *base_name, void *fdt)
{
	const char *name = r->overlay_path[i];
	void *copy;
	int err;

	err = dt_check(name, r->overlay[i], r->overlay_size[i]);
	if (err)
		return err;
	copy = arena_alloc(r->arena, r->overlay_size[i]);
	if (!copy)
		return kx_fail(ENOMEM, "dtb: %s: out of memory", name);
	memcpy(copy, r->overlay[i], r->overlay_size[i]);
	err = fdt_overlay_apply(fdt, copy);
	if (err)
		return kx_fail(EINVAL, "dtb: %s: cannot apply to %s: %s%s", name,
			       base_name, fdt_strerror(err),
			       err == -FDT_ERR_NOTFOUND ?
			       " (is the base built with dtc -@?)" : "");
	return 0;
}

int dt_build(const struct dt_request *r, void **out, size_t *outsize)
{
	char live_name[4096];
	const void *base, *live;
	size_t live_len = 0, base_len, bufsize;
	const char *name;
	void *fdt;
	size_t i;
	int err;

	err = read_live(r, live_name, sizeof(live_name), &live, &live_len);
	if (err)
		return err;
	if (r->dtb) {
		base = r->dtb;
		base_len = r->dtb_size;
		name = r->dtb_path ? r->dtb_path : "--dtb";
		err = dt_check(name, base, base_len);
		if (err)
			return err;
	} else if (live) {
		base = live;
		base_len = live_len;
		name = live_name;
	} else {
		return kx_fail(ENOENT, "dtb: %s: missing, and no --dtb given",
			       live_name);
	}

	bufsize = (size_t)fdt_totalsize(base) + DTB_SLACK + DT_RNG_SEED_SIZE +
		  strlen(r->cmdline ? r->cmdline : "") + r->usable->n * 16 + 256;
	for (i = 0; i < r->nr_overlay; i++)
		bufsize += r->overlay_size[i];
	fdt = arena_alloc(r->arena, bufsize);
	if (!fdt)
		return kx_fail(ENOMEM, "dtb: %s: out of memory", name);
	err = fdt_open_into(base, fdt, bufsize);
	if (err)
		return fail(name, "cannot open", err);

	for (i = 0; i < r->nr_overlay; i++) {
		err = apply_overlay(r, i, name, fdt);
		if (err)
			return err;
	}
	err = dt_edit_chosen(r, name, fdt, live);
	if (err)
		return err;
	/* An EFI boot needs no /memory: the kernel takes its memory from the
	 * EFI map that linux,uefi-mmap-* point at (and the stub deletes the
	 * nodes).  Without EFI a tree with no /memory gets usable RAM. */
	if (!has_uefi(fdt) && !has_memory_node(fdt)) {
		err = add_memory(name, fdt, r->usable);
		if (err)
			return err;
	}

	err = fdt_pack(fdt);
	if (err)
		return fail(name, "pack", err);
	if (fdt_totalsize(fdt) > r->max_size)
		return kx_fail(E2BIG, "dtb: %s: the target's dtb is %u bytes; "
			       "the boot protocol allows at most %zu %s", name,
			       fdt_totalsize(fdt),
			       r->max_size % (1u << 20) ? r->max_size :
			       r->max_size >> 20,
			       r->max_size % (1u << 20) ? "bytes" : "MiB");
	*out = fdt;
	*outsize = fdt_totalsize(fdt);
	return 0;
}
