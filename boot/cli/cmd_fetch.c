/* kexshim: `kexshim fetch URL [-o FILE] [--sha256 HEX] [--ca FILE]
 * [--dns ADDR[:PORT]] [--retries N] [--timeout S] [-q]`: one file through
 * boot/net/'s clients (tftp, http, https, file) on a machine whose network
 * is already up, as PID 1 fetches an entry's files: retries, resume,
 * progress, the pinned digest checked.  Names resolve through --dns, else
 * /etc/resolv.conf's servers.  Without -o (or with -o -) the file goes to
 * stdout, never to a terminal.  A failed fetch leaves no -o file behind. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/error.h"
#include "net/dns.h"
#include "net/fetch.h"

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "kexshim: fetch: %s%s%s (see kexshim --help)\n", what,
		arg ? " " : "", arg ? arg : "");
	return CLI_USAGE;
}

static int number(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int cli_fetch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "sha256", required_argument, NULL, 's' },
		{ "ca", required_argument, NULL, 'c' },
		{ "dns", required_argument, NULL, 'd' },
		{ "retries", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *url;
	struct fetch_result res;
	struct fetch_opts o;
	bool dns_given = false;
	unsigned v;
	int c, fd, rc;

	fetch_opts_default(&o);
	dns_reset();
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":o:q", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 's':
			if (fetch_pin(&o, optarg))
				return usage_error("--sha256 wants 64 hex digits, "
						   "not", optarg);
			break;
		case 'c':
			o.ca_file = optarg;
			break;
		case 'd':
			if (dns_add_server_text(optarg)) {
				kx_report(-EINVAL);
				return CLI_USAGE;
			}
			dns_given = true;
			break;
		case 'r':
			if (number(optarg, 100, &v))
				return usage_error("--retries wants 0..100, not",
						   optarg);
			o.attempts = v + 1;
			break;
		case 't':
			if (number(optarg, 3600, &v) || !v)
				return usage_error("--timeout wants 1..3600 seconds, "
						   "not", optarg);
			o.idle_ms = o.connect_ms = v * 1000;
			break;
		case 'q':
			o.quiet = true;
			break;
		case ':':
			return usage_error("option needs a value:", argv[optind - 1]);
		default:
			return usage_error("unknown option", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return usage_error(optind == argc ? "no URL given" :
				   "unexpected argument", optind < argc ?
				   argv[optind + 1 < argc ? optind + 1 : optind] :
				   NULL);
	url = argv[optind];
	dns_set_hosts_file("/etc/hosts");
	if (!dns_given)
		dns_load_resolv_conf("/etc/resolv.conf");
	if (!out || !strcmp(out, "-")) {
		if (isatty(STDOUT_FILENO))
			return usage_error("refusing to write a file to a "
					   "terminal; use -o FILE", NULL);
		fd = STDOUT_FILENO;
		out = NULL;
	} else {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			fprintf(stderr, "kexshim: fetch: %s: %s\n", out,
				strerror(errno));
			return CLI_FAILED;
		}
	}
	rc = fetch_to_fd(url, &o, fd, &res);
	if (out) {
		if (close(fd) && !rc)
			rc = kx_fail(errno, "fetch: %s: %s", out, strerror(errno));
		if (rc)
			unlink(out);
	}
	if (rc) {
		kx_report(rc);
		return CLI_FAILED;
	}
	return CLI_OK;
}
