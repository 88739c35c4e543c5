/* kexshim: physical memory maps as sorted lists of half-open [start, end)
 * ranges, and the /proc/iomem parser.  Runs in the shim before planning, and
 * on any host for `kexshim plan --memmap FILE`.  Pure: no I/O here. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "lib/error.h"
#include "kexec/memmap.h"

/* Names the kernel gives firmware-map ranges (arch/x86/kernel/e820.c:
 * e820_type_to_string()); /proc/iomem's top level and
 * /sys/firmware/memmap/N/type both print them. */
static const struct {
	const char *name;
	uint32_t type;
} iomem_types[] = {
	{ "System RAM", MEMMAP_RAM },
	{ "Reserved", MEMMAP_RESERVED },
	{ "ACPI Tables", MEMMAP_ACPI },
	{ "ACPI Non-volatile Storage", MEMMAP_NVS },
	{ "Unusable memory", MEMMAP_UNUSABLE },
	{ "Persistent Memory (legacy)", MEMMAP_PRAM },
	{ "Persistent Memory", MEMMAP_PMEM },
	{ "Soft Reserved", MEMMAP_SOFT_RESERVED },
};

uint32_t memmap_type_from_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(iomem_types); i++) {
		if (strlen(iomem_types[i].name) == len &&
		    !strncasecmp(iomem_types[i].name, name, len))
			return iomem_types[i].type;
	}
	return 0;
}

/* Children of System RAM that the next kernel must not be loaded over:
 * the crashkernel reservation, and on arm64 firmware/EFI memory. */
static bool iomem_keep_out(const char *name, size_t len)
{
	return (len == 12 && !memcmp(name, "Crash kernel", 12)) ||
	       (len == 8 && !memcmp(name, "reserved", 8));
}

static int add_range(struct memmap *map, uint64_t start, uint64_t end,
		     uint32_t type)
{
	if (map->n >= MEMMAP_MAX)
		return -ENOSPC;
	map->r[map->n].start = start;
	map->r[map->n].end = end;
	map->r[map->n].type = type;
	map->n++;
	return 0;
}

/* Parse up to 16 hex digits at *p (no 0x, as iomem prints them).
 * Return: number of digits consumed, 0 when none or too many. */
static size_t parse_hex(const char *p, const char *end, uint64_t *out)
{
	size_t n = 0;
	uint64_t v = 0;

	for (; p + n < end; n++) {
		char c = p[n];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		if (n == 16)
			return 0;
		v = v << 4 | d;
	}
	*out = v;
	return n;
}

struct iomem_line {
	unsigned indent;
	uint64_t start, last; /* inclusive, as printed */
	const char *name;
	size_t name_len;
};

/* One line: "<2*depth spaces><start>-<end> : <name>".
 * Return: true when well-formed. */
static bool parse_line(const char *p, const char *end, struct iomem_line *out)
{
	size_t n;

	out->indent = 0;
	while (p < end && *p == ' ') {
		out->indent++;
		p++;
	}
	n = parse_hex(p, end, &out->start);
	if (!n)
		return false;
	p += n;
	if (p >= end || *p++ != '-')
		return false;
	n = parse_hex(p, end, &out->last);
	if (!n)
		return false;
	p += n;
	if (end - p < 3 || memcmp(p, " : ", 3))
		return false;
	p += 3;
	/* Saved files may have come through Windows or a terminal. */
	while (end > p && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end || out->last < out->start)
		return false;
	out->name = p;
	out->name_len = end - p;
	return true;
}

int memmap_parse_iomem(const char *name, const char *text, size_t len,
		       struct memmap *firmware, struct memmap *usable)
{
	const char *p = text, *end = text + len;
	bool in_ram = false, top_typed = false, any_nonzero = false;
	uint64_t ram_start = 0, ram_end = 0;
	unsigned lineno = 0, entries = 0;
	struct iomem_line ln;

