/* fuzz: the segment planner's semantics, not just its memory safety.
 *
 * The input is a small program: up to 32 memory ranges, then up to 20 plan
 * items (more than PLAN_MAX_SEGMENTS on purpose).  Missing bytes read as 0.
 *
 *   u8 nr_ranges (% 33), then per range:
 *     u8 t: (t & 7) == 0 -> Reserved, else RAM; t & 8: end is a raw
 *           number (may lie below start), else start + size (saturating)
 *     num start, num end-or-size
 *   u8 nr_items (% 21), then per item:
 *     u8 f: 1 PLAN_FIXED, 2 PLAN_HIGH, 4 buf = NULL, 8|16 bufsz mode
 *           (0, memsz, memsz + 1, u16), 32 max = 0 (no limit),
 *           64 min present, 128 name = NULL
 *     num memsz, [u16 bufsz], u8 a (a & 128: u64 align; a & 64: 0;
 *     else 1 << (a & 63)), [num min], [num max], [num fixed],
 *     u8 k (k & 1: num keep_free follows)
 *   num: u8 m, then by m & 7: u16 pages, u16 MiB, u32, u64,
 *        UINT64_MAX - u16 pages, 0, 4 GiB + s16 pages, u8
 *
 * A model kept here (page-trimmed, merged RAM minus placed segments)
 * predicts every plan_add() result: the error class, or the exact address
 * (lowest fit, highest with PLAN_HIGH, or item.fixed).  Independently of
 * the model, each placed segment is checked against the raw input: whole
 * pages of RAM, inside [min, max), aligned, not overlapping another.  A
 * failed plan_add must leave the plan as it was, plan_finish must accept
 * every plan built so, and its output must be sorted and disjoint. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "kexec/plan.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

#define MAX_RANGES 32
#define MAX_ITEMS 20
#define PAGE 4096ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct rd {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct rd *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}

static uint64_t le(struct rd *r, int bytes)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)u8(r) << (8 * i);
	return v;
}

static uint64_t num(struct rd *r)
{
	switch (u8(r) & 7) {
	case 0: return le(r, 2) << 12;
	case 1: return le(r, 2) << 20;
	case 2: return le(r, 4);
	case 3: return le(r, 8);
	case 4: return UINT64_MAX - (le(r, 2) << 12);
	case 5: return 0;
	case 6: return (1ull << 32) + (uint64_t)(int64_t)(int16_t)le(r, 2) * PAGE;
	default: return u8(r);
	}
}

struct iv {
	uint64_t s, e; /* [s, e) */
};

static struct memmap usable;
static struct plan plan;
static struct memmap saved_free;
static struct iv ram[MAX_RANGES];  /* model: page-trimmed, merged RAM */
static size_t nram;
static struct iv segs[PLAN_MAX_SEGMENTS]; /* model: placed, sorted */
static size_t nseg;
static struct iv freel[MAX_RANGES + PLAN_MAX_SEGMENTS]; /* model: free */
static size_t nfree;
static const char dummy_buf[1];

static int cmp_iv(const void *a, const void *b)
{
	const struct iv *x = a, *y = b;

	return x->s < y->s ? -1 : x->s > y->s;
}

static void model_init(void)
{
	struct iv tmp[MAX_RANGES];
	size_t i, n = 0;

	for (i = 0; i < usable.n; i++) {
		uint64_t s = usable.r[i].start, e = usable.r[i].end & ~(PAGE - 1);

		if (usable.r[i].type != MEMMAP_RAM)
			continue;
		if (s > UINT64_MAX - (PAGE - 1))
			continue; /* no whole page starts at or above it */
		s = (s + PAGE - 1) & ~(PAGE - 1);
		if (s < e)
			tmp[n++] = (struct iv){ s, e };
	}
	qsort(tmp, n, sizeof(tmp[0]), cmp_iv);
	nram = 0;
	for (i = 0; i < n; i++) {
		if (nram && tmp[i].s <= ram[nram - 1].e) {
			if (tmp[i].e > ram[nram - 1].e)
				ram[nram - 1].e = tmp[i].e;
		} else {
			ram[nram++] = tmp[i];
		}
	}
	nseg = 0;
}

