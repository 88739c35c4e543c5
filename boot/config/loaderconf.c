/* kexshim: loader/loader.conf, the Boot Loader Specification's menu
 * settings (see loaderconf.h).  Pure.  Runs in PID 1 and the CLI after an
 * ESP or XBOOTLDR partition is mounted. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/bls.h"
#include "config/kv.h"
#include "config/loaderconf.h"
#include "lib/error.h"
#include "lib/warn.h"

int loader_conf_parse(const char *name, const char *buf, size_t len,
		      struct loader_conf *c, struct warnings *w)
{
	struct kv_iter it = { .who = "loader.conf", .name = name, .p = buf,
			      .end = buf + len };
	const char *k, *v;
	size_t klen, vlen;
	int rc;

	memset(c, 0, sizeof(*c));
	if (len > BLS_MAX_FILE)
		return kx_fail(EFBIG, "loader.conf: %s: larger than %u bytes",
			       name, BLS_MAX_FILE);
	while ((rc = kv_next(&it, &k, &klen, &v, &vlen)) > 0) {
		if (!key_eq(k, klen, "default"))
			continue; /* timeout: we boot at once, there is no menu */
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
