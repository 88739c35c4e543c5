/* purgatory (arm64): port I/O stubs, linked between two kernels but
 * never meant to run: there is no I/O port space on arm64, so an
 * 8250_IO console cannot exist; the loader only names 8250_MMIO or PL011
 * here.  Should a bad one ask anyway, reads say "ready" and writes go
 * nowhere, so uart8250.c neither spins nor stops the jump to the target. */
#include "purgatory.h"

uint8_t arch_pio_read8(uint16_t port)
{
	return 0xff;
}

void arch_pio_write8(uint16_t port, uint8_t v)
{
}
