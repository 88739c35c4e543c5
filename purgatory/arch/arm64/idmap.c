/* purgatory (arm64): the identity map the hashing runs under and the
 * register values for it; runs between two kernels with the MMU still off
 * (and in the host unit tests).  Only what the purgatory touches is mapped:
 * a Normal mapping of anything else would let the CPU speculate into it,
 * MMIO included.  Register layouts: Arm ARM (DDI 0487), TCR_EL1, TCR_EL2
 * and ID_AA64MMFR0_EL1. */
#include "idmap.h"
#include "pgtable.h"
#include "purgatory/purgatory.h"

/* ID_AA64MMFR0_EL1.PARange, bits [3:0] (the encoding TCR_ELx.{I}PS uses
 * too), and TGran4, bits [31:28]: 0b0000 4 KiB granule, 0b0001 the same
 * with 52-bit addresses, 0b1111 none. */
#define MMFR0_PARANGE(r)	((unsigned int)(r) & 0xf)
#define MMFR0_TGRAN4(r)		((unsigned int)((r) >> 28) & 0xf)
#define MMFR0_TGRAN4_NONE	0xf
/* "0b0101: 48 bits", the widest output address with the 4 KiB granule
 * and TCR_ELx.DS == 0: 52 bits (0b0110) need FEAT_LPA2 tables. */
#define PS_48_BITS		5

/* TCR_EL1, and TCR_EL2 when HCR_EL2.E2H is 1, which then has the
 * TCR_EL1 layout. */
#define TCR_T0SZ(n)		((uint64_t)(n) << 0)
#define TCR_IRGN0_WBWA		(1ull << 8)	/* walks: inner WB, RA/WA */
#define TCR_ORGN0_WBWA		(1ull << 10)	/* walks: outer WB, RA/WA */
#define TCR_SH0_INNER		(3ull << 12)
#define TCR_TG0_4K		(0ull << 14)
#define TCR_T1SZ(n)		((uint64_t)(n) << 16)
#define TCR_EPD1		(1ull << 23)	/* no walks through TTBR1 */
#define TCR_TG1_4K		(2ull << 30)	/* TG1 encodes 4 KiB as 0b10 */
#define TCR_IPS(ps)		((uint64_t)(ps) << 32)
/* TCR_EL2 when HCR_EL2.E2H is 0: one VA range, PS instead of IPS. */
#define TCR_EL2_PS(ps)		((uint64_t)(ps) << 16)
#define TCR_EL2_RES1		((1ull << 31) | (1ull << 23))

/* Bytes of registers mapped for an MMIO console at its base: a PL011's
 * whole 4 KiB frame; an 8250's 8 registers, whatever their stride. */
#define CONSOLE_SPAN		0x1000ull

static const unsigned char pa_bits_of[PS_48_BITS + 1] = {
	32, 36, 40, 42, 44, 48,
};

struct builder {
	struct idmap *m;
	struct pgt *t;
	uint64_t limit;		/* first address beyond the PA range */
	unsigned int nr_clean;
};

/* Map [start, end) page-rounded; Normal ranges are remembered for the
 * clean before the jump.  The caller checked end <= b->limit.
 * Return: 0, IDMAP_ECONFLICT or IDMAP_ENOMEM, m->bad = bad then. */
static int add(struct builder *b, uint64_t start, uint64_t end,
	       uint64_t attrs, int bad)
{
	int ret;

	start &= ~(PGT_PAGE_SIZE - 1);
	end = (end + PGT_PAGE_SIZE - 1) & ~(PGT_PAGE_SIZE - 1);
	ret = pgt_map(b->t, start, end, attrs);
	if (ret) {
		b->m->bad = bad;
		return ret == PGT_ECONFLICT ? IDMAP_ECONFLICT :
		       ret == PGT_ENOMEM ? IDMAP_ENOMEM : IDMAP_ERANGE;
	}
	b->m->nr_mapped++;
	if (PTE_ATTRINDX(IDMAP_ATTR_NORMAL) ==
	    (attrs & PTE_ATTRINDX(7))) {
		b->m->clean[b->nr_clean].start = start;
		b->m->clean[b->nr_clean].end = end;
		b->nr_clean++;
	}
	return 0;
}

/* Return: 0 if [start, start + len) ends within the PA range, else
 * IDMAP_ERANGE with m->bad = bad (len > 0; no wrap-around). */
static int in_range(struct builder *b, uint64_t start, uint64_t len,
		    int bad)
{
	if (start < b->limit && len <= b->limit - start)
		return 0;
	b->m->bad = bad;
	return IDMAP_ERANGE;
}

