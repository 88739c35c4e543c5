/* kexshim: `kexshim exec`: reboot into the kernel `kexshim load` (or any
 * kexec_load caller) loaded.  Returns only when the reboot failed. */
#include <stdio.h>

#include "cli/cli.h"
#include "lib/error.h"
#include "kexec/kexec.h"

int cli_exec(int argc, char **argv)
{
	if (argc > 1) {
		fprintf(stderr, "kexshim: exec: unexpected argument '%s' (see "
			"kexshim --help)\n", argv[1]);
		return CLI_USAGE;
	}
	kx_report(kexec_reboot());
	return CLI_FAILED;
}
