/* purgatory: the args header at offset 0 of the blob.  Nothing here runs;
 * this file only lays out bytes, all fixed when the blob is linked.  The
 * loader fills in the rest of struct purgatory_args in its copy. */
#include <stddef.h>

#include "purgatory.h"

/*
 * entry_offset and mem_size are distances inside the blob, which C cannot
 * write as constant initialisers.  Written as "symbol - purgatory_args" with
 * purgatory_args in the section being assembled, gas emits a PC-relative
 * relocation that ld resolves while linking, so the blob keeps no relocation
 * at all; the linker script asserts purgatory_args is at offset 0, which
 * turns those distances into offsets from the blob's start.  The asm
 * operands keep magic, version and the struct size tied to the ABI header.
 * The function is never called; it is only a carrier for the asm.
 */
__attribute__((used)) static void purgatory_args_layout(void)
{
	asm volatile(
		"	.pushsection .purgatory.args, \"a\", %%progbits\n"
		"	.balign 8\n"
		"	.globl purgatory_args\n"
		"purgatory_args:\n"
		"	.long %c0\n"				/* magic */
		"	.long %c1\n"				/* version */
		"	.long purgatory_start - purgatory_args\n"	/* entry_offset */
		"	.long __purgatory_end - purgatory_args\n"	/* mem_size */
		"	.fill %c2, 1, 0\n"			/* loader's part */
		"	.popsection\n"
		: : "i" (PURGATORY_MAGIC), "i" (PURGATORY_VERSION),
		    "i" (sizeof(struct purgatory_args) -
			 offsetof(struct purgatory_args, entry)));
}

_Static_assert(offsetof(struct purgatory_args, mem_size) == 12,
	       "the asm above writes four 32-bit words before entry");
