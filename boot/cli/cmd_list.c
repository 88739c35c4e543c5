/* kexshim: `kexshim list`: every entry of the file systems given (the
 * ESP, and with --xbootldr/--fs more), in menu order.  Text, one per line:
 * "<mark> <id>\t<title>\t<source>:<dir>", mark '*' for the entry `boot`
 * would pick, ' ' for the others, '!' for one that cannot boot (its
 * reason instead of the title).  --json: an array of objects with the
 * same facts, for scripts. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "arch/arch.h"
#include "cli/cli.h"
#include "cli/args.h"
#include "config/bls.h"
#include "config/entries.h"
#include "disk/part.h"
#include "lib/error.h"
#include "lib/json.h"
#include "lib/kcmdline.h"

#define MAX_DIRS 16

static void print_json(const struct entries *es, int pick)
{
	size_t i;

	printf("[");
	for (i = 0; i < es->l.n; i++) {
		const struct boot_entry *e = &es->l.v[i];
		const struct part *p = e->part;

		printf("%s\n  {\"id\": ", i ? "," : "");
		json_string(stdout, e->id);
		printf(", \"source\": ");
		json_string(stdout, entry_source_name(e->source));
		printf(", \"partition\": ");
		json_string(stdout, p ? p->mnt : NULL);
		printf(", \"title\": ");
		json_string(stdout, e->title ? e->title : e->id);
		printf(", \"version\": ");
		json_string(stdout, e->version);
		printf(", \"kernel\": ");
		json_string(stdout, e->kernel.path);
		printf(", \"options\": ");
		json_string(stdout, e->options);
		printf(", \"config\": ");
		json_string(stdout, e->config);
		printf(", \"state\": \"%s\"", e->error ? "broken" :
		       (int)i == pick ? "default" : "ok");
		if (e->tries_left >= 0)
			printf(", \"tries_left\": %d, \"tries_done\": %d",
			       e->tries_left, e->tries_done);
		printf(", \"error\": ");
		json_string(stdout, e->error);
		printf("}");
	}
	printf("%s]\n", es->l.n ? "\n" : "");
}

static void print_text(const struct entries *es, int pick)
{
	size_t i;

	for (i = 0; i < es->l.n; i++) {
		const struct boot_entry *e = &es->l.v[i];
		const struct part *p = e->part;

		printf("%c %s\t%s\t%s:%s\n",
		       e->error ? '!' : (int)i == pick ? '*' : ' ', e->id,
		       e->error ? e->error : e->title ? e->title : e->id,
		       entry_source_name(e->source), p ? p->mnt : "?");
	}
}

int cli_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "esp", required_argument, NULL, 'e' },
		{ "xbootldr", required_argument, NULL, 'x' },
		{ "fs", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	const char *esp = NULL, *dirs[MAX_DIRS];
	enum part_role roles[MAX_DIRS];
	struct kcmdline kc;
	struct disk_set set = { 0 };
	struct entries_prefs pf = { 0 };
	struct entries es;
	size_t nd = 0, i;
	bool json = false;
	int c, rc, pick;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'e') {
			esp = optarg;
		} else if (c == 'j') {
			json = true;
		} else if ((c == 'x' || c == 'f') && nd < MAX_DIRS) {
			roles[nd] = c == 'x' ? PART_XBOOTLDR : PART_OTHER;
			dirs[nd++] = optarg;
		} else {
			fprintf(stderr, "kexshim: list: %s '%s' (see kexshim "
				"--help)\n", c == ':' ? "option needs a value:" :
				c == 'x' || c == 'f' ? "too many file systems:" :
				"unknown option", argv[optind - 1]);
			return CLI_USAGE;
		}
	}
	rc = cli_esp_args_done("list", argc, argv, &esp, &kc);
	if (rc != CLI_OK)
		return rc;
	rc = disk_set_from_dir(&set, esp, PART_ESP);
	for (i = 0; !rc && i < nd; i++)
		rc = disk_set_add_dir(&set, dirs[i], roles[i]);
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
	if (json)
		print_json(&es, pick);
	else
		print_text(&es, pick);
	entries_free(&es);
	disk_set_free(&set);
	if (fflush(stdout)) {
		kx_fail(errno, "list: stdout: write failed");
		kx_report(-EIO);
		return CLI_FAILED;
	}
	return CLI_OK;
}
