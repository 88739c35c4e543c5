/* kexshim: print a finished load plan as JSON (`kexshim plan`, tests). */
#ifndef KEXSHIM_PLAN_JSON_H
#define KEXSHIM_PLAN_JSON_H

#include <stdio.h>

struct load;

/* Print {"entry": "0x...", "segments": [{"name", "mem", "memsz", "bufsz",
 * "end", "sha256"}, ...]} with keys in that order.  Addresses (entry, mem,
 * end = mem + memsz, exclusive) are strings "0x..."; memsz and bufsz are
 * byte counts as numbers; sha256 is the hex digest of the bufsz file-backed
 * bytes.  Return: 0 or -errno (kx_fail) when writing fails. */
int plan_print_json(FILE *f, const struct load *l);

#endif
