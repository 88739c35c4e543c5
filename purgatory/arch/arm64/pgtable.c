/* purgatory (arm64): builds identity-map translation tables in a pool,
 * runs between two kernels with the MMU still off (and in the host unit
 * tests).  Only stores to the pool: the MMU sees none of it until mmu.c
 * points TTBR0_ELx at the root. */
#include "pgtable.h"

/* Return: log2 of the bytes one entry of a level-'level' table maps
 * (level 0: 512 GiB, 1: 1 GiB, 2: 2 MiB, 3: 4 KiB). */
static unsigned int entry_shift(unsigned int level)
{
	return 39 - 9 * level;
}

/* A loop, not memset(): with the MMU off these are Device stores, and the
 * purgatory's memset stores bytes. */
static void zero_table(uint64_t *tab)
{
	unsigned int i;

	for (i = 0; i < PGT_ENTRIES; i++)
		tab[i] = 0;
}

/* Hand out the next table of the pool, zeroed, and point *desc at it.
 * Return: 0, or PGT_ENOMEM. */
static int new_table(struct pgt *t, uint64_t *desc)
{
	if (t->used == t->nr)
		return PGT_ENOMEM;
	zero_table(t->table[t->used]);
	*desc = (t->phys + t->used * PGT_PAGE_SIZE) | PTE_TYPE_TABLE;
	t->used++;
	return 0;
}

/* Return: the pool table a table descriptor written by new_table() names. */
static uint64_t *table_of(const struct pgt *t, uint64_t desc)
{
	return t->table[((desc & PTE_ADDR_MASK) - t->phys) / PGT_PAGE_SIZE];
}

/* Map [start, end), which lies within the span of table tab at level.
 * Return: 0, PGT_ENOMEM or PGT_ECONFLICT. */
static int map_level(struct pgt *t, uint64_t *tab, unsigned int level,
		     uint64_t start, uint64_t end, uint64_t attrs)
{
	unsigned int shift = entry_shift(level);
	uint64_t size = 1ull << shift;
	uint64_t addr, next;
	int ret;

	for (addr = start; addr < end; addr = next) {
		uint64_t *e = &tab[(addr >> shift) & (PGT_ENTRIES - 1)];

		next = (addr & ~(size - 1)) + size;
		if (next > end)
			next = end;

		if (level == 3) {
			/* Pages: start and end are 4 KiB aligned, so each
			 * entry is covered whole. */
			uint64_t page = addr | attrs | PTE_TYPE_PAGE;

			if (*e && *e != page)
				return PGT_ECONFLICT;
			*e = page;
			continue;
		}
		if (!*e && level > 0 && next - addr == size) {
			/* Covered whole (so aligned, too): one block. */
			*e = addr | attrs | PTE_TYPE_BLOCK;
			continue;
		}
		if ((*e & PTE_TYPE_MASK) == PTE_TYPE_BLOCK) {
			/* Inside a block mapped before: an identity map, so
			 * only the attributes can differ. */
			if ((*e & ~(PTE_ADDR_MASK | PTE_TYPE_MASK)) != attrs)
				return PGT_ECONFLICT;
			continue;
		}
		if (!*e) {
			ret = new_table(t, e);
			if (ret)
				return ret;
		}
		ret = map_level(t, table_of(t, *e), level + 1, addr, next,
				attrs);
		if (ret)
			return ret;
	}
	return 0;
}

int pgt_init(struct pgt *t, void *pool, uint64_t phys, unsigned int nr)
{
	uint64_t root;

	t->table = pool;
	t->phys = phys;
	t->nr = nr;
	t->used = 0;
	return new_table(t, &root);
}

int pgt_map(struct pgt *t, uint64_t start, uint64_t end, uint64_t attrs)
{
	if ((start | end) & (PGT_PAGE_SIZE - 1) || start > end ||
	    end > (1ull << PGT_VA_BITS) ||
	    attrs & (PTE_ADDR_MASK | PTE_TYPE_MASK))
		return PGT_ERANGE;
	return map_level(t, t->table[0], 0, start, end, attrs);
}
