/* purgatory: runs between two kernels.  The shim kernel's kexec has copied
 * every segment to its final place and jumped here (on x86_64 in long mode,
 * identity-mapped, interrupts off); the old kernel is gone.  Check the
 * segments, say where we jump, and hand over to the arch code that enters
 * the target. */
#include "purgatory.h"

void purgatory_main(const struct purgatory_args *args)
{
	/* Built here, not as a static initialiser: a function address in
	 * initialised data would need a run-time relocation. */
	struct pg_out out = {
		.putc = console_putc,
		.ctx = (void *)&args->console,
	};
	uint64_t regs[PURGATORY_NR_REGS];
	uint32_t bad;
	unsigned int i;

	if (purgatory_verify(args, &out, &bad))
		arch_halt();

	pg_puts(&out, "purgatory: jumping to ");
	pg_put_hex(&out, args->entry);
	pg_puts(&out, "\n");

	/* args is packed; hand the arch code an aligned copy. */
	for (i = 0; i < PURGATORY_NR_REGS; i++)
		regs[i] = args->regs[i];
	arch_enter_kernel(args->entry, regs);
}
