/* kexshim arm64: where the purgatory prints.  Runs in the shim's init (and
 * the CLI, host tests) while the plan is made; the purgatory then writes to
 * the UART found here, so only physical MMIO addresses of UARTs it can
 * drive count: PL011 (and the SBSA subset of it) and 8250s.  A device-tree
 * boot names the console in /chosen/stdout-path (boot/fdt/console.c); an
 * ACPI boot in the SPCR table, read here.  No console is fine: the
 * purgatory stays quiet. */
#include <errno.h>
#include <unistd.h>
#include <string.h>

#include "arch/arm64/arm64.h"
#include "common/le.h"
#include "fdt/dt.h"
#include "lib/error.h"

#define SPCR_PATH "/sys/firmware/acpi/tables/SPCR"

/* SPCR: the 36-byte ACPI header, then (offsets from the table start): */
#define SPCR_INTERFACE_TYPE 36  /* u8, a DBG2 serial port subtype */
#define SPCR_BASE_GAS 40        /* Generic Address Structure, 12 bytes */
#define SPCR_MIN_LEN 52
#define GAS_SPACE_ID 0          /* 0 = system memory, 1 = system I/O */
#define GAS_ACCESS_SIZE 3       /* 1 byte, 2 word, 3 dword, 4 qword */
#define GAS_ADDRESS 4           /* u64 */
#define GAS_SPACE_MEMORY 0

/* DBG2 serial port subtypes (Microsoft "Debug Port Table 2"). */
#define DBG2_16550 0x00         /* full 16550 */
#define DBG2_16450 0x01         /* 16550 subset */
#define DBG2_PL011 0x03
#define DBG2_SBSA_32BIT 0x0d    /* SBSA generic UART, 32-bit access only */
#define DBG2_SBSA 0x0e
#define DBG2_16550_GAS 0x12     /* 16550, layout from the GAS */

int arm64_console_from_spcr(const uint8_t *spcr, size_t len,
			    struct purgatory_console *c)
{
	const uint8_t *gas = spcr + SPCR_BASE_GAS;
	uint64_t base;

	if (len < SPCR_MIN_LEN || memcmp(spcr, "SPCR", 4) ||
	    get_le32(spcr + 4) < SPCR_MIN_LEN)
		return -ENOENT;
	base = get_le64(gas + GAS_ADDRESS);
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
		/* As the shim's Linux drove it: drivers/acpi/spcr.c picks
		 * "mmio", "mmio16" or "mmio32" from the GAS access size
		 * alone (anything else is a firmware bug it reads as bytes),
		 * and earlycon makes mmio16/mmio32 registers 2 resp. 4 bytes
		 * apart, accessed that wide. */
		switch (gas[GAS_ACCESS_SIZE]) {
		case 2:
			c->reg_shift = 1;
			c->reg_width = 2;
			break;
		case 3:
			c->reg_shift = 2;
			c->reg_width = 4;
			break;
		default:
			c->reg_shift = 0;
			c->reg_width = 1;
			break;
		}
		break;
	default:
		return -ENOENT;
	}
	c->base = base;
	return 0;
}

/* Read <root>path whole when it exists.
 * Return: 0, -ENOENT (no message) when absent, or -errno (kx_fail). */
static int read_optional(struct arch_load *ld, const char *path, char **out,
			size_t *len)
{
	char full[4096];
	int ret;

	ret = root_path("arm64", ld->root, path, full, sizeof(full));
	if (ret)
		return ret;
	if (access(full, F_OK))
		return -ENOENT;
	return arena_read_file(ld->arena, "arm64", full, out, len);
}

void arm64_console_find(struct arch_load *ld, const void *fdt,
			struct purgatory_console *c)
{
	char *spcr;
	size_t len;

	memset(c, 0, sizeof(*c));
	if (fdt && !dt_console(fdt, c))
		return;
	if (!read_optional(ld, SPCR_PATH, &spcr, &len) &&
	    !arm64_console_from_spcr((const uint8_t *)spcr, len, c))
		return;
	memset(c, 0, sizeof(*c));
}