/* freel = ram minus segs. */
static void model_free(void)
{
	size_t i, j;

	nfree = 0;
	for (i = 0; i < nram; i++) {
		uint64_t cur = ram[i].s;

		for (j = 0; j < nseg; j++) {
			if (segs[j].e <= cur || segs[j].s >= ram[i].e)
				continue;
			if (segs[j].s > cur)
				freel[nfree++] = (struct iv){ cur, segs[j].s };
			cur = segs[j].e;
		}
		if (cur < ram[i].e)
			freel[nfree++] = (struct iv){ cur, ram[i].e };
	}
}

static void model_add(uint64_t s, uint64_t e)
{
	segs[nseg++] = (struct iv){ s, e };
	qsort(segs, nseg, sizeof(segs[0]), cmp_iv);
	model_free();
}

/* Is [s, e) covered by the raw input's RAM ranges (in any order)? */
static int raw_ram_covers(uint64_t s, uint64_t e)
{
	uint64_t cur = s;
	int moved = 1;
	size_t i;

	while (cur < e && moved) {
		moved = 0;
		for (i = 0; i < usable.n; i++) {
			const struct memmap_range *r = &usable.r[i];

			if (r->type == MEMMAP_RAM && r->start <= cur &&
			    cur < r->end) {
				cur = r->end;
				moved = 1;
			}
		}
	}
	return cur >= e;
}

/* The model's answer: 0 with *addr, or -E2BIG / -EINVAL / -ENOSPC. */
static int predict(const struct plan_item *it, uint64_t *addr, uint64_t *sizep)
{
	uint64_t align = it->align, size, lo, hi;
	size_t i;

	if (nseg >= PLAN_MAX_SEGMENTS)
		return -E2BIG;
	if (it->memsz < it->bufsz || !it->memsz || (it->bufsz && !it->buf) ||
	    (align & (align - 1)))
		return -EINVAL;
	if (align < PAGE)
		align = PAGE;
	size = it->memsz > it->keep_free ? it->memsz : it->keep_free;
	if (size > UINT64_MAX - (PAGE - 1))
		return -EINVAL;
	size = (size + PAGE - 1) & ~(PAGE - 1);
	*sizep = size;
	lo = it->min;
	hi = it->max ? it->max : UINT64_MAX;
	if (lo >= hi)
		return -EINVAL;

	if (it->flags & PLAN_FIXED) {
		uint64_t a = it->fixed;

		if (a % align || a < lo || a > hi || hi - a < size)
			return -EINVAL;
		for (i = 0; i < nfree; i++)
			if (freel[i].s <= a && a + size <= freel[i].e) {
				*addr = a;
				return 0;
			}
		return -ENOSPC;
	}
	for (i = 0; i < nfree; i++) {
		/* lowest: scan up; highest: scan down */
		const struct iv *f = it->flags & PLAN_HIGH ?
				     &freel[nfree - 1 - i] : &freel[i];
		uint64_t s = f->s > lo ? f->s : lo;
		uint64_t e = f->e < hi ? f->e : hi;
		uint64_t a;

		if (s >= e || e - s < size)
			continue;
		if (it->flags & PLAN_HIGH) {
			a = (e - size) & ~(align - 1);
			if (a < s)
				continue;
		} else {
			if (s > UINT64_MAX - (align - 1))
				continue;
			a = (s + align - 1) & ~(align - 1);
			if (a > e || e - a < size)
				continue;
		}
		*addr = a;
		return 0;
	}
	return -ENOSPC;
}

static void read_item(struct rd *r, size_t idx, struct plan_item *it)
{
	static const char *const names[] = {
		"kernel", "initrd", "purgatory", "boot_params", "dtb",
	};
	uint8_t f = u8(r), a;

	memset(it, 0, sizeof(*it));
	it->flags = (f & 1 ? PLAN_FIXED : 0) | (f & 2 ? PLAN_HIGH : 0);
	it->buf = f & 4 ? NULL : dummy_buf; /* never dereferenced */
	it->memsz = num(r);
	switch ((f >> 3) & 3) {
	case 0: it->bufsz = 0; break;
	case 1: it->bufsz = it->memsz; break;
	case 2: it->bufsz = it->memsz + 1; break;
	default: it->bufsz = le(r, 2); break;
	}
	a = u8(r);
	if (a & 0x80)
		it->align = le(r, 8);
	else if (a & 0x40)
		it->align = 0;
	else
		it->align = 1ull << (a & 63);
	it->min = f & 0x40 ? num(r) : 0;
	it->max = f & 0x20 ? 0 : num(r);
	if (it->flags & PLAN_FIXED)
		it->fixed = num(r);
	if (u8(r) & 1)
		it->keep_free = num(r);
	it->name = f & 0x80 ? NULL : names[idx % 5];
}

