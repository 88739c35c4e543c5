/* kexshim: /chosen of the target's device tree (see dt.h).  Runs in the
 * shim's init, the CLI and host tests while the dtb is built.  What the
 * previous boot left (its initrd, a kdump or IMA hand-over and the
 * /memreserve/ entries covering them) is removed, as Linux's own kexec does
 * (drivers/of/kexec.c); what the firmware put there stays. */
#include <errno.h>
#include <libfdt.h>
#include <string.h>
#include <sys/random.h>

#include "common/util.h"
#include "fdt/dt.h"
#include "lib/console.h"
#include "lib/error.h"

#define PAGE 4096ull

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

/* Address/size properties of the previous boot, each with a /memreserve/
 * entry of the same range (kdump's elfcorehdr, IMA's measurement log
 * carried over kexec): a normal boot must not inherit them, or the target
 * would confine itself to a crash kernel region or trust a stale log. */
static const char *const handover_props[] = {
	"linux,elfcorehdr",
	"linux,usable-memory-range",
	"linux,ima-kexec-buffer",
};

static int fail(const char *name, const char *what, int fdt_err)
{
	return kx_fail(EINVAL, "dtb: %s: %s: %s", name, what,
		       fdt_strerror(fdt_err));
}

int dt_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		/* Never block boot on entropy; and never hand out bytes from
		 * an unready pool: the target credits rng-seed as entropy
		 * (add_bootloader_randomness), so Linux's own kexec adds the
		 * seeds only once the CRNG is ready. */
		ssize_t n = getrandom(p, len, GRND_NONBLOCK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return -EAGAIN;
		if (n <= 0)
			return kx_fail(errno ? errno : EIO, "dtb: getrandom: %s",
				       strerror(errno ? errno : EIO));
		p += n;
		len -= n;
	}
	return 0;
}

/* Return: the number in a property of 4 or 8 bytes (initrd-start/-end). */
static bool get_number(const void *fdt, int node, const char *prop,
		       uint64_t *v)
{
	const void *p;
	int len;

	p = fdt_getprop(fdt, node, prop, &len);
	if (p && len == 4)
		*v = fdt32_ld(p);
	else if (p && len == 8)
		*v = fdt64_ld(p);
	else
		return false;
	return true;
}

/* An address/size pair in the root's #address-cells/#size-cells. */
static bool get_range(const void *fdt, int node, const char *prop,
		      uint64_t *addr, uint64_t *size)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	const fdt32_t *p;
	int len, i;

	p = fdt_getprop(fdt, node, prop, &len);
	if (!p || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < (ac + sc) * 4)
		return false;
	*addr = *size = 0;
	for (i = 0; i < ac; i++)
		*addr = *addr << 32 | fdt32_to_cpu(p[i]);
	for (i = 0; i < sc; i++)
		*size = *size << 32 | fdt32_to_cpu(p[ac + i]);
	return true;
}

/* Delete the /memreserve/ entries matching [addr, +size) exactly, or with
 * pages set also with size rounded up to a page (firmware reserves whole
 * pages, kexec the exact size: drivers/of/kexec.c checks both for the
 * initrd); addr ~0 matches any address.  Return: 0 or a libfdt error. */
static int del_rsv(void *fdt, uint64_t addr, uint64_t size, bool pages)
{
	int i, err;

	for (i = fdt_num_mem_rsv(fdt) - 1; i >= 0; i--) {
		uint64_t a, s;

		err = fdt_get_mem_rsv(fdt, i, &a, &s);
		if (err)
			return err;
		if ((addr != ~0ull && a != addr) ||
		    (s != size && (!pages || s != ALIGN_UP(size, PAGE))))
			continue;
		err = fdt_del_mem_rsv(fdt, i);
		if (err)
			return err;
	}
	return 0;
}

/* Forget what the previous boot left in /chosen and /memreserve/.
 * Return: 0 or -errno. */
