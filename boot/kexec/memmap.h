/* kexshim: physical memory maps.  Ranges are half-open [start, end). */
#ifndef KEXSHIM_MEMMAP_H
#define KEXSHIM_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

#define MEMMAP_MAX 512

/* Values are the E820 types so x86 can copy them straight into e820_table. */
enum memmap_type {
	MEMMAP_RAM = 1,
	MEMMAP_RESERVED = 2,
	MEMMAP_ACPI = 3,
	MEMMAP_NVS = 4,
	MEMMAP_UNUSABLE = 5,
	MEMMAP_PMEM = 7,
	MEMMAP_PRAM = 12, /* "Persistent Memory (legacy)" */
	MEMMAP_SOFT_RESERVED = 0xefffffff,
};

struct memmap_range {
	uint64_t start, end; /* [start, end) */
	uint32_t type;       /* enum memmap_type */
};

struct memmap {
	struct memmap_range r[MEMMAP_MAX];
	size_t n;
};

/* Parse the text of /proc/iomem (as root shows it).
 * firmware: top-level entries with a known type (System RAM, Reserved, ACPI
 *   Tables, ACPI Non-volatile Storage, Persistent Memory, Soft Reserved,
 *   Unusable memory), plus such entries nested under an untyped one (x86
 *   lists the MMCONFIG e820 reservation under "PCI MMCONFIG ..."), sorted,
 *   merged; for the target's e820 when sysfs is missing.
 * usable: top-level "System RAM" minus its children named "Crash kernel" or
 *   "reserved" (arm64 marks firmware/EFI memory so), sorted, merged.
 * Either output may be NULL.  All-zero addresses (a non-root read) are an
 * error.  Return: 0 or -errno with kx_fail() message naming `name`. */
int memmap_parse_iomem(const char *name, const char *text, size_t len,
		       struct memmap *firmware, struct memmap *usable);

/* Read /sys/firmware/memmap-style directory DIR (N/start, N/end inclusive,
 * N/type strings) into map, sorted.  Return: 0 or -errno (kx_fail). */
int memmap_read_sysfs(const char *dir, struct memmap *map);

/* The type of a firmware-map range name ("System RAM", "ACPI Tables", ...),
 * compared case-insensitively over len bytes.
 * Return: enum memmap_type, 0 if the name is not a firmware-map type. */
uint32_t memmap_type_from_name(const char *name, size_t len);

/* Remove [start, end) from map (splitting ranges as needed).
 * Return: 0, or -ENOSPC if the map is full. */
int memmap_remove(struct memmap *map, uint64_t start, uint64_t end);

/* Sort by start and merge touching ranges of the same type. */
void memmap_normalize(struct memmap *map);

/* Total bytes of type RAM. */
uint64_t memmap_ram_bytes(const struct memmap *map);

#endif
