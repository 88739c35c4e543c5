/* kexshim: `kexshim load` and `kexshim plan`.  Runs on any Linux: load
 * checks the kernel, plans its segments and calls kexec_load(2) (or
 * kexec_file_load(2) under lockdown, or with -s: boot/secure/); plan does
 * the same work but prints the plan as JSON and never makes the syscall.
 * Options follow kexec-tools where they overlap. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/kcmdline.h"
#include "load/plan_json.h"
#include "load/load.h"
#include "secure/secure.h"

#define MAX_APPEND 16
#define CMDLINE_MAX 65536

struct load_opts {
	struct load_request req;
	const char *append[MAX_APPEND];
	size_t nr_append;
	const char *command_line;
	int reuse;
	char *cmdline; /* the merged result, owned */
	struct secure_opts secure; /* load: -s, --no-file-load, --measure */
};

enum {
	OPT_KERNEL = 256, OPT_INITRD, OPT_APPEND, OPT_COMMAND_LINE,
	OPT_REUSE, OPT_DTB, OPT_MEMMAP, OPT_ROOT, OPT_UKI_PROFILE,
	OPT_FILE_LOAD = 's', OPT_NO_FILE_LOAD = 300, OPT_MEASURE,
};

static const struct option load_options[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "ramdisk", required_argument, NULL, OPT_INITRD }, /* kexec-tools */
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "command-line", required_argument, NULL, OPT_COMMAND_LINE },
	{ "reuse-cmdline", no_argument, NULL, OPT_REUSE },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "memmap", required_argument, NULL, OPT_MEMMAP },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "uki-profile", required_argument, NULL, OPT_UKI_PROFILE },
	/* kexec-tools: -s, --kexec-file-syscall */
	{ "kexec-file-syscall", no_argument, NULL, OPT_FILE_LOAD },
	{ "no-file-load", no_argument, NULL, OPT_NO_FILE_LOAD },
	{ "measure", no_argument, NULL, OPT_MEASURE },
	{ NULL, 0, NULL, 0 },
};

/* Return: the command line the target gets, built in o->cmdline: the
 * base (--command-line, else --reuse-cmdline's filtered /proc/cmdline,
 * else empty) followed by every --append; none of them: NULL, so that a
 * UKI's own .cmdline applies. */
static int merge_cmdline(const char *cmd, struct load_opts *o)
{
	char *base, *out;
	size_t n, i;

	if (!o->command_line && !o->reuse && !o->nr_append)
		return 0;
	base = calloc(1, CMDLINE_MAX);
	if (!base)
		return kx_fail(ENOMEM, "%s: out of memory", cmd);
	if (o->command_line) {
		snprintf(base, CMDLINE_MAX, "%s", o->command_line);
	} else if (o->reuse) {
		char *line = calloc(1, KC_CMDLINE_MAX), why[512];
		int err = line ? kcmdline_read(o->req.root, line, KC_CMDLINE_MAX)
			       : -ENOMEM;

		if (!err && kcmdline_strip(line, base, CMDLINE_MAX))
			err = kx_fail(E2BIG, "/proc/cmdline is too long");
		free(line);
		if (err) {
			snprintf(why, sizeof(why), "%s", kx_last_error());
			free(base);
			return kx_fail(-err, "%s: --reuse-cmdline: %s", cmd, why);
		}
	}
	n = strlen(base);
	for (i = 0; i < o->nr_append; i++)
		n += strlen(o->append[i]) + 1;
	out = malloc(n + 1);
	if (!out) {
		free(base);
		return kx_fail(ENOMEM, "%s: out of memory", cmd);
	}
	strcpy(out, base);
	for (i = 0; i < o->nr_append; i++) {
		if (*out)
			strcat(out, " ");
		strcat(out, o->append[i]);
	}
	free(base);
	o->cmdline = out;
	o->req.cmdline = out;
	return 0;
}

