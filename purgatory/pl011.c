/* purgatory: polled Arm PL011 output, runs between two kernels with
 * interrupts off (on arm64 Device accesses: with the MMU off, or mapped
 * Device-nGnRE by purgatory/arch/arm64/idmap.c).  The shim kernel left the UART enabled and programmed for its
 * own console; as with the 8250, only wait for room and write, never touch
 * the baud rate or line control. */
#include "purgatory.h"

#define PL011_DR	0x00		/* data register (write: TX) */
#define PL011_FR	0x18		/* flag register */
#define PL011_FR_TXFF	(1u << 5)	/* TX FIFO (or holding reg) full */

/* Same budget as uart8250.c: a live UART drains a character long before,
 * a dead or absent one must not stop the jump to the target. */
#define TXFF_POLLS	100000

/* Set once the UART timed out; later characters are dropped at once.  In
 * .bss, which the entry code clears. */
static int pl011_dead;

/* PL011 TRM: the registers are 32 bits wide; SBSA generic UARTs accept
 * only 32-bit accesses, so never use byte accesses here. */
static uint32_t reg_read(const struct purgatory_console *con,
			 unsigned int reg)
{
	return *(volatile uint32_t *)(uintptr_t)(con->base + reg);
}

static void reg_write(const struct purgatory_console *con, unsigned int reg,
		      uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(con->base + reg) = v;
}

int pl011_putc(const struct purgatory_console *con, uint8_t c)
{
	unsigned int polls;

	if (pl011_dead)
		return -1;
	for (polls = 0; reg_read(con, PL011_FR) & PL011_FR_TXFF; polls++) {
		if (polls == TXFF_POLLS) {
			pl011_dead = 1;
			return -1;
		}
	}
	reg_write(con, PL011_DR, c);
	return 0;
}
