/* purgatory (arm64): VMSAv8-64 stage 1 translation tables for an identity
 * map, 4 KiB granule, 48-bit input addresses (T0SZ = 16: lookup levels 0 to
 * 3).  Pure: the tables are words in a pool the caller hands over, written
 * while the MMU is still off, so the host unit tests build them in a buffer
 * and read them back.  Descriptor bits: Arm ARM (DDI 0487) D8.3,
 * "Translation table descriptor formats". */
#ifndef KEXSHIM_PURGATORY_ARM64_PGTABLE_H
#define KEXSHIM_PURGATORY_ARM64_PGTABLE_H

#include <stdint.h>

#define PGT_PAGE_SIZE	4096ull
#define PGT_ENTRIES	512		/* 4 KiB / 8-byte descriptors */
#define PGT_VA_BITS	48		/* TCR_ELx.T0SZ = 64 - 48 */
#define PGT_BLOCK_L2	(1ull << 21)	/* a level-2 block: 2 MiB */
#define PGT_BLOCK_L1	(1ull << 30)	/* a level-1 block: 1 GiB */

/* Descriptor type, bits [1:0].  Level 0 has no blocks with this granule;
 * at level 3, 0b11 is a page and 0b01 is reserved. */
#define PTE_TYPE_MASK	3ull
#define PTE_TYPE_BLOCK	1ull		/* levels 1 and 2 */
#define PTE_TYPE_TABLE	3ull		/* levels 0 to 2 */
#define PTE_TYPE_PAGE	3ull		/* level 3 */

/* Lower and upper attributes of block and page descriptors. */
#define PTE_ATTRINDX(n)	((uint64_t)(n) << 2)	/* MAIR_ELx.Attr<n> */
#define PTE_AP1		(1ull << 6)	/* AP[1]: EL0 access; RES1 in a
					 * regime with one Exception level */
#define PTE_AP_RO	(1ull << 7)	/* AP[2]: read-only */
#define PTE_SH_INNER	(3ull << 8)	/* SH[1:0] = 0b11, Inner Shareable */
#define PTE_AF		(1ull << 10)	/* Access flag: no AF fault */
#define PTE_PXN		(1ull << 53)	/* RES0 with one Exception level */
#define PTE_UXN		(1ull << 54)	/* XN with one Exception level */
/* Output address bits [47:12] (and of a next-level table). */
#define PTE_ADDR_MASK	0x0000fffffffff000ull

/*
 * The worst case of one range [start, end) no longer than 512 GiB, which is
 * what a level-0 entry spans: it touches at most two level-0 entries, so at
 * most two level-1 tables.  Every 1 GiB it covers whole and aligned is a
 * level-1 block; only its first and last GiB can be partly covered, so at
 * most two level-2 tables; likewise at most two level-3 tables, for its
 * first and last 2 MiB.  Ranges that share a table only need fewer.
 */
#define PGT_TABLES_PER_RANGE	6
/* Return: tables that nr_ranges such ranges can need, with the root. */
#define PGT_WORST_CASE(nr_ranges)	(1 + PGT_TABLES_PER_RANGE * (nr_ranges))

/* pgt_map() results. */
enum {
	PGT_ENOMEM = -1,	/* the pool has no table left */
	PGT_ERANGE = -2,	/* not 4 KiB aligned, reversed, beyond 2^48,
				 * or attrs with type or address bits */
	PGT_ECONFLICT = -3,	/* part of it is mapped with other attrs */
};

/* A pool of 4 KiB tables; table[0] is the root, the level-0 table. */
struct pgt {
	uint64_t (*table)[PGT_ENTRIES];	/* 4 KiB aligned */
	uint64_t phys;		/* the address the MMU sees for table[0]: the
				 * root for TTBR0_ELx, the base of every
				 * table descriptor */
	unsigned int nr;	/* tables in the pool */
	unsigned int used;	/* tables handed out so far */
};

/* Take pool (nr >= 1 tables, its contents anything: each table is zeroed
 * when handed out) and hand out its root.
 * Return: 0, or PGT_ENOMEM when nr is 0. */
int pgt_init(struct pgt *t, void *pool, uint64_t phys, unsigned int nr);

/* Identity-map [start, end) with the leaf attributes attrs (PTE_* above,
 * no type or address bits): 1 GiB and 2 MiB blocks where the range covers
 * them whole, 4 KiB pages at the edges, nothing outside the range.  Parts
 * already mapped with the same attrs stay as they are, so ranges may
 * overlap; an empty range maps nothing.  On an error the tables may hold
 * part of the range: the map as a whole is then not to be used.
 * Return: 0, PGT_ENOMEM, PGT_ERANGE or PGT_ECONFLICT. */
int pgt_map(struct pgt *t, uint64_t start, uint64_t end, uint64_t attrs);

#endif
