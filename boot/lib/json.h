/* kexshim: JSON output for the CLI (`plan`, `list --json`). */
#ifndef KEXSHIM_LIB_JSON_H
#define KEXSHIM_LIB_JSON_H

#include <stdio.h>

/* Print s as a JSON string, quoted and escaped (NULL prints null). */
void json_string(FILE *f, const char *s);

#endif