static int drop_previous_boot(const char *name, void *fdt, int chosen,
			      const void *live, bool base_is_live)
{
	uint64_t start, end, size;
	size_t i;
	int err;

	if (get_number(fdt, chosen, "linux,initrd-start", &start) &&
	    get_number(fdt, chosen, "linux,initrd-end", &end) && end > start) {
		err = del_rsv(fdt, start, end - start, true);
		if (err)
			return fail(name, "/memreserve/ of the old initrd", err);
	}
	err = fdt_delprop(fdt, chosen, "linux,initrd-start");
	if (!err || err == -FDT_ERR_NOTFOUND)
		err = fdt_delprop(fdt, chosen, "linux,initrd-end");
	if (err && err != -FDT_ERR_NOTFOUND)
		return fail(name, "linux,initrd-*", err);

	for (i = 0; i < ARRAY_SIZE(handover_props); i++) {
		if (get_range(fdt, chosen, handover_props[i], &start, &size)) {
			err = del_rsv(fdt, start, size, true);
			if (err)
				return fail(name, handover_props[i], err);
		}
		err = fdt_delprop(fdt, chosen, handover_props[i]);
		if (err && err != -FDT_ERR_NOTFOUND)
			return fail(name, handover_props[i], err);
	}

	/* A loader such as U-Boot reserves the tree it passed, exactly
	 * fdt_totalsize() bytes (fdt_shrink_to_minimum() sets both).  Linux
	 * matches the entry by __pa() of the tree, which userspace cannot
	 * see; /sys/firmware/fdt holds those very bytes, so the exact size
	 * identifies it (never page-rounded: firmware likes to reserve
	 * single pages for spin tables).  An EFI boot has none: the stub
	 * deletes every entry. */
	if (base_is_live && live) {
		err = del_rsv(fdt, ~0ull, fdt_totalsize(live), false);
		if (err)
			return fail(name, "/memreserve/ of the old tree", err);
	}
	return 0;
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
			return fail(name, uefi_props[i], err);
	}
	return 0;
}

/* Fresh seeds every time (the kernel wipes its copy after use, and a
 * reused seed would give every kexec the same layout), or none at all
 * while the kernel's pool is not ready.  Return: 0 or -errno. */
static int set_seeds(const char *name, void *fdt, int chosen)
{
	uint8_t rng[DT_RNG_SEED_SIZE];
	uint64_t kaslr;
	int err;

	err = dt_random(&kaslr, sizeof(kaslr));
	if (!err)
		err = dt_random(rng, sizeof(rng));
	if (err == -EAGAIN) {
		con_warn("dtb: kernel RNG not ready: no kaslr-seed or rng-seed "
			 "for the target");
		err = fdt_delprop(fdt, chosen, "kaslr-seed");
		if (!err || err == -FDT_ERR_NOTFOUND)
			err = fdt_delprop(fdt, chosen, "rng-seed");
		if (err && err != -FDT_ERR_NOTFOUND)
			return fail(name, "seeds", err);
		return 0;
	}
	if (err)
		return err;
	err = fdt_setprop_u64(fdt, chosen, "kaslr-seed", kaslr);
	if (!err)
		err = fdt_setprop(fdt, chosen, "rng-seed", rng, sizeof(rng));
	memset(rng, 0, sizeof(rng));
	if (err)
		return fail(name, "seeds", err);
	return 0;
}

int dt_edit_chosen(const struct dt_request *r, const char *name, void *fdt,
		   const void *live)
{
	int chosen, err;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0)
		return fail(name, "/chosen", chosen);

	err = drop_previous_boot(name, fdt, chosen, live, !r->dtb);
	if (err)
		return err;
	if (r->dtb) {
		err = copy_uefi(name, fdt, chosen, live);
		if (err)
			return err;
	}
	err = fdt_setprop_string(fdt, chosen, "bootargs",
				 r->cmdline ? r->cmdline : "");
	if (err)
		return fail(name, "bootargs", err);
	if (r->initrd_end > r->initrd_start) {
		/* The kernel reads both as numbers of the property's own
		 * length; end is exclusive (of/fdt.c: "initrd_end"). */
		err = fdt_setprop_u64(fdt, chosen, "linux,initrd-start",
				      r->initrd_start);
		if (!err)
			err = fdt_setprop_u64(fdt, chosen, "linux,initrd-end",
					      r->initrd_end);
		if (err)
			return fail(name, "linux,initrd-*", err);
	}
	return set_seeds(name, fdt, chosen);
}
