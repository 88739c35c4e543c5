/* kexshim: the segment planner (see plan.h).  Runs in the shim (and in
 * `kexshim plan` anywhere) after the images are mapped and before
 * kexec_load.  Pure: all addresses are half-open [start, end) ranges. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/error.h"
#include "kexec/plan.h"

#define PAGE PLAN_PAGE_SIZE
#define MiB (1024ull * 1024)

static uint64_t align_down(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}

/* Return: x rounded up to a, or 0 on overflow (0 is never a valid result
 * for the non-zero x callers pass). */
static uint64_t align_up(uint64_t x, uint64_t a)
{
	if (x > UINT64_MAX - (a - 1))
		return 0;
	return (x + a - 1) & ~(a - 1);
}

/* "600 MiB", "1.5 MiB", "8 KiB": sizes for messages. */
static const char *fmt_size(char *buf, size_t n, uint64_t x)
{
	if (x >= MiB && x % MiB == 0)
		snprintf(buf, n, "%llu MiB", (unsigned long long)(x / MiB));
	else if (x >= MiB)
		snprintf(buf, n, "%.1f MiB", (double)x / MiB);
	else
		snprintf(buf, n, "%llu KiB", (unsigned long long)(x / 1024));
	return buf;
}

int plan_init(struct plan *p, const struct memmap *usable)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	/* Only whole pages of RAM can hold segments: trim partial pages
	 * (iomem has ranges like [0x1000, 0x9fc00)). */
	for (i = 0; i < usable->n; i++) {
		const struct memmap_range *r = &usable->r[i];
		uint64_t s, e;

		if (r->type != MEMMAP_RAM)
			continue;
		s = align_up(r->start, PAGE);
		e = align_down(r->end, PAGE);
		if (!s && r->start)
			continue;
		if (s >= e)
			continue;
		p->free.r[p->free.n].start = s;
		p->free.r[p->free.n].end = e;
		p->free.r[p->free.n].type = MEMMAP_RAM;
		p->free.n++;
	}
	memmap_normalize(&p->free);
	if (!p->free.n)
		return kx_fail(ENOMEM, "plan: the memory map has no usable RAM");
	return 0;
}

/* Return: the index of the placed segment overlapping [s, e), or -1. */
static int seg_overlapping(const struct plan *p, uint64_t s, uint64_t e)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->seg[i].mem < e && s < p->seg[i].mem + p->seg[i].reserved)
			return i;
	return -1;
}

/* Explain why [s, e) is not entirely free. */
static int fail_fixed(const struct plan *p, const char *name, uint64_t s,
		      uint64_t e)
{
	uint64_t cur = s, hole_end = e;
	char sz[32];
	size_t i;
	int k;

	/* Find the first byte of [s, e) that no free range covers. */
	for (i = 0; i < p->free.n && cur < e; i++) {
		const struct memmap_range *r = &p->free.r[i];

		if (r->end <= cur)
			continue;
		if (r->start > cur) {
			hole_end = r->start < e ? r->start : e;
			break;
		}
		cur = r->end;
	}
	fmt_size(sz, sizeof(sz), e - s);
	k = seg_overlapping(p, cur, hole_end);
	if (k >= 0)
		return kx_fail(ENOSPC,
			       "plan: %s: %s at fixed address 0x%llx collides with %s at [0x%llx, 0x%llx)",
			       name, sz, (unsigned long long)s, p->seg[k].name,
			       (unsigned long long)p->seg[k].mem,
			       (unsigned long long)(p->seg[k].mem + p->seg[k].reserved));
	return kx_fail(ENOSPC,
		       "plan: %s: %s at fixed address 0x%llx: [0x%llx, 0x%llx) is not usable RAM",
		       name, sz, (unsigned long long)s, (unsigned long long)cur,
		       (unsigned long long)hole_end);
}

/* Return: true and *addr when [*addr, *addr + size) fits the free range
 * clipped to [lo, hi), aligned; lowest or (high) highest such address. */
