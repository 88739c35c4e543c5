/* kexshim: os-release(5) (see osrel.h).  Pure.  Runs while entries are
 * listed, on sections and files nobody here wrote. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "config/osrel.h"
#include "lib/error.h"
#include "lib/warn.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Unquote the value [v, e) into out (at least e - v + 1 bytes).
 * Return: NULL with out set, or why the value is malformed. */
static const char *unquote(const char *v, const char *e, char *out)
{
	char *o = out;

	if (v < e && (*v == '"' || *v == '\'')) {
		char q = *v++;

		for (; v < e && *v != q; v++) {
			/* os-release(5): "Shell special characters ("$",
			 * quotes, backslash, backtick) must be escaped with
			 * backslashes"; only inside double quotes. */
			if (q == '"' && *v == '\\' && v + 1 < e &&
			    strchr("$\"\\`", v[1]))
				v++;
			*o++ = *v;
		}
		if (v == e)
			return "unterminated quote";
		v++;
		while (v < e && is_blank(*v))
			v++;
		if (v < e)
			return "text after the closing quote";
	} else {
		for (; v < e && !is_blank(*v); v++) {
			if (*v == '"' || *v == '\'')
				return "quote inside an unquoted value";
			if (*v == '\\' && v + 1 < e)
				v++;
			*o++ = *v;
		}
		while (v < e && is_blank(*v))
			v++;
		if (v < e)
			return "blank in an unquoted value";
	}
	*o = '\0';
	for (o = out; *o; o++)
		if ((unsigned char)*o < 0x20 || *o == 0x7f)
			return "control character in the value";
	return NULL;
}

void osrel_free(char **values, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(values[i]);
		values[i] = NULL;
	}
}

int osrel_parse(const char *who, const char *name, const char *buf,
		size_t len, const char *const *keys, char **values, size_t n,
		struct warnings *w)
{
	const char *p = buf, *end = buf + len;
	unsigned lineno = 0;
	size_t i;

	for (i = 0; i < n; i++)
		values[i] = NULL;
	if (len > OSREL_MAX_FILE)
		return kx_fail(EFBIG, "%s: %s: larger than %u bytes", who, name,
			       OSREL_MAX_FILE);
	while (p < end) {
		const char *line = p, *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *k, *why = NULL;
		size_t klen;
		char *val;

		p = nl ? nl + 1 : end;
		lineno++;
		if (memchr(line, '\0', (size_t)(e - line)))
			why = "NUL byte";
		else if (!utf8_valid((const uint8_t *)line, (size_t)(e - line)))
			why = "invalid UTF-8";
		if (why) {
			warn_add(w, "%s: %s:%u: %s; line ignored", who, name,
				 lineno, why);
			continue;
		}
		while (e > line && (e[-1] == '\r' || is_blank(e[-1])))
			e--;
		while (line < e && is_blank(*line))
			line++;
		if (line == e || *line == '#')
			continue;
		for (k = line; line < e && is_key_char(*line); line++)
			;
		klen = (size_t)(line - k);
		if (!klen || line == e || *line != '=') {
			warn_add(w, "%s: %s:%u: not KEY=value; line ignored", who,
				 name, lineno);
			continue;
		}
		line++;
		for (i = 0; i < n; i++)
			if (strlen(keys[i]) == klen && !memcmp(keys[i], k, klen))
				break;
		if (i == n)
			continue; /* a key nobody asked for */
		val = malloc((size_t)(e - line) + 1);
		if (!val) {
			osrel_free(values, n);
			return kx_fail(ENOMEM, "%s: %s: out of memory", who, name);
		}
		why = unquote(line, e, val);
		if (why) {
			warn_add(w, "%s: %s:%u: %.*s: %s; ignored", who, name,
				 lineno, (int)klen, k, why);
			free(val);
			continue;
		}
		free(values[i]);
		values[i] = *val ? val : NULL;
		if (!*val)
			free(val);
	}
	return 0;
}
