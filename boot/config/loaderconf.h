/* kexshim: loader/loader.conf (Boot Loader Specification).  Pure: a file's
 * bytes in, a struct out.  Runs in PID 1 and the CLI. */
#ifndef KEXSHIM_CONFIG_LOADERCONF_H
#define KEXSHIM_CONFIG_LOADERCONF_H

#include <stddef.h>

struct warnings;

struct loader_conf {
	char *default_pattern; /* `default`: entry ID or glob; NULL when unset */
};

/* Parse loader/loader.conf (same syntax).  `default` is kept; values
 * starting with '@' (systemd-boot's @saved and friends, which live in EFI
 * variables we do not read) are ignored with a warning in w; `timeout` and other
 * keys are ignored: we boot at once.
 * Return: 0 or -errno (kx_fail "loader.conf: FILE:LINE: reason"). */
int loader_conf_parse(const char *name, const char *buf, size_t len,
		      struct loader_conf *c, struct warnings *w);

void loader_conf_free(struct loader_conf *c);

#endif
