/* kexshim: ESP location and kernel parameters for `list` and `boot` run as
 * commands (PID 1 knows where it mounted the ESP), and the running kernel's
 * kexshim.* parameters for all of them. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/util.h"
#include "cli/cli.h"
#include "cli/args.h"
#include "init/init.h"
#include "lib/error.h"
#include "lib/kcmdline.h"

const char *cli_default_esp(void)
{
	/* /esp: the shim; the rest: where distributions mount it. */
	static const char *const dirs[] = { "/esp", "/efi", "/boot/efi", "/boot" };
	char path[64];
	struct stat st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/loader/entries", dirs[i]);
		if (!stat(path, &st) && S_ISDIR(st.st_mode))
			return dirs[i];
	}
	kx_fail(ENOENT, "entries: no loader/entries in /esp, /efi, /boot/efi or "
		"/boot (use --esp=DIR)");
	return NULL;
}

int cli_esp_args_done(const char *cmd, int argc, char **argv,
		      const char **esp, struct kcmdline *kc)
{
	if (optind < argc) {
		fprintf(stderr, "kexshim: %s: unexpected argument '%s' (see "
			"kexshim --help)\n", cmd, argv[optind]);
		return CLI_USAGE;
	}
	boot_read_params(kc);
	if (!*esp && !(*esp = cli_default_esp())) {
		kx_report(-ENOENT);
		return CLI_FAILED;
	}
	return CLI_OK;
}
