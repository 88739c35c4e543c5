/* purgatory: polled 8250/16550 output, runs between two kernels with
 * interrupts off.  The shim kernel left the UART programmed (baud, 8n1, FIFO)
 * for its own console, so this only waits for room and writes: touching the
 * divisor would garble the target's first lines if we guessed wrong. */
#include "purgatory.h"

#define UART_THR	0	/* transmit holding register (write) */
#define UART_LSR	5	/* line status register (read) */
#define UART_LSR_THRE	0x20	/* THR empty: room for one more byte */

/* ~100 ms of polling on real hardware, over a thousand character times at
 * 115200 baud: a UART that is alive answers long before, a missing one must
 * not hang the jump to the target. */
#define THRE_POLLS	100000

/* Set once the UART has timed out; later lines are dropped instead of each
 * character paying the full timeout again.  In .bss, which entry code
 * clears. */
static int uart_dead;

/* MMIO registers are 1 << reg_shift bytes apart. */
static uintptr_t reg_addr(const struct purgatory_console *con, unsigned int reg)
{
	return (uintptr_t)(con->base + ((uint64_t)reg << con->reg_shift));
}

/*
 * MMIO at the width the loader found (Linux's UPIO_MEM32 and UPIO_MEM16 do
 * readl/writel resp. readw/writew): some SoCs abort a byte access to a
 * 32-bit register block, and on arm64 the exception vector would then
 * fault on the same UART forever.  The 8250 register is the low byte of the
 * wider one (little-endian only: no UPIO_MEM32BE).
 */
static uint8_t reg_read(const struct purgatory_console *con, unsigned int reg)
{
	uintptr_t a;

	if (con->type == PURGATORY_CONSOLE_8250_IO)
		return arch_pio_read8((uint16_t)(con->base + reg));
	a = reg_addr(con, reg);
	switch (con->reg_width) {
	case 4:
		return (uint8_t)*(volatile uint32_t *)a;
	case 2:
		return (uint8_t)*(volatile uint16_t *)a;
	default:
		return *(volatile uint8_t *)a;
	}
}

static void reg_write(const struct purgatory_console *con, unsigned int reg,
		      uint8_t v)
{
	uintptr_t a;

	if (con->type == PURGATORY_CONSOLE_8250_IO) {
		arch_pio_write8((uint16_t)(con->base + reg), v);
		return;
	}
	a = reg_addr(con, reg);
	switch (con->reg_width) {
	case 4:
		*(volatile uint32_t *)a = v;
		break;
	case 2:
		*(volatile uint16_t *)a = v;
		break;
	default:
		*(volatile uint8_t *)a = v;
		break;
	}
}

int uart8250_putc(const struct purgatory_console *con, uint8_t c)
{
	unsigned int polls;

	if (uart_dead)
		return -1;
	for (polls = 0; !(reg_read(con, UART_LSR) & UART_LSR_THRE); polls++) {
		if (polls == THRE_POLLS) {
			uart_dead = 1;
			return -1;
		}
	}
	reg_write(con, UART_THR, c);
	return 0;
}
