/* kexshim: `kexshim list`: the Boot Loader Specification entries in menu
 * order, one per line: "<mark> <id>\t<title>", mark '*' for the entry
 * `boot` would pick, ' ' for the others, '!' for one that cannot boot (its
 * reason instead of the title). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "arch/arch.h"
#include "cli/cli.h"
#include "cli/args.h"
#include "config/bls.h"
#include "config/entries.h"
#include "disk/part.h"
#include "lib/error.h"
#include "lib/kcmdline.h"

int cli_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "esp", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const char *esp = NULL;
	struct kcmdline kc;
	struct disk_set set = { 0 };
	struct entries_prefs pf = { 0 };
	struct entries es;
	int c, rc, pick;
	size_t i;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'e') {
			esp = optarg;
			continue;
		}
		fprintf(stderr, "kexshim: list: %s '%s' (see kexshim --help)\n",
			c == ':' ? "option needs a value:" : "unknown option",
			argv[optind - 1]);
		return CLI_USAGE;
	}
	rc = cli_esp_args_done("list", argc, argv, &esp, &kc);
	if (rc != CLI_OK)
		return rc;
	rc = disk_set_from_dir(&set, esp, PART_ESP);
	if (!rc)
		rc = entries_scan(&set, &set.v[0], bls_arch_name(arch_ops.name),
				  &es);
	if (rc) {
		kx_report(rc);
		disk_set_free(&set);
		return CLI_FAILED;
	}
	pf.kc_entry = kc.entry;
	pick = entries_pick(&es, &pf);
	if (pick < 0) {
		kx_report(pick);
		entries_free(&es);
		disk_set_free(&set);
		return CLI_FAILED;
	}
	for (i = 0; i < es.l.n; i++) {
		const struct boot_entry *e = &es.l.v[i];

		printf("%c %s\t%s\n", e->error ? '!' : (int)i == pick ? '*' : ' ',
		       e->id, e->error ? e->error : e->title ? e->title : e->id);
	}
	entries_free(&es);
	disk_set_free(&set);
	if (fflush(stdout)) {
		kx_fail(errno, "list: stdout: write failed");
		kx_report(-EIO);
		return CLI_FAILED;
	}
	return CLI_OK;
}
