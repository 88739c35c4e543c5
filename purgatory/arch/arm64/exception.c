/* purgatory (arm64): report an exception taken between two kernels, then
 * halt.  Reached from vectors.S with a fresh stack, the MMU off or on
 * (mmu.c maps the console and the blob, so printing works either way). */
#include "arm64.h"
#include "purgatory.h"

/* Defined by args.c at offset 0 of the blob: the console is there. */
extern const struct purgatory_args purgatory_args;

/*
 * Set once a report has begun.  The console itself may be what faults (a
 * base pointing at nothing, an access width the UART's bus aborts): the
 * report would then fault again on its first character, forever, and the
 * machine would spin in the vectors instead of stopping.  A second
 * exception therefore returns at once and the caller halts, silently.
 * volatile: the store must reach memory before the first console access,
 * which the compiler would otherwise be free to move it past.  In .bss,
 * cleared by entry.S.
 */
static volatile int reporting;

void arm64_exception(uint64_t vector_offset)
{
	struct pg_out out = {
		.putc = console_putc,
		.ctx = (void *)&purgatory_args.console,
	};
	uint64_t esr, elr, far;

	if (reporting)
		return;
	reporting = 1;

	/* The _EL2 registers are UNDEFINED at EL1. */
	if (current_el() == 2) {
		esr = read_sysreg(esr_el2);
		elr = read_sysreg(elr_el2);
		far = read_sysreg(far_el2);
	} else {
		esr = read_sysreg(esr_el1);
		elr = read_sysreg(elr_el1);
		far = read_sysreg(far_el1);
	}

	pg_puts(&out, "purgatory: exception at vector ");
	pg_put_hex(&out, vector_offset);
	pg_puts(&out, " esr=");
	pg_put_hex(&out, esr);
	pg_puts(&out, " elr=");
	pg_put_hex(&out, elr);
	/* The offset matches objdump of purgatory.elf (linked at 0). */
	pg_puts(&out, " (blob+");
	pg_put_hex(&out, elr - (uint64_t)(uintptr_t)&purgatory_args);
	pg_puts(&out, ") far=");
	pg_put_hex(&out, far);
	pg_puts(&out, "\n");
}
