/* kexshim x86_64: the e820 memory map handed to the target.  Runs in
 * arch_ops.load in the shim.  Source, best first:
 *  1. /sys/firmware/memmap: the map firmware (or the EFI stub) gave the
 *     shim kernel, before that kernel carved reservations of its own into
 *     it; the target makes its own.
 *  2. l->firmware: the top-level ranges of /proc/iomem, or of the --memmap
 *     file when planning for another machine (then sysfs, which describes
 *     this machine, is not consulted). */
#include <errno.h>
#include <string.h>

#include "lib/error.h"
#include "arch/arch.h"
#include "arch/x86_64/x86.h"

/* The memory map's types are the E820 ones: they go into e820_table as
 * they are. */
_Static_assert(MEMMAP_RAM == E820_TYPE_RAM && MEMMAP_RESERVED == E820_TYPE_RESERVED &&
	       MEMMAP_ACPI == E820_TYPE_ACPI && MEMMAP_NVS == E820_TYPE_NVS &&
	       MEMMAP_UNUSABLE == E820_TYPE_UNUSABLE && MEMMAP_PMEM == E820_TYPE_PMEM,
	       "enum memmap_type must equal the E820_TYPE_* values");

#define FIRMWARE_MEMMAP "/sys/firmware/memmap"
#define EFI_PAGE_SIZE 4096ull

/* The EFI stub already reports runtime regions as reserved, but regions
 * the shim kernel turned into runtime memory later (efi_mem_reserve():
 * ESRT, the memory attributes table, ...) are RAM in the firmware map.
 * Left as RAM, the target would hand them to its page allocator while its
 * EFI memory map still points at them. */
static int reserve_runtime(struct memmap *map, const struct x86_efi *efi)
{
	size_t i, j, n = map->n;

	for (i = 0; i < efi->nr_desc; i++) {
		const struct efi_memory_desc *md = &efi->desc[i];
		uint64_t s = md->phys_addr;
		uint64_t e = s + md->num_pages * EFI_PAGE_SIZE;

		for (j = 0; j < n; j++) {
			struct memmap_range *r = &map->r[j];
			uint64_t is = s > r->start ? s : r->start;
			uint64_t ie = e < r->end ? e : r->end;

			if (r->type != MEMMAP_RAM || is >= ie)
				continue;
			if (memmap_remove(map, is, ie) || map->n >= MEMMAP_MAX)
				return kx_fail(ENOSPC, "x86_64: e820: more than %d ranges",
					       MEMMAP_MAX);
			map->r[map->n].start = is;
			map->r[map->n].end = ie;
			map->r[map->n].type = MEMMAP_RESERVED;
			map->n++;
			/* The removal may have shifted ranges: rescan. */
			n = map->n;
			j = (size_t)-1;
		}
	}
	memmap_normalize(map);
	return 0;
}

int x86_e820_collect(struct arch_load *ld, const struct x86_efi *efi,
		     struct memmap *map)
{
	char dir[4096];
	int ret;

	map->n = 0;
	if (!ld->memmap_given && root_exists(ld->root, FIRMWARE_MEMMAP)) {
		ret = root_path("x86_64", ld->root, FIRMWARE_MEMMAP, dir, sizeof(dir));
		if (!ret)
			ret = memmap_read_sysfs(dir, map);
		if (ret)
			return ret;
	} else {
		*map = *ld->firmware;
		memmap_normalize(map);
	}
	if (!map->n)
		return kx_fail(EINVAL, "x86_64: no firmware memory map for the target's e820");
	if (efi && efi->present)
		return reserve_runtime(map, efi);
	return 0;
}

size_t x86_e820_fill(struct boot_params *bp, const struct memmap *map,
		     struct boot_e820_entry *ext)
{
	size_t i, n_ext = 0;

	bp->e820_entries = 0;
	for (i = 0; i < map->n; i++) {
		struct boot_e820_entry e = {
			.addr = map->r[i].start,
			.size = map->r[i].end - map->r[i].start,
			.type = map->r[i].type,
		};

		if (i < E820_MAX_ENTRIES_ZEROPAGE) {
			bp->e820_table[i] = e;
			bp->e820_entries++;
		} else if (ext) {
			ext[n_ext++] = e;
		}
	}
	return n_ext;
}
