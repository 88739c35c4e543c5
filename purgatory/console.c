/* purgatory: the console sink named by the loader in args->console, runs
 * between two kernels.  Nothing configured means nothing printed: the
 * purgatory must work headless. */
#include "purgatory.h"

void console_putc(void *ctx, char c)
{
	const struct purgatory_console *con = ctx;

	switch (con->type) {
	case PURGATORY_CONSOLE_8250_IO:
	case PURGATORY_CONSOLE_8250_MMIO:
		/* Serial terminals want CR LF. */
		if (c == '\n')
			uart8250_putc(con, '\r');
		uart8250_putc(con, (uint8_t)c);
		break;
	case PURGATORY_CONSOLE_PL011:
		if (c == '\n')
			pl011_putc(con, '\r');
		pl011_putc(con, (uint8_t)c);
		break;
	default:
		/* NONE, or a type this arch's purgatory cannot drive. */
		break;
	}
}
