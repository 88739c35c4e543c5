/* The purgatory blob (build/<arch>/purgatory.bin), embedded read-only in
 * kexshim.  boot/kexec/purgatory.c copies it and fills its args struct. */
	.section .rodata
	.balign 16
	.globl purgatory_blob
purgatory_blob:
	.incbin PURGATORY_BIN
purgatory_blob_end:
	.balign 8
	.globl purgatory_blob_size
purgatory_blob_size:
	.quad purgatory_blob_end - purgatory_blob
	.section .note.GNU-stack,"",%progbits
