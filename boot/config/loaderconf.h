/* kexshim: loader/loader.conf (Boot Loader Specification).  Pure: a file's
 * bytes in, a struct out.  Runs in PID 1 and the CLI. */
#ifndef KEXSHIM_CONFIG_LOADERCONF_H
#define KEXSHIM_CONFIG_LOADERCONF_H

#include <stddef.h>

struct warnings;

#include <stdbool.h>
#include <stdint.h>

#define LOADER_DIGEST_SIZE 32 /* SHA-256, as menu_config's */

enum loader_timeout_mode {
	LOADER_TIMEOUT_SECONDS,  /* `timeout N` (or unset: 0) */
	LOADER_MENU_FORCE,       /* `timeout menu-force`: no countdown */
	LOADER_MENU_HIDDEN,      /* `timeout menu-hidden`: 0, key shows it */
	LOADER_MENU_DISABLED,    /* `timeout menu-disabled`: no menu */
};

struct loader_conf {
	char *default_pattern; /* `default`: entry ID or glob; NULL when unset */
	unsigned timeout;      /* seconds (LOADER_TIMEOUT_SECONDS) */
	enum loader_timeout_mode timeout_mode;
	bool timeout_set;      /* a `timeout` line was there */
	bool editor;           /* `editor` (default yes) */
	bool has_password;     /* `password-sha256 HEX` (kexshim's own) */
	uint8_t password_sha256[LOADER_DIGEST_SIZE];
};

/* Parse loader/loader.conf (same syntax).  `default`: values starting
 * with '@' (systemd-boot's @saved and friends, which live in EFI
 * variables) are ignored with a warning in w; `timeout` seconds or
 * menu-force/menu-hidden/menu-disabled as systemd-boot reads them;
 * `editor` yes/no; `password-sha256` the hex SHA-256 of the editor's
 * password (a malformed one turns the editor off: it fails closed, with a
 * warning).  Other keys are ignored.
 * Return: 0 or -errno (kx_fail "loader.conf: FILE:LINE: reason"). */
int loader_conf_parse(const char *name, const char *buf, size_t len,
		      struct loader_conf *c, struct warnings *w);

void loader_conf_free(struct loader_conf *c);

/* A timeout value as loader.conf, LoaderConfigTimeout and
 * LoaderConfigTimeoutOneShot spell it: seconds (< 100000) or
 * menu-force/menu-hidden/menu-disabled.  Sets c's timeout, timeout_mode
 * and timeout_set.  Return: 0, or -EINVAL (c unchanged). */
int loader_timeout_parse(const char *v, size_t n, struct loader_conf *c);

#endif
