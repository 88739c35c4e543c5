/* purgatory (x86_64): stop for good, runs between two kernels when a segment
 * is corrupt.  Interrupts stay off; the loop covers an NMI or SMI waking the
 * CPU from hlt. */
#include "purgatory.h"

void arch_halt(void)
{
	for (;;)
		asm volatile("cli; hlt" : : : "memory");
}
