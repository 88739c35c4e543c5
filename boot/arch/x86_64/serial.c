/* kexshim x86_64: which serial port the purgatory prints on.  Runs in
 * arch_ops.load: the purgatory talks where the shim's console is, read
 * from the shim's own /proc/cmdline (under ld->root). */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "lib/kcmdline.h"
#include "arch/arch.h"
#include "arch/x86_64/x86.h"

/* The legacy PC COM ports, as the 8250 driver numbers them
 * (SERIAL_PORT_DFNS in arch/x86/include/asm/serial.h). */
static const uint16_t com_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };

/* "ttyS1,115200n8" */
static int parse_tty(const char *v, struct purgatory_console *c)
{
	char *end;
	unsigned long n;

	if (strncmp(v, "ttyS", 4) || v[4] < '0' || v[4] > '9')
		return 0;
	n = strtoul(v + 4, &end, 10);
	if ((*end && *end != ',') || n >= ARRAY_SIZE(com_ports))
		return 0;
	c->type = PURGATORY_CONSOLE_8250_IO;
	c->reg_shift = 0;
	c->reg_width = 1;
	c->base = com_ports[n];
	return 1;
}

/* "uart8250,io,0x3f8[,opts]", "uart,mmio32,0xfe001000[,opts]".  The
 * access width and stride of each iotype as Linux's earlycon gives them
 * (uart_parse_earlycon, earlycon.c parse_options: mmio16 regshift 1,
 * mmio32 regshift 2).  mmio32be is left out: the purgatory has no
 * big-endian accesses, and no console beats a garbled one. */
static int parse_uart(const char *v, struct purgatory_console *c)
{
	const char *p;
	char *end;
	unsigned long long base;
	uint32_t type;
	uint8_t shift = 0, width = 1;

	if (!strncmp(v, "uart8250,", 9))
		p = v + 9;
	else if (!strncmp(v, "uart,", 5))
		p = v + 5;
	else
		return 0;
	if (!strncmp(p, "io,", 3)) {
		type = PURGATORY_CONSOLE_8250_IO;
		p += 3;
	} else if (!strncmp(p, "mmio,", 5)) {
		type = PURGATORY_CONSOLE_8250_MMIO;
		p += 5;
	} else if (!strncmp(p, "mmio16,", 7)) {
		type = PURGATORY_CONSOLE_8250_MMIO;
		shift = 1;
		width = 2;
		p += 7;
	} else if (!strncmp(p, "mmio32,", 7)) {
		type = PURGATORY_CONSOLE_8250_MMIO;
		shift = 2;
		width = 4;
		p += 7;
	} else {
		return 0;
	}
	base = strtoull(p, &end, 0);
	if (end == p || (*end && *end != ',') || !base ||
	    (type == PURGATORY_CONSOLE_8250_IO && base > 0xffff))
		return 0;
	c->type = type;
	c->reg_shift = shift;
	c->reg_width = width;
	c->base = base;
	return 1;
}

void x86_serial_console(struct arch_load *ld, struct purgatory_console *c)
{
	char cmdline[KC_CMDLINE_MAX], buf[KC_CMDLINE_MAX];
	struct purgatory_console found = { .type = PURGATORY_CONSOLE_NONE };
	struct kc_param prm;
	const char *p = cmdline;

	memset(c, 0, sizeof(*c));
	if (kcmdline_read(ld->root, cmdline, sizeof(cmdline)))
		return; /* no console is fine: the purgatory stays quiet */
	while (kcmdline_next(&p, buf, &prm)) {
		if (!prm.value || strcmp(prm.key, "console"))
			continue;
		/* The last console= is /dev/console: the one people watch. */
		if (!parse_tty(prm.value, &found))
			parse_uart(prm.value, &found);
	}
	*c = found;
}