static void check_placed(const struct plan_item *it, uint64_t addr,
			 uint64_t size)
{
	uint64_t align = it->align < PAGE ? PAGE : it->align;
	size_t i;

	CHECK(addr % align == 0 && size % PAGE == 0 && size >= it->memsz);
	CHECK(addr <= UINT64_MAX - size);
	CHECK(addr >= it->min);
	if (it->max)
		CHECK(addr + size <= it->max);
	if (it->flags & PLAN_FIXED)
		CHECK(addr == it->fixed);
	CHECK(raw_ram_covers(addr, addr + size));
	for (i = 0; i < nseg; i++)
		CHECK(addr + size <= segs[i].s || segs[i].e <= addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd r = { data, size };
	size_t i, nr, ni;
	int ret;

	memset(&usable, 0, sizeof(usable));
	nr = u8(&r) % (MAX_RANGES + 1);
	for (i = 0; i < nr; i++) {
		uint8_t t = u8(&r);
		uint64_t s = num(&r), x = num(&r);

		usable.r[i].type = (t & 7) ? MEMMAP_RAM : MEMMAP_RESERVED;
		usable.r[i].start = s;
		usable.r[i].end = t & 8 ? x : (s > UINT64_MAX - x ? UINT64_MAX : s + x);
	}
	usable.n = nr;

	model_init();
	model_free();
	ret = plan_init(&plan, &usable);
	if (!nram) {
		CHECK(ret < 0);
		CHECK(!strncmp(kx_last_error(), "plan: ", 6));
		return 0;
	}
	CHECK(ret == 0);

	ni = u8(&r) % (MAX_ITEMS + 1);
	for (i = 0; i < ni; i++) {
		struct plan_item it;
		uint64_t want_addr = 0, want_size = 0;
		size_t n0 = plan.n, k;
		int want;

		read_item(&r, i, &it);
		want = predict(&it, &want_addr, &want_size);
		saved_free = plan.free;
		ret = plan_add(&plan, &it);
		if (ret) {
			CHECK(ret == want);
			CHECK(!strncmp(kx_last_error(), "plan: ", 6));
			CHECK(plan.n == n0);
			CHECK(plan.free.n == saved_free.n &&
			      !memcmp(plan.free.r, saved_free.r,
				      plan.free.n * sizeof(plan.free.r[0])));
			continue;
		}
		CHECK(want == 0);
		CHECK(it.addr == want_addr);
		CHECK(plan.n == n0 + 1);
		/* Loaded: memsz; taken: the kept range too. */
		CHECK(plan.seg[n0].mem == it.addr &&
		      plan.seg[n0].reserved == want_size &&
		      plan.seg[n0].memsz == ((it.memsz + PAGE - 1) & ~(PAGE - 1)));
		CHECK(plan.seg[n0].buf == it.buf &&
		      plan.seg[n0].bufsz == it.bufsz);
		CHECK(plan.seg[n0].name &&
		      !strcmp(plan.seg[n0].name, it.name ? it.name : "?"));
		check_placed(&it, it.addr, want_size);
		model_add(it.addr, it.addr + want_size);

		/* The planner's free map is exactly RAM minus segments. */
		CHECK(plan.free.n == nfree);
		for (k = 0; k < nfree; k++)
			CHECK(plan.free.r[k].start == freel[k].s &&
			      plan.free.r[k].end == freel[k].e &&
			      plan.free.r[k].type == MEMMAP_RAM);
	}

	CHECK(plan_finish(&plan) == 0);
	CHECK(plan.n == nseg);
	for (i = 0; i < plan.n; i++) {
		const struct plan_segment *s = &plan.seg[i];

		CHECK(s->mem % PAGE == 0 && s->memsz % PAGE == 0 && s->memsz);
		CHECK(s->memsz >= s->bufsz && s->reserved >= s->memsz);
		CHECK(s->mem == segs[i].s && s->mem + s->reserved == segs[i].e);
		if (i)
			CHECK(plan.seg[i - 1].mem + plan.seg[i - 1].reserved <= s->mem);
	}
	return 0;
}
