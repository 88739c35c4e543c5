/* kexshim: GRUB environment blocks (see grubenv.h).  Pure.  Runs while a
 * grub.cfg is read, on a file grub itself rewrites at every boot. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "config/grubenv.h"
#include "lib/error.h"
#include "lib/warn.h"

#define SIGNATURE "# GRUB Environment Block\n"

void grubenv_free(struct grubenv *env)
{
	size_t i;

	for (i = 0; i < env->n; i++) {
		free(env->name[i]);
		free(env->value[i]);
	}
	memset(env, 0, sizeof(*env));
}

/* Store name = the unescaped value [v, e).  Return: 0, 1 (no room), or
 * -ENOMEM. */
static int store(struct grubenv *env, const char *k, size_t klen,
		 const char *v, const char *e)
{
	char *val = malloc((size_t)(e - v) + 1), *o = val;
	size_t i;

	if (!val)
		return -ENOMEM;
	for (; v < e; v++) {
		if (*v == '\\' && v + 1 < e)
			v++;
		*o++ = *v;
	}
	*o = '\0';
	for (i = 0; i < env->n; i++)
		if (strlen(env->name[i]) == klen && !memcmp(env->name[i], k, klen))
			break;
	if (i == GRUBENV_MAX_VARS) {
		free(val);
		return 1;
	}
	if (i == env->n) {
		env->name[i] = strndup(k, klen);
		if (!env->name[i]) {
			free(val);
			return -ENOMEM;
		}
		env->n++;
	} else {
		free(env->value[i]);
	}
	env->value[i] = val;
	return 0;
}

int grubenv_parse(const char *name, const char *buf, size_t len,
		  struct grubenv *env, struct warnings *w)
{
	const char *p = buf, *end = buf + len;
	unsigned lineno = 1;

	memset(env, 0, sizeof(*env));
	if (len > GRUBENV_MAX_FILE)
		return kx_fail(EFBIG, "grubenv: %s: larger than %u bytes", name,
			       GRUBENV_MAX_FILE);
	if (len < sizeof(SIGNATURE) - 1 ||
	    memcmp(buf, SIGNATURE, sizeof(SIGNATURE) - 1))
		return kx_fail(EINVAL, "grubenv: %s: no \"# GRUB Environment "
			       "Block\" signature", name);
	p += sizeof(SIGNATURE) - 1;
	while (p < end) {
		const char *line = p, *eq, *v;
		unsigned at = ++lineno;
		int rc;

		/* The value ends at the first newline not escaped. */
		for (v = p; v < end && *v != '\n'; v++)
			if (*v == '\\' && v + 1 < end && *++v == '\n')
				lineno++;
		p = v < end ? v + 1 : end;
		if (line == v || *line == '#' || *line == '\0')
			continue; /* padding */
		eq = memchr(line, '=', (size_t)(v - line));
		if (!eq || eq == line || memchr(line, '\0', (size_t)(v - line))) {
			warn_add(w, "grubenv: %s:%u: not name=value; ignored",
				 name, at);
			continue;
		}
		rc = store(env, line, (size_t)(eq - line), eq + 1, v);
		if (rc < 0) {
			grubenv_free(env);
			return kx_fail(ENOMEM, "grubenv: %s: out of memory", name);
		}
		if (rc)
			warn_add(w, "grubenv: %s:%u: more than %d variables; "
				 "ignored", name, at, GRUBENV_MAX_VARS);
	}
	return 0;
}
