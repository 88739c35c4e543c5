/* kexshim arm64: where the purgatory prints.  Runs in the shim's init (and
 * the CLI, host tests) while the plan is made; the purgatory then writes to
 * the UART found here with the MMU off, so only physical MMIO addresses of
 * UARTs it can drive count: PL011 (and the SBSA subset of it) and 8250s.
 * A device-tree boot names the console in /chosen/stdout-path; an ACPI boot
 * in the SPCR table.  No console is fine: the purgatory stays quiet. */
#include <errno.h>
#include <libfdt.h>
#include <string.h>

#include "lib/error.h"
#include "arch/arch.h"
#include "arch/arm64/arm64.h"

#define SPCR_PATH "/sys/firmware/acpi/tables/SPCR"

/* SPCR: the 36-byte ACPI header, then (offsets from the table start): */
#define SPCR_INTERFACE_TYPE 36  /* u8, a DBG2 serial port subtype */
#define SPCR_BASE_GAS 40        /* Generic Address Structure, 12 bytes */
#define SPCR_MIN_LEN 52
#define GAS_SPACE_ID 0          /* 0 = system memory, 1 = system I/O */
#define GAS_BIT_WIDTH 1
#define GAS_ADDRESS 4           /* u64 */
#define GAS_SPACE_MEMORY 0

/* DBG2 serial port subtypes (Microsoft "Debug Port Table 2"). */
#define DBG2_16550 0x00         /* full 16550 */
#define DBG2_16450 0x01         /* 16550 subset */
#define DBG2_PL011 0x03
#define DBG2_SBSA_32BIT 0x0d    /* SBSA generic UART, 32-bit access only */
#define DBG2_SBSA 0x0e
#define DBG2_16550_GAS 0x12     /* 16550, layout from the GAS */

static const char *const pl011_compat[] = {
	"arm,pl011",
	"arm,sbsa-uart", /* a PL011 subset: same DR and FR registers */
};

static const char *const uart8250_compat[] = {
	"ns16550a",
	"ns16550",
	"ns16450",
	"ns8250",
	"snps,dw-apb-uart",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool compatible_with(const void *fdt, int node,
			    const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!fdt_node_check_compatible(fdt, node, list[i]))
			return true;
	return false;
}

/* Return: the number in `cells` big-endian cells at p (1 or 2 cells). */
static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < cells; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* Map a bus address of `bus`'s children through bus's "ranges" into its
 * parent's address space.  Return: 0 or -ENOENT (not memory-mapped). */
static int translate_up(const void *fdt, int bus, uint64_t *addr)
{
	int parent = fdt_parent_offset(fdt, bus);
	int cac = fdt_address_cells(fdt, bus);
	int csc = fdt_size_cells(fdt, bus);
	int pac = parent >= 0 ? fdt_address_cells(fdt, parent) : -1;
	const fdt32_t *r;
	int len, entry, i;

	r = fdt_getprop(fdt, bus, "ranges", &len);
	/* DT spec: no "ranges" means the children are not in the parent's
	 * address space (an I2C or SPI bus, say); an empty one is identity. */
	if (!r)
		return -ENOENT;
	if (len == 0)
		return 0;
	if (cac < 1 || cac > 2 || pac < 1 || pac > 2 || csc < 1 || csc > 2)
		return -ENOENT;
	entry = cac + pac + csc;
	for (i = 0; (i + entry) * 4 <= len; i += entry) {
		uint64_t child = read_cells(r + i, cac);
		uint64_t to = read_cells(r + i + cac, pac);
		uint64_t size = read_cells(r + i + cac + pac, csc);

		if (*addr >= child && *addr - child < size) {
			*addr = *addr - child + to;
			return 0;
		}
	}
	return -ENOENT;
}

/* The CPU physical address of node's first reg entry.
 * Return: 0 or -ENOENT. */
