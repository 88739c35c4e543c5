/* kexshim: purgatory regions hashed in parallel (see regions.h). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "common/sha256.h"
#include "kexec/regions.h"
#include "lib/error.h"

#define MIB (1u << 20)
#define MAX_THREADS 8

struct work {
	const struct plan *p;
	struct purgatory_args *a;
	const uint8_t *buf[PURGATORY_MAX_REGIONS];
	unsigned next;          /* the next region to hash (atomic) */
};

/* Regions a split into pieces of at most piece bytes would need. */
static size_t count_pieces(const struct plan *p, size_t skip, uint64_t piece)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		if (i != skip)
			n += p->seg[i].bufsz ? (p->seg[i].bufsz + piece - 1) / piece : 1;
	return n;
}

static void *hash_some(void *arg)
{
	struct work *w = arg;
	unsigned i;

	while ((i = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) <
	       w->a->nr_regions) {
		struct purgatory_region *r = &w->a->regions[i];

		sha256(r->len ? w->buf[i] : (const uint8_t *)"", (size_t)r->len,
		       r->sha256);
	}
	return NULL;
}

int regions_hash(const struct plan *p, size_t skip, unsigned cpus,
		 struct purgatory_args *a)
{
	pthread_t t[MAX_THREADS];
	struct work w = { .p = p, .a = a };
	uint64_t total = 0, piece = UINT64_MAX;
	unsigned nt = 0, i;
	size_t k;

	for (k = 0; k < p->n; k++)
		if (k != skip)
			total += p->seg[k].bufsz;
	if (cpus > MAX_THREADS)
		cpus = MAX_THREADS;
	/* About four pieces per CPU balance segments of any sizes; whole
	 * MiBs keep each region page-aligned; twice as large until they
	 * fit the table. */
	if (cpus > 1) {
		piece = (total / (4 * cpus) + MIB - 1) / MIB * MIB;
		if (piece < MIB)
			piece = MIB;
		while (count_pieces(p, skip, piece) > PURGATORY_MAX_REGIONS)
			piece *= 2;
	}
	if (count_pieces(p, skip, piece) > PURGATORY_MAX_REGIONS)
		return kx_fail(E2BIG, "purgatory: %zu segments to verify, the "
			       "table holds %d", p->n - (skip < p->n),
			       PURGATORY_MAX_REGIONS);
	memset(a->regions, 0, sizeof(a->regions));
	a->nr_regions = 0;
	for (k = 0; k < p->n; k++) {
		const struct plan_segment *s = &p->seg[k];
		uint64_t off = 0;

		if (k == skip)
			continue;
		/* Only the file-backed bytes: the kernel zero-fills the rest
		 * of memsz, and hashing it would cost time for nothing. */
		do {
			struct purgatory_region *r = &a->regions[a->nr_regions];
			uint64_t len = s->bufsz - off < piece ? s->bufsz - off : piece;

			r->start = s->mem + off;
			r->len = len;
			w.buf[a->nr_regions++] = (const uint8_t *)s->buf + off;
			off += len;
		} while (off < s->bufsz);
	}
	for (i = 1; i < cpus && i < a->nr_regions; i++)
		if (!pthread_create(&t[nt], NULL, hash_some, &w))
			nt++;
	hash_some(&w); /* this thread too; alone when none could start */
	for (i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	return 0;
}