	if (firmware)
		firmware->n = 0;
	if (usable)
		usable->n = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);
		const char *next;
		uint64_t rend;
		uint32_t type;

		if (!eol)
			eol = end;
		next = eol + 1;
		lineno++;
		if (eol == p || (eol - p == 1 && *p == '\r')) {
			p = next;
			continue;
		}
		if (!parse_line(p, eol, &ln)) {
			int w = eol - p > 60 ? 60 : (int)(eol - p);

			return kx_fail(EINVAL, "memmap: %s:%u: cannot parse \"%.*s\"",
				       name, lineno, w, p);
		}
		p = next;
		entries++;
		if (ln.start || ln.last)
			any_nonzero = true;
		/* Inclusive end to half-open; the very top byte is lost. */
		rend = ln.last == UINT64_MAX ? UINT64_MAX : ln.last + 1;

		if (ln.indent == 0) {
			type = memmap_type_from_name(ln.name, ln.name_len);
			/* Lower-case "reserved" at top level is the same thing
			 * (memmap_type_from_name compares case-insensitively). */
			in_ram = type == MEMMAP_RAM;
			top_typed = type != 0;
			ram_start = ln.start;
			ram_end = rend;
			if (type && firmware &&
			    add_range(firmware, ln.start, rend, type))
				goto full;
			if (in_ram && usable &&
			    add_range(usable, ln.start, rend, MEMMAP_RAM))
				goto full;
			continue;
		}
		/* x86 shows some e820 reservations under the resource that
		 * claimed them ("PCI MMCONFIG ..." > "Reserved"); the target
		 * needs them in its e820 all the same. */
		type = memmap_type_from_name(ln.name, ln.name_len);
		if (!top_typed && type && type != MEMMAP_RAM && firmware &&
		    add_range(firmware, ln.start, rend, type))
			goto full;
		if (in_ram && usable && iomem_keep_out(ln.name, ln.name_len)) {
			/* A child never extends past its parent; clamp anyway
			 * so a hand-edited file cannot punch holes elsewhere. */
			uint64_t s = ln.start < ram_start ? ram_start : ln.start;
			uint64_t e = rend > ram_end ? ram_end : rend;

			if (s < e && memmap_remove(usable, s, e))
				goto full;
		}
	}

	if (!entries)
		return kx_fail(EINVAL, "memmap: %s: no entries", name);
	/* Without CAP_SYS_ADMIN the kernel prints every address as 0. */
	if (!any_nonzero)
		return kx_fail(EPERM,
			       "memmap: %s: addresses are all zero (read /proc/iomem as root)",
			       name);
	if (firmware)
		memmap_normalize(firmware);
	if (usable)
		memmap_normalize(usable);
	return 0;
full:
	return kx_fail(E2BIG, "memmap: %s:%u: more than %d ranges", name,
		       lineno, MEMMAP_MAX);
}

int memmap_remove(struct memmap *map, uint64_t start, uint64_t end)
{
	size_t i, splits = 0;

	if (start >= end)
		return 0;
	/* Count first so a full map fails without being half-modified. */
	for (i = 0; i < map->n; i++)
		if (map->r[i].start < start && map->r[i].end > end)
			splits++;
	if (map->n + splits > MEMMAP_MAX)
		return -ENOSPC;

	for (i = 0; i < map->n;) {
		struct memmap_range *r = &map->r[i];

		if (r->end <= start || r->start >= end) {
			i++;
		} else if (r->start >= start && r->end <= end) {
			memmove(r, r + 1, (map->n - i - 1) * sizeof(*r));
			map->n--;
		} else if (r->start < start && r->end > end) {
			/* Split: the upper part goes right after, keeping order. */
			memmove(r + 2, r + 1, (map->n - i - 1) * sizeof(*r));
			r[1] = *r;
			r[1].start = end;
			r->end = start;
			map->n++;
			i += 2;
		} else if (r->start < start) {
			r->end = start;
			i++;
		} else {
			r->start = end;
			i++;
		}
	}
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct memmap_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->type < y->type ? -1 : x->type > y->type;
}

void memmap_normalize(struct memmap *map)
{
	size_t i, out = 0;

	qsort(map->r, map->n, sizeof(map->r[0]), cmp_range);
	for (i = 0; i < map->n; i++) {
		struct memmap_range *r = &map->r[i];
		struct memmap_range *prev = out ? &map->r[out - 1] : NULL;

		if (r->start >= r->end)
			continue;
		if (prev && prev->type == r->type && r->start <= prev->end) {
			if (r->end > prev->end)
				prev->end = r->end;
			continue;
		}
		map->r[out++] = *r;
	}
	map->n = out;
}

uint64_t memmap_ram_bytes(const struct memmap *map)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < map->n; i++)
		if (map->r[i].type == MEMMAP_RAM)
			total += map->r[i].end - map->r[i].start;
	return total;
}