/* Return: 0, or an exit code after printing the one line. */
static int parse_opts(const char *cmd, int argc, char **argv, bool is_plan,
		      struct load_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->req.root = "";
	o->req.uki_profile = -1;
	opterr = 0;
	optind = 0; /* glibc: restart scanning */
	while ((c = getopt_long(argc, argv, is_plan ? ":" : ":s", load_options,
				NULL)) != -1) {
		switch (c) {
		case OPT_FILE_LOAD:
		case OPT_NO_FILE_LOAD:
		case OPT_MEASURE:
			if (is_plan) {
				kx_fail(EINVAL, "%s: %s is for `kexshim load` only",
					cmd, argv[optind - 1]);
				goto usage;
			}
			if (c == OPT_MEASURE) {
				o->secure.measure = true;
				break;
			}
			if (o->secure.file != SECURE_FILE_AUTO) {
				kx_fail(EINVAL, "%s: -s and --no-file-load exclude "
					"each other", cmd);
				goto usage;
			}
			o->secure.file = c == OPT_FILE_LOAD ? SECURE_FILE_FORCE
							    : SECURE_FILE_NEVER;
			break;
		case OPT_KERNEL:
			o->req.kernel = optarg;
			break;
		case OPT_INITRD:
			if (o->req.nr_initrd >= LOAD_MAX_INITRDS) {
				kx_fail(E2BIG, "%s: more than %d --initrd", cmd,
					LOAD_MAX_INITRDS);
				goto usage;
			}
			o->req.initrd[o->req.nr_initrd++] = optarg;
			break;
		case OPT_APPEND:
			if (o->nr_append >= MAX_APPEND) {
				kx_fail(E2BIG, "%s: more than %d --append", cmd,
					MAX_APPEND);
				goto usage;
			}
			o->append[o->nr_append++] = optarg;
			break;
		case OPT_COMMAND_LINE:
			o->command_line = optarg;
			break;
		case OPT_REUSE:
			o->reuse = 1;
			break;
		case OPT_DTB:
			o->req.dtb = optarg;
			break;
		case OPT_MEMMAP:
		case OPT_ROOT:
			if (!is_plan) {
				kx_fail(EINVAL, "%s: %s is for `kexshim plan` only",
					cmd, c == OPT_MEMMAP ? "--memmap" : "--root");
				goto usage;
			}
			if (c == OPT_MEMMAP)
				o->req.memmap = optarg;
			else
				o->req.root = optarg;
			break;
		case OPT_UKI_PROFILE: {
			const char *num = optarg + (*optarg == '@');
			char *end;
			long v = strtol(num, &end, 10);

			if (!*num || *end || v < 0 || v > 1000) {
				kx_fail(EINVAL, "%s: --uki-profile=%s is not a "
					"profile number", cmd, optarg);
				goto usage;
			}
			o->req.uki_profile = (int)v;
			break;
		}
		case ':':
			kx_fail(EINVAL, "%s: %s needs a value", cmd,
				argv[optind - 1]);
			goto usage;
		default:
			kx_fail(EINVAL, "%s: unknown option '%s'", cmd,
				argv[optind - 1]);
			goto usage;
		}
	}
	/* kexec-tools style: the kernel as the one positional argument. */
	if (optind < argc) {
		if (o->req.kernel || optind + 1 < argc) {
			kx_fail(EINVAL, "%s: unexpected argument '%s'", cmd,
				argv[o->req.kernel ? optind : optind + 1]);
			goto usage;
		}
		o->req.kernel = argv[optind];
	}
	if (!o->req.kernel) {
		kx_fail(EINVAL, "%s: no kernel given (--kernel=FILE or FILE)", cmd);
		goto usage;
	}
	if (merge_cmdline(cmd, o)) {
		kx_report(-EINVAL);
		return CLI_FAILED;
	}
	return 0;
usage:
	fprintf(stderr, "kexshim: %s (see kexshim --help)\n", kx_last_error());
	kx_fail(0, "%s", "");
	return CLI_USAGE;
}

static int run(const char *cmd, int argc, char **argv, bool is_plan)
{
	struct load_opts o;
	struct load *l;
	int rc;

	rc = parse_opts(cmd, argc, argv, is_plan, &o);
	if (rc)
		return rc;
	if (!is_plan) {
		/* The way the running kernel allows (boot/secure/). */
		rc = secure_load(&o.req, &o.secure);
		if (!rc)
			con_peak_rss();
		free(o.cmdline);
		if (rc) {
			kx_report(rc);
			return CLI_FAILED;
		}
		return CLI_OK;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		free(o.cmdline);
		kx_fail(ENOMEM, "%s: out of memory", cmd);
		kx_report(-ENOMEM);
		return CLI_FAILED;
	}
	rc = load_prepare(l, &o.req);
	if (!rc) {
		rc = plan_print_json(stdout, l);
		if (!rc && fflush(stdout))
			rc = kx_fail(errno, "plan: stdout: %s", strerror(errno));
	}
	load_release(l);
	free(l);
	free(o.cmdline);
	if (rc) {
		kx_report(rc);
		return CLI_FAILED;
	}
	return CLI_OK;
}

int cli_load(int argc, char **argv)
{
	return run("load", argc, argv, false);
}

int cli_plan(int argc, char **argv)
{
	return run("plan", argc, argv, true);
}
