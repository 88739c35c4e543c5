/* purgatory: runs between two kernels, after the shim kernel's kexec and
 * before the target's entry.  Internal interfaces of purgatory/: the
 * arch-independent parts (verify.c, print.c) also build for the host so the
 * unit tests exercise the very code the blob runs. */
#ifndef KEXSHIM_PURGATORY_INTERNAL_H
#define KEXSHIM_PURGATORY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kexshim/purgatory.h"

/* Where text goes: one character at a time to putc(ctx, c).  The purgatory
 * builds this on its stack at run time (a static initialiser holding a
 * function address would need a relocation). */
struct pg_out {
	void (*putc)(void *ctx, char c);
	void *ctx;
};

/* print.c */
void pg_puts(const struct pg_out *out, const char *s);
void pg_put_dec(const struct pg_out *out, uint64_t v);
/* "0x" then lower-case hex digits without leading zeros. */
void pg_put_hex(const struct pg_out *out, uint64_t v);

/* verify.c: print "purgatory: verifying N segments", then SHA-256 every
 * region (start is an identity-mapped physical address) and compare with
 * its stored digest.  N counts regions: the loader may cut a large
 * segment into several so its CPUs share the hashing (boot/kexec/regions.h).  On the first mismatch print
 * "purgatory: sha256 mismatch in segment N" and store N in *bad.
 * Return: 0 if every region matches, -1 otherwise (*bad = the index, or
 * nr_regions itself when it exceeds PURGATORY_MAX_REGIONS). */
int purgatory_verify(const struct purgatory_args *args,
		     const struct pg_out *out, uint32_t *bad);

/* console.c: putc for struct pg_out; ctx is the args' console. */
void console_putc(void *ctx, char c);

/* uart8250.c: one byte to a polled 8250/16550 already set up by the shim
 * kernel, through port I/O or MMIO of con->reg_width bytes (also built for
 * the host tests).  Return: 0, or -1 if the UART never became ready. */
int uart8250_putc(const struct purgatory_console *con, uint8_t c);

/* pl011.c: one byte to a polled PL011 already set up by the shim kernel.
 * Return: 0, or -1 if the UART never had room. */
int pl011_putc(const struct purgatory_console *con, uint8_t c);

/* purgatory.c: called by the arch entry code with the blob's args. */
void purgatory_main(const struct purgatory_args *args);

/* x86_64 only, purgatory/arch/x86_64/console_map.c, called by its entry.S
 * before purgatory_main: map an MMIO console's registers into kexec's
 * identity map, or set the console to PURGATORY_CONSOLE_NONE when that
 * cannot be done. */
void x86_console_map(struct purgatory_args *args);

/* Arch hooks, purgatory/arch/<arch>/. */
uint8_t arch_pio_read8(uint16_t port);
void arch_pio_write8(uint16_t port, uint8_t v);
/* Stop this CPU for good, interrupts off. */
__attribute__((noreturn)) void arch_halt(void);
/* Enter the target kernel at entry with regs[] in the registers the arch's
 * boot protocol names (x86_64: rsi = regs[0]). */
__attribute__((noreturn)) void arch_enter_kernel(uint64_t entry,
		const uint64_t regs[PURGATORY_NR_REGS]);

#endif
