/* purgatory (x86_64): port I/O for the 8250 console, runs between two
 * kernels. */
#include "purgatory.h"

uint8_t arch_pio_read8(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

void arch_pio_write8(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a" (v), "Nd" (port));
}
