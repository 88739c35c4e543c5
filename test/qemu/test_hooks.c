/* test/qemu/test_hooks.c: what makes `kexshim-test` (test/qemu/qemu.mk)
 * differ from `kexshim`: the test-only hooks of boot/, defined here and
 * nowhere else, so the shipped binary cannot honour them.
 *   kexshim_test.corrupt_digest=N  (shim kernel command line)
 *       flips one bit of the SHA-256 the loader stored for purgatory
 *       region N: the purgatory must print "purgatory: sha256 mismatch in
 *       segment N" and halt, and the target must never run
 * Runs in the shim of the QEMU tests, in PID 1 before kexec_load. */
#include <stdlib.h>
#include <string.h>

#include "kexec/purgatory.h"
#include "lib/console.h"
#include "lib/kcmdline.h"

void purgatory_test_hook(struct purgatory_args *args)
{
	static char line[KC_CMDLINE_MAX], buf[KC_CMDLINE_MAX];
	const char *p = line;
	struct kc_param prm;
	char *end;
	long n;

	if (kcmdline_read("", line, sizeof(line)))
		return;
	while (kcmdline_next(&p, buf, &prm)) {
		if (strcmp(prm.key, "kexshim_test.corrupt_digest") || !prm.value)
			continue;
		n = strtol(prm.value, &end, 10);
		if (*end || n < 0 || n >= (long)args->nr_regions) {
			con_warn("TEST BUILD: kexshim_test.corrupt_digest=%s: no "
				 "such segment (%u)", prm.value, args->nr_regions);
			return;
		}
		args->regions[n].sha256[0] ^= 0x01;
		con_info("TEST BUILD: corrupted the stored SHA-256 of segment "
			 "%ld (kexshim_test.corrupt_digest)", n);
	}
}