static bool fit(const struct memmap_range *r, uint64_t lo, uint64_t hi,
		uint64_t size, uint64_t align, bool high, uint64_t *addr)
{
	uint64_t s = r->start > lo ? r->start : lo;
	uint64_t e = r->end < hi ? r->end : hi;
	uint64_t a;

	if (s >= e || e - s < size)
		return false;
	if (high) {
		a = align_down(e - size, align);
		if (a < s)
			return false;
	} else {
		a = align_up(s, align);
		if (!a && s)
			return false;
		if (a > e || e - a < size)
			return false;
	}
	*addr = a;
	return true;
}

static int fail_nospace(const struct plan *p, const struct plan_item *it,
			uint64_t size, uint64_t align, uint64_t lo, uint64_t hi)
{
	uint64_t largest = 0;
	char sz[32], lg[32], al[48] = "";
	size_t i;

	for (i = 0; i < p->free.n; i++) {
		uint64_t s = p->free.r[i].start > lo ? p->free.r[i].start : lo;
		uint64_t e = p->free.r[i].end < hi ? p->free.r[i].end : hi;

		if (s < e && e - s > largest)
			largest = e - s;
	}
	if (align > PAGE) {
		char a[32];

		snprintf(al, sizeof(al), " aligned to %s",
			 fmt_size(a, sizeof(a), align));
	}
	return kx_fail(ENOSPC,
		       "plan: %s: %s%s does not fit in [0x%llx, 0x%llx] (largest free range %s)",
		       it->name ? it->name : "?", fmt_size(sz, sizeof(sz), size),
		       al, (unsigned long long)lo,
		       (unsigned long long)(it->max ? hi - 1 : UINT64_MAX),
		       largest ? fmt_size(lg, sizeof(lg), largest) : "none");
}

int plan_add(struct plan *p, struct plan_item *it)
{
	const char *name = it->name ? it->name : "?";
	uint64_t align = it->align, size, lo, hi, addr = 0;
	bool found = false;
	size_t i;

	if (p->n >= PLAN_MAX_SEGMENTS)
		return kx_fail(E2BIG, "plan: more than %d segments (adding %s)",
			       PLAN_MAX_SEGMENTS, name);
	if (it->memsz < it->bufsz)
		return kx_fail(EINVAL, "plan: %s: memsz 0x%llx is smaller than bufsz 0x%zx",
			       name, (unsigned long long)it->memsz, it->bufsz);
	if (!it->memsz)
		return kx_fail(EINVAL, "plan: %s: empty segment", name);
	if (it->bufsz && !it->buf)
		return kx_fail(EINVAL, "plan: %s: no buffer for %zu bytes", name,
			       it->bufsz);
	if (align & (align - 1))
		return kx_fail(EINVAL, "plan: %s: alignment 0x%llx is not a power of two",
			       name, (unsigned long long)align);
	if (align < PAGE)
		align = PAGE;
	size = align_up(it->memsz > it->keep_free ? it->memsz : it->keep_free,
			PAGE);
	if (!size || !align_up(it->memsz, PAGE))
		return kx_fail(EINVAL, "plan: %s: memsz 0x%llx is too large", name,
			       (unsigned long long)it->memsz);
	lo = it->min;
	hi = it->max ? it->max : UINT64_MAX;
	if (lo >= hi)
		return kx_fail(EINVAL, "plan: %s: empty window [0x%llx, 0x%llx)",
			       name, (unsigned long long)lo,
			       (unsigned long long)hi);

	if (it->flags & PLAN_FIXED) {
		addr = it->fixed;
		if (addr % align)
			return kx_fail(EINVAL, "plan: %s: fixed address 0x%llx is not aligned to 0x%llx",
				       name, (unsigned long long)addr,
				       (unsigned long long)align);
		if (addr < lo || addr > hi || hi - addr < size)
			return kx_fail(EINVAL,
				       "plan: %s: fixed address 0x%llx + 0x%llx is outside [0x%llx, 0x%llx)",
				       name, (unsigned long long)addr,
				       (unsigned long long)size,
				       (unsigned long long)lo,
				       (unsigned long long)hi);
		for (i = 0; i < p->free.n && !found; i++)
			found = p->free.r[i].start <= addr &&
				p->free.r[i].end > addr &&
				p->free.r[i].end - addr >= size;
		if (!found)
			return fail_fixed(p, name, addr, addr + size);
	} else if (it->flags & PLAN_HIGH) {
		for (i = p->free.n; i-- > 0 && !found;)
			found = fit(&p->free.r[i], lo, hi, size, align, true,
				    &addr);
	} else {
		for (i = 0; i < p->free.n && !found; i++)
			found = fit(&p->free.r[i], lo, hi, size, align, false,
				    &addr);
	}
	if (!found)
		return fail_nospace(p, it, size, align, lo, hi);

	if (memmap_remove(&p->free, addr, addr + size))
		return kx_fail(ENOSPC, "plan: %s: free map is full", name);
	it->addr = addr;
	p->seg[p->n].name = name;
	p->seg[p->n].buf = it->buf;
	p->seg[p->n].bufsz = it->bufsz;
	p->seg[p->n].mem = addr;
	/* Only memsz is loaded (and its tail zeroed) by kexec; the rest of
	 * keep_free just stays out of every other segment's way. */
	p->seg[p->n].memsz = align_up(it->memsz, PAGE);
	p->seg[p->n].reserved = size;
	p->n++;
	return 0;
}

