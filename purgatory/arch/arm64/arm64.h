/* purgatory (arm64): helpers shared by the arm64 files, used between two
 * kernels at EL2 or EL1, with the MMU and caches off or (mmu.c) on. */
#ifndef KEXSHIM_PURGATORY_ARM64_H
#define KEXSHIM_PURGATORY_ARM64_H

#include <stdint.h>

#define read_sysreg(r) ({						\
	uint64_t __rv;							\
	asm volatile("mrs %0, " #r : "=r" (__rv));			\
	__rv;								\
})

#define write_sysreg(r, v) do {						\
	uint64_t __wv = (uint64_t)(v);					\
	asm volatile("msr " #r ", %0" : : "r" (__wv));			\
} while (0)

/* Return: the exception level we run at, from CurrentEL bits [3:2]. */
static inline unsigned int current_el(void)
{
	return (read_sysreg(CurrentEL) >> 2) & 3;
}

struct purgatory_args;

/* mmu.c, called by entry.S before purgatory_main(): identity-map what the
 * purgatory touches (idmap.h) and turn the MMU, D-cache and I-cache on at
 * our EL, printing one line either way; on any obstacle the MMU stays off
 * and the hashing runs uncached as before.  enter_kernel.S turns it all
 * off again before the jump. */
void arm64_mmu_on(const struct purgatory_args *args);

/* exception.c, called by vectors.S with the slot's offset in the table
 * (0x000..0x780, 0x80 apart): print the syndrome for whoever reads the
 * console, once: an exception taken while reporting (the console faults)
 * prints nothing.  The caller halts afterwards. */
void arm64_exception(uint64_t vector_offset);

#endif