int idmap_build(struct idmap *m, struct pgt *t, const struct idmap_cpu *cpu,
		const struct purgatory_args *args, uint64_t blob_start,
		uint64_t blob_end)
{
	struct builder b = { .m = m, .t = t };
	uint64_t code, data, device, xn, ap;
	unsigned int ps, i;
	int one_el, ret;

	m->nr_clean = 0;
	m->nr_mapped = 0;
	m->pa_bits = 0;
	m->bad = IDMAP_BAD_NONE;
	m->mair = m->tcr = m->ttbr0 = 0;

	if (cpu->el != 1 && cpu->el != 2)
		return IDMAP_EEL;
	if (MMFR0_TGRAN4(cpu->mmfr0) == MMFR0_TGRAN4_NONE)
		return IDMAP_EGRANULE;
	ps = MMFR0_PARANGE(cpu->mmfr0);
	if (ps > PS_48_BITS)
		ps = PS_48_BITS;
	m->pa_bits = pa_bits_of[ps];
	b.limit = 1ull << m->pa_bits;

	/*
	 * Arm ARM: "For a stage 1 translation that supports one Exception
	 * level, AP[1] is RES1" -- EL2 without E2H -- and its bit 54 is XN
	 * while bit 53 (PXN) is RES0.  With two Exception levels (EL1&0,
	 * EL2&0) AP[1] = 1 would give EL0 access, and a page EL0 may write
	 * is never executable at EL1/EL2: AP[2:1] = 0b00 there.
	 */
	one_el = cpu->el == 2 && !cpu->e2h;
	ap = one_el ? PTE_AP1 : 0;
	xn = one_el ? PTE_UXN : PTE_PXN | PTE_UXN;
	code = PTE_AF | PTE_SH_INNER | PTE_ATTRINDX(IDMAP_ATTR_NORMAL) | ap;
	data = code | xn;
	device = PTE_AF | PTE_SH_INNER | PTE_ATTRINDX(IDMAP_ATTR_DEVICE) |
		 ap | xn;

	/* Our own memory first: code, args, bss, stack and these tables. */
	ret = in_range(&b, blob_start, blob_end - blob_start,
		       IDMAP_BAD_PURGATORY);
	if (!ret)
		ret = add(&b, blob_start, blob_end, code, IDMAP_BAD_PURGATORY);
	if (ret)
		return ret;

	if (args->console.type == PURGATORY_CONSOLE_PL011 ||
	    args->console.type == PURGATORY_CONSOLE_8250_MMIO) {
		ret = in_range(&b, args->console.base, CONSOLE_SPAN,
			       IDMAP_BAD_CONSOLE);
		if (!ret)
			ret = add(&b, args->console.base,
				  args->console.base + CONSOLE_SPAN, device,
				  IDMAP_BAD_CONSOLE);
		if (ret)
			return ret;
	}

	if (args->nr_regions > PURGATORY_MAX_REGIONS)
		return IDMAP_ECOUNT;
	for (i = 0; i < args->nr_regions; i++) {
		const struct purgatory_region *r = &args->regions[i];
		uint64_t start = r->start, len = r->len;

		/* Nothing is read of an empty region. */
		if (!len)
			continue;
		ret = in_range(&b, start, len, (int)i);
		if (!ret)
			ret = add(&b, start, start + len, data, (int)i);
		if (ret)
			return ret;
	}

	m->mair = IDMAP_MAIR;
	m->ttbr0 = t->phys;
	if (one_el)
		m->tcr = TCR_T0SZ(64 - PGT_VA_BITS) | TCR_IRGN0_WBWA |
			 TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
			 TCR_EL2_PS(ps) | TCR_EL2_RES1;
	else
		m->tcr = TCR_T0SZ(64 - PGT_VA_BITS) | TCR_IRGN0_WBWA |
			 TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
			 TCR_T1SZ(64 - PGT_VA_BITS) | TCR_EPD1 | TCR_TG1_4K |
			 TCR_IPS(ps);
	m->nr_clean = b.nr_clean;
	return 0;
}

static void put_culprit(const struct pg_out *out, int bad)
{
	if (bad == IDMAP_BAD_PURGATORY) {
		pg_puts(out, "the purgatory");
	} else if (bad == IDMAP_BAD_CONSOLE) {
		pg_puts(out, "the console");
	} else {
		pg_puts(out, "segment ");
		pg_put_dec(out, (uint64_t)bad);
	}
}

void idmap_print_error(const struct pg_out *out, const struct idmap *m,
		       const struct idmap_cpu *cpu, int err)
{
	pg_puts(out, "purgatory: hashing with the MMU off: ");
	switch (err) {
	case IDMAP_EEL:
		pg_puts(out, "running at EL");
		pg_put_dec(out, cpu->el);
		break;
	case IDMAP_EGRANULE:
		pg_puts(out, "no 4 KiB translation granule");
		break;
	case IDMAP_ECOUNT:
		pg_puts(out, "bad segment count");
		break;
	case IDMAP_ERANGE:
		put_culprit(out, m->bad);
		pg_puts(out, " is beyond the ");
		pg_put_dec(out, m->pa_bits);
		pg_puts(out, "-bit physical address range");
		break;
	case IDMAP_ECONFLICT:
		put_culprit(out, m->bad);
		pg_puts(out, " overlaps a mapping with other attributes");
		break;
	case IDMAP_ENOMEM:
		pg_puts(out, "out of page tables at ");
		put_culprit(out, m->bad);
		break;
	default:
		pg_puts(out, "error ");
		pg_put_dec(out, (uint64_t)-err);
		break;
	}
	pg_puts(out, "\n");
}