static int node_base(const void *fdt, int node, uint64_t *base)
{
	int bus = fdt_parent_offset(fdt, node);
	int ac = bus >= 0 ? fdt_address_cells(fdt, bus) : -1;
	const fdt32_t *reg;
	int len;

	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || len < ac * 4)
		return -ENOENT;
	*base = read_cells(reg, ac);
	for (; bus > 0; bus = fdt_parent_offset(fdt, bus))
		if (translate_up(fdt, bus, base))
			return -ENOENT;
	return bus == 0 ? 0 : -ENOENT;
}

int arm64_console_from_fdt(const void *fdt, struct purgatory_console *c)
{
	const fdt32_t *shift;
	const char *path;
	int chosen, node, len, namelen;
	uint64_t base;

	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return -ENOENT;
	path = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!path)  /* the name before DT spec v0.1 */
		path = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!path || len < 1)
		return -ENOENT;
	/* "serial0:115200n8": an alias or a path, then options after ':'.
	 * libfdt resolves a leading alias itself. */
	for (namelen = 0; namelen < len && path[namelen] &&
	     path[namelen] != ':'; namelen++)
		;
	node = fdt_path_offset_namelen(fdt, path, namelen);
	if (node < 0 || node_base(fdt, node, &base))
		return -ENOENT;

	memset(c, 0, sizeof(*c));
	if (compatible_with(fdt, node, pl011_compat,
			    ARRAY_SIZE(pl011_compat))) {
		c->type = PURGATORY_CONSOLE_PL011;
	} else if (compatible_with(fdt, node, uart8250_compat,
				   ARRAY_SIZE(uart8250_compat))) {
		c->type = PURGATORY_CONSOLE_8250_MMIO;
		/* Linux's 8250 binding: registers 1 << reg-shift apart. */
		shift = fdt_getprop(fdt, node, "reg-shift", &len);
		if (shift && len == 4 && fdt32_to_cpu(*shift) <= 3)
			c->reg_shift = fdt32_to_cpu(*shift);
	} else {
		return -ENOENT;
	}
	c->base = base;
	return 0;
}

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

int arm64_console_from_spcr(const uint8_t *spcr, size_t len,
			    struct purgatory_console *c)
{
	const uint8_t *gas = spcr + SPCR_BASE_GAS;
	uint64_t base;

	if (len < SPCR_MIN_LEN || memcmp(spcr, "SPCR", 4) ||
	    get_le(spcr + 4, 4) < SPCR_MIN_LEN)
		return -ENOENT;
	base = get_le(gas + GAS_ADDRESS, 8);
	/* arm64 has no port I/O: only a memory-mapped UART will do. */
	if (gas[GAS_SPACE_ID] != GAS_SPACE_MEMORY || !base)
		return -ENOENT;

	memset(c, 0, sizeof(*c));
	switch (spcr[SPCR_INTERFACE_TYPE]) {
	case DBG2_PL011:
	case DBG2_SBSA_32BIT:
	case DBG2_SBSA:
		c->type = PURGATORY_CONSOLE_PL011;
		break;
	case DBG2_16550:
	case DBG2_16450:
	case DBG2_16550_GAS:
		c->type = PURGATORY_CONSOLE_8250_MMIO;
		/* The GAS register width gives the stride, as Linux's
		 * drivers/acpi/spcr.c picks "mmio32" for 32-bit ones. */
		switch (gas[GAS_BIT_WIDTH]) {
		case 16:
			c->reg_shift = 1;
			break;
		case 32:
			c->reg_shift = 2;
			break;
		default:
			c->reg_shift = 0;
			break;
		}
		break;
	default:
		return -ENOENT;
	}
	c->base = base;
	return 0;
}

void arm64_console_find(struct arch_load *ld, const void *fdt,
			struct purgatory_console *c)
{
	char *spcr;
	size_t len;

	memset(c, 0, sizeof(*c));
	if (fdt && !arm64_console_from_fdt(fdt, c))
		return;
	if (!arm64_read_optional(ld, SPCR_PATH, &spcr, &len) &&
	    !arm64_console_from_spcr((const uint8_t *)spcr, len, c))
		return;
	memset(c, 0, sizeof(*c));
}
