/* purgatory (arm64): stop for good, runs between two kernels when a segment
 * is corrupt.  Interrupts stay masked; wfi still wakes on a pending one
 * (and on debug events), hence the loop. */
#include "purgatory.h"

void arch_halt(void)
{
	for (;;)
		asm volatile("msr daifset, #0xf\n\twfi" : : : "memory");
}
