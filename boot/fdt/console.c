/* kexshim: the purgatory's console from a device tree's
 * /chosen/stdout-path (see dt.h).  Runs in the shim's init, the CLI and
 * host tests while the plan is made; the purgatory then writes to the UART
 * found here with the MMU off, so only CPU physical MMIO addresses of UARTs
 * it can drive count: PL011 (and the SBSA subset of it) and 8250s. */
#include <errno.h>
#include <libfdt.h>
#include <string.h>

#include "common/util.h"
#include "fdt/dt.h"

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

/* The 8250 binding's register layout (Documentation/devicetree/bindings/
 * serial/8250.yaml, read as Linux's of_serial.c and earlycon do): reg-shift
 * gives the stride, reg-io-width the access size, 1 unless said.  Linux
 * refuses any width but 1, 2 and 4; a big-endian 32-bit one needs
 * UPIO_MEM32BE, which the purgatory does not have.
 * Return: 0 or -ENOENT (a UART the purgatory cannot drive). */
static int uart8250_layout(const void *fdt, int node,
			   struct purgatory_console *c)
{
	const fdt32_t *p;
	int len;

	c->reg_shift = 0;
	c->reg_width = 1;
	p = fdt_getprop(fdt, node, "reg-shift", &len);
	if (p && len == 4 && fdt32_to_cpu(*p) <= 3)
		c->reg_shift = (uint8_t)fdt32_to_cpu(*p);
	p = fdt_getprop(fdt, node, "reg-io-width", &len);
	if (!p)
		return 0;
	if (len != 4)
		return -ENOENT;
	switch (fdt32_to_cpu(*p)) {
	case 1:
	case 2:
		break;
	case 4:
		if (fdt_getprop(fdt, node, "big-endian", NULL))
			return -ENOENT;
		break;
	default:
		return -ENOENT;
	}
	c->reg_width = (uint8_t)fdt32_to_cpu(*p);
	return 0;
}

int dt_console(const void *fdt, struct purgatory_console *c)
{
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
		if (uart8250_layout(fdt, node, c)) {
			memset(c, 0, sizeof(*c));
			return -ENOENT;
		}
	} else {
		return -ENOENT;
	}
	c->base = base;
	return 0;
}

