/* kexshim: loader/loader.conf, the Boot Loader Specification's menu
 * settings (see loaderconf.h).  Pure.  Runs in PID 1 and the CLI after an
 * ESP or XBOOTLDR partition is mounted. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "common/util.h"
#include "config/bls.h"
#include "config/kv.h"
#include "config/loaderconf.h"
#include "lib/error.h"
#include "lib/warn.h"

int loader_timeout_parse(const char *v, size_t n, struct loader_conf *c)
{
	static const struct {
		const char *word;
		enum loader_timeout_mode mode;
	} words[] = {
		{ "menu-force", LOADER_MENU_FORCE },
		{ "menu-hidden", LOADER_MENU_HIDDEN },
		{ "menu-disabled", LOADER_MENU_DISABLED },
	};
	unsigned long secs = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (key_eq(v, n, words[i].word)) {
			c->timeout_mode = words[i].mode;
			c->timeout = 0;
			c->timeout_set = true;
			return 0;
		}
	for (i = 0; i < n && v[i] >= '0' && v[i] <= '9' && secs < 100000; i++)
		secs = secs * 10 + (unsigned long)(v[i] - '0');
	if (!n || i != n || secs >= 100000)
		return -EINVAL;
	c->timeout_mode = LOADER_TIMEOUT_SECONDS;
	c->timeout = (unsigned)secs;
	c->timeout_set = true;
	return 0;
}

static int parse_yes_no(const char *v, size_t n, bool *out)
{
	static const char *const yes[] = { "yes", "y", "true", "t", "on", "1" };
	static const char *const no[] = { "no", "n", "false", "f", "off", "0" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (key_eq(v, n, yes[i])) {
			*out = true;
			return 0;
		}
		if (key_eq(v, n, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int loader_conf_parse(const char *name, const char *buf, size_t len,
		      struct loader_conf *c, struct warnings *w)
{
	struct kv_iter it = { .who = "loader.conf", .name = name, .p = buf,
			      .end = buf + len };
	const char *k, *v;
	size_t klen, vlen;
	int rc;

	memset(c, 0, sizeof(*c));
	c->editor = true;
	if (len > BLS_MAX_FILE)
		return kx_fail(EFBIG, "loader.conf: %s: larger than %u bytes",
			       name, BLS_MAX_FILE);
	while ((rc = kv_next(&it, &k, &klen, &v, &vlen)) > 0) {
		if (key_eq(k, klen, "timeout")) {
			if (loader_timeout_parse(v, vlen, c))
				warn_add(w, "loader.conf: %s:%u: timeout '%.*s' "
					 "is not seconds or menu-force/-hidden/"
					 "-disabled; ignored", name, it.lineno,
					 (int)vlen, v);
			continue;
		}
		if (key_eq(k, klen, "editor")) {
			if (parse_yes_no(v, vlen, &c->editor))
				warn_add(w, "loader.conf: %s:%u: editor '%.*s' is "
					 "not yes/no; ignored", name, it.lineno,
					 (int)vlen, v);
			continue;
		}
		if (key_eq(k, klen, "password-sha256")) {
			if (hex_decode(v, vlen, c->password_sha256,
				       LOADER_DIGEST_SIZE)) {
				warn_add(w, "loader.conf: %s:%u: password-sha256 "
					 "is not 64 hex digits; the editor is "
					 "off", name, it.lineno);
				c->editor = false;
				c->has_password = false;
			} else {
				c->has_password = true;
			}
			continue;
		}
		if (!key_eq(k, klen, "default"))
			continue;
		if (*v == '@') {
			warn_add(w, "loader.conf: %s:%u: default '%.*s' is kept "
				 "in EFI variables we do not read; ignored", name,
				 it.lineno, (int)vlen, v);
			continue;
		}
		if (set_str(&c->default_pattern, v, vlen)) {
			rc = kx_fail(ENOMEM, "loader.conf: %s: out of memory", name);
			break;
		}
	}
	if (rc < 0)
		loader_conf_free(c);
	return rc;
}

void loader_conf_free(struct loader_conf *c)
{
	free(c->default_pattern);
	c->default_pattern = NULL;
}
