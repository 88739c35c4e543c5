/* kexshim: `kexshim boot [ENTRY]`, and the same flow for PID 1: pick a Boot
 * Loader Specification entry, load it, kexec into it, and fall back to the
 * next entry on any failure.  An entry whose load_prepare() failed never
 * reaches kexec_load. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arch/arch.h"
#include "cli/cli.h"
#include "cli/args.h"
#include "lib/console.h"
#include "config/entries.h"
#include "lib/error.h"
#include "lib/kcmdline.h"
#include "kexec/kexec.h"
#include "load/load.h"

struct boot_ctx {
	bool dry_run;
};

static int try_entry(const struct entry *e, void *ctx)
{
	const struct boot_ctx *bc = ctx;
	struct load_request req;
	struct load *l;
	int rc;

	con_info("booting entry '%s' (%s)", e->id,
		 e->bls.title ? e->bls.title : e->id);
	l = calloc(1, sizeof(*l));
	if (!l)
		return kx_fail(ENOMEM, "boot: %s: out of memory", e->path);
	entries_request(e, &req);
	rc = load_prepare(l, &req);
	if (rc) {
		free(l);
		return rc;
	}
	if (bc->dry_run) {
		con_info("dry run: %zu segments, entry 0x%llx, not loaded",
			 l->plan.n, (unsigned long long)l->entry);
		load_release(l);
		free(l);
		return 0;
	}
	con_info("kexec_load: %zu segments, entry 0x%llx", l->plan.n,
		 (unsigned long long)l->entry);
	rc = kexec_load_plan(l->entry, &l->plan);
	/* The kernel has copied the segments: our mappings can go. */
	load_release(l);
	free(l);
	if (rc)
		return rc;
	con_peak_rss();
	return kexec_reboot(); /* returns only on failure */
}

int cli_boot_esp(const char *esp, const char *arg, const struct kcmdline *kc,
		 bool dry_run)
{
	struct boot_ctx bc = { .dry_run = dry_run };
	struct entries es;
	int first, rc;

	rc = entries_scan(esp, bls_arch_name(arch_ops.name), &es);
	if (rc)
		return rc;
	first = entries_pick(&es, arg, kc->entry);
	if (first < 0) {
		entries_free(&es);
		return first;
	}
	rc = entries_try(&es, (size_t)first, try_entry, &bc);
	entries_free(&es);
	return rc;
}

int cli_boot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "esp", required_argument, NULL, 'e' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *esp = NULL, *arg = NULL;
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
	rc = cli_boot_esp(esp, arg, &kc, dry_run);
	if (rc) {
		kx_report(rc);
		return CLI_FAILED;
	}
	return CLI_OK;
}