int plan_finish(struct plan *p)
{
	size_t i, j;

	if (p->n > PLAN_MAX_SEGMENTS)
		return kx_fail(E2BIG, "plan: more than %d segments",
			       PLAN_MAX_SEGMENTS);
	/* Insertion sort: at most 16 entries, and it is stable. */
	for (i = 1; i < p->n; i++) {
		struct plan_segment s = p->seg[i];

		for (j = i; j > 0 && p->seg[j - 1].mem > s.mem; j--)
			p->seg[j] = p->seg[j - 1];
		p->seg[j] = s;
	}
	/* Defence in depth: plan_add already guarantees all of this, but a
	 * bad plan here would be a machine that does not boot. */
	for (i = 0; i < p->n; i++) {
		const struct plan_segment *s = &p->seg[i];

		if (s->mem % PAGE || s->memsz % PAGE || !s->memsz ||
		    s->memsz < s->bufsz || s->reserved < s->memsz ||
		    s->mem + s->reserved < s->mem)
			return kx_fail(EINVAL,
				       "plan: %s: bad segment [0x%llx, +0x%llx) bufsz 0x%zx",
				       s->name, (unsigned long long)s->mem,
				       (unsigned long long)s->memsz, s->bufsz);
		if (i && p->seg[i - 1].mem + p->seg[i - 1].reserved > s->mem)
			return kx_fail(EINVAL, "plan: %s and %s overlap at 0x%llx",
				       p->seg[i - 1].name, s->name,
				       (unsigned long long)s->mem);
	}
	return 0;
}

int plan_check_half_ram(const struct plan *p, uint64_t ram_bytes)
{
	uint64_t half = ram_bytes / PAGE / 2, total = 0;
	char a[32], b[32], c[32];
	size_t i;

	/* The kernel counts in pages: PAGE_COUNT(memsz) against
	 * totalram_pages() / 2, per segment and for their sum. */
	for (i = 0; i < p->n; i++) {
		uint64_t pages = p->seg[i].memsz / PAGE;

		if (pages > half)
			return kx_fail(E2BIG, "plan: %s: %s is more than half of "
				       "the %s of RAM kexec_load allows per "
				       "segment", p->seg[i].name,
				       fmt_size(a, sizeof(a), p->seg[i].memsz),
				       fmt_size(b, sizeof(b), ram_bytes));
		total += pages;
	}
	if (total > half)
		return kx_fail(E2BIG, "plan: the segments take %s, more than "
			       "half of the %s of RAM (%s) kexec_load allows",
			       fmt_size(a, sizeof(a), total * PAGE),
			       fmt_size(b, sizeof(b), ram_bytes),
			       fmt_size(c, sizeof(c), half * PAGE));
	return 0;
}
