/* kexshim: "key value" configuration lines (see kv.h).  Pure.  Runs in
 * PID 1 and in the CLI on files from any partition. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "config/kv.h"
#include "lib/error.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int kv_next(struct kv_iter *it, const char **key, size_t *klen,
		   const char **val, size_t *vlen)
{
	while (it->p < it->end) {
		const char *line = it->p, *nl, *e, *k;
		size_t n;

		nl = memchr(line, '\n', (size_t)(it->end - line));
		e = nl ? nl : it->end;
		it->p = nl ? nl + 1 : it->end;
		it->lineno++;
		n = (size_t)(e - line);
		if (n > KV_MAX_LINE)
			return kx_fail(EINVAL, "%s: %s:%u: line longer than %u bytes",
				       it->who, it->name, it->lineno, KV_MAX_LINE);
		if (memchr(line, '\0', n))
			return kx_fail(EINVAL, "%s: %s:%u: NUL byte", it->who,
				       it->name, it->lineno);
		if (!utf8_valid((const uint8_t *)line, n))
			return kx_fail(EINVAL, "%s: %s:%u: invalid UTF-8",
				       it->who, it->name, it->lineno);
		/* CRLF files, trailing blanks, leading blanks. */
		while (e > line && (e[-1] == '\r' || is_blank(e[-1])))
			e--;
		while (line < e && is_blank(*line))
			line++;
		if (line == e || *line == '#')
			continue;
		k = line;
		while (line < e && !is_blank(*line))
			line++;
		*key = k;
		*klen = (size_t)(line - k);
		while (line < e && is_blank(*line))
			line++;
		if (line == e)
			return kx_fail(EINVAL, "%s: %s:%u: '%.*s' has no value",
				       it->who, it->name, it->lineno, (int)*klen, k);
		*val = line;
		*vlen = (size_t)(e - line);
		return 1;
	}
	return 0;
}

bool key_eq(const char *k, size_t klen, const char *name)
{
	return strlen(name) == klen && !memcmp(k, name, klen);
}

int set_str(char **dst, const char *v, size_t n)
{
	char *s = strndup(v, n);

	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

