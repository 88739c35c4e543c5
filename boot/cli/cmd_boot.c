/* kexshim: `kexshim boot [ENTRY]`: the boot sequence of PID 1
 * (boot/init/sequence.c) run as a command on a mounted ESP. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "disk/part.h"
#include "init/init.h"
#include "lib/error.h"
#include "lib/kcmdline.h"

int cli_boot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "esp", required_argument, NULL, 'e' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *esp = NULL, *arg = NULL;
	struct disk_set set = { 0 };
	struct kcmdline kc;
	bool dry_run = false;
	int c, rc;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'e') {
			esp = optarg;
		} else if (c == 'n') {
			dry_run = true;
		} else {
			fprintf(stderr, "kexshim: boot: %s '%s' (see kexshim "
				"--help)\n", c == ':' ? "option needs a value:"
						     : "unknown option",
				argv[optind - 1]);
			return CLI_USAGE;
		}
	}
	if (optind < argc)
		arg = argv[optind++];
	rc = cli_esp_args_done("boot", argc, argv, &esp, &kc);
	if (rc != CLI_OK)
		return rc;
	rc = disk_set_from_dir(&set, esp, PART_ESP);
	if (!rc)
		rc = boot_entries(&set, &set.v[0], arg, &kc, dry_run, false);
	disk_set_free(&set);
	if (rc) {
		kx_report(rc);
		return CLI_FAILED;
	}
	return CLI_OK;
}
