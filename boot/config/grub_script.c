/* kexshim: GRUB script tokens, variables and expansion (see
 * grub_script.h).  Pure.  Runs while a grub.cfg is read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/grub_script.h"
#include "lib/error.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int push(struct gtokens *t, enum gtok type, const char *s, size_t n,
		unsigned line)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct gtoken *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = (struct gtoken){ type, s, n, line };
	return 0;
}

void grub_tokens_free(struct gtokens *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Skip a quoted string starting at *pp (at the quote); count newlines.
 * Return: false when it never closes. */
static bool skip_quoted(const char **pp, const char *end, unsigned *line)
{
	const char *p = *pp;
	char q = *p++;

	for (; p < end && *p != q; p++) {
		if (q == '"' && *p == '\\' && p + 1 < end)
			p++;
		if (*p == '\n')
			(*line)++;
	}
	if (p == end)
		return false;
	*pp = p + 1;
	return true;
}

int grub_lex(const char *name, const char *buf, size_t len,
	     struct gtokens *out)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 1;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (p < end && !rc) {
		const char *start = p;
		unsigned at = line;

		if (is_blank(*p)) {
			p++;
		} else if (*p == '\n' || *p == ';') {
			rc = push(out, GT_SEP, p, 1, line);
			line += *p++ == '\n';
		} else if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
		} else if (*p == '{' || *p == '}') {
			rc = push(out, *p == '{' ? GT_LBRACE : GT_RBRACE, p, 1, line);
			p++;
		} else {
			while (p < end && !is_blank(*p) && !strchr("\n;{}", *p)) {
				if (*p == '\\') {
					if (p + 1 < end && p[1] == '\n')
						line++;
					p += p + 1 < end ? 2 : 1;
				} else if (*p == '\'' || *p == '"') {
					if (!skip_quoted(&p, end, &line)) {
						grub_tokens_free(out);
						return kx_fail(EINVAL, "grub: %s:%u: "
							       "unterminated quote",
							       name, at);
					}
				} else if (*p == '$' && p + 1 < end && p[1] == '{') {
					const char *c = memchr(p, '}', (size_t)(end - p));

					if (!c || memchr(p, '\n', (size_t)(c - p))) {
						grub_tokens_free(out);
						return kx_fail(EINVAL, "grub: %s:%u: "
							       "unterminated ${",
							       name, at);
					}
					p = c + 1;
				} else {
					p++;
				}
			}
			rc = push(out, GT_WORD, start, (size_t)(p - start), at);
		}
	}
	if (!rc)
		rc = push(out, GT_EOF, end, 0, line);
	if (rc) {
		grub_tokens_free(out);
		return kx_fail(ENOMEM, "grub: %s: out of memory", name);
	}
	return 0;
}

bool gtok_is(const struct gtoken *t, const char *kw)
{
	return t->type == GT_WORD && strlen(kw) == t->n &&
	       !memcmp(t->s, kw, t->n);
}

bool gvar_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || (*s >= '0' && *s <= '9'))
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static int find(const struct gvars *vs, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		if (strlen(vs->name[i]) == n && !memcmp(vs->name[i], name, n))
			return (int)i;
	return -1;
}

const char *gvar_get(const struct gvars *vs, const char *name, size_t n)
{
	int i = find(vs, name, n);

	return i < 0 ? NULL : vs->value[i];
}

int gvar_set(struct gvars *vs, const char *name, size_t nlen, const char *v,
	     size_t vlen)
{
	int i = find(vs, name, nlen);
	char *val;

	if (vlen > GRUB_MAX_VALUE)
		vlen = GRUB_MAX_VALUE;
	if (i < 0 && vs->n == GRUB_MAX_VARS)
		return -ENOSPC;
	val = strndup(v, vlen);
	if (!val)
		return -ENOMEM;
	if (i < 0) {
		vs->name[vs->n] = strndup(name, nlen);
		if (!vs->name[vs->n]) {
			free(val);
			return -ENOMEM;
		}
		i = (int)vs->n++;
	} else {
		free(vs->value[i]);
	}
	vs->value[i] = val;
	return 0;
}

void gvar_unset(struct gvars *vs, const char *name, size_t nlen)
{
	int i = find(vs, name, nlen);

	if (i < 0)
		return;
	free(vs->name[i]);
	free(vs->value[i]);
	vs->n--;
	vs->name[i] = vs->name[vs->n];
	vs->value[i] = vs->value[vs->n];
}

void gvars_free(struct gvars *vs)
{
	size_t i;

	for (i = 0; i < vs->n; i++) {
		free(vs->name[i]);
		free(vs->value[i]);
	}
	vs->n = 0;
}

int gvars_copy(struct gvars *dst, const struct gvars *src)
{
	size_t i;

	gvars_free(dst);
	for (i = 0; i < src->n; i++) {
		dst->name[i] = strdup(src->name[i]);
		dst->value[i] = strdup(src->value[i]);
		dst->n = i + 1;
		if (!dst->name[i] || !dst->value[i]) {
			gvars_free(dst);
			return -ENOMEM;
		}
	}
	return 0;
}

void gwords_free(struct gwords *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

/* The field being built. */
struct field {
	char buf[GRUB_MAX_VALUE + 1];
	size_t n;
	bool have;     /* a field exists even if empty ("" was written) */
};

static void put(struct field *f, char c, bool *cut)
{
	if (f->n < GRUB_MAX_VALUE)
		f->buf[f->n++] = c;
	else
		*cut = true;
	f->have = true;
}

static int end_field(struct field *f, struct gwords *out, bool *cut)
{
	if (!f->have)
		return 0;
	f->have = false;
	if (out->n == GRUB_MAX_FIELDS) {
		*cut = true;
		f->n = 0;
		return 0;
	}
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 8;
		char **v = realloc(out->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		out->v = v;
		out->cap = cap;
	}
	out->v[out->n] = strndup(f->buf, f->n);
	f->n = 0;
	if (!out->v[out->n])
		return -ENOMEM;
	out->n++;
	return 0;
}

/* The value of the variable reference at p ('$' already skipped), into
 * *val (static or owned by vs/args; "$@" joined into tmp).
 * Return: the bytes the reference took, 0 when it is not one. */
static size_t lookup(const char *p, const char *e, const struct gvars *vs,
		     const struct gargs *args, const char **val, char *tmp,
		     size_t tmp_size)
{
	const char *name = p, *ne;
	size_t used;

	if (p < e && *p == '{') {
		ne = memchr(p, '}', (size_t)(e - p));
		if (!ne)
			return 0;
		name = p + 1;
		used = (size_t)(ne - p) + 1;
	} else if (p < e && strchr("#?@*", *p)) {
		ne = p + 1;
		used = 1;
	} else {
		for (ne = p; ne < e && (gvar_name_ok(ne, 1) ||
					(*ne >= '0' && *ne <= '9')); ne++)
			;
		used = (size_t)(ne - p);
		if (!used)
			return 0;
	}
	*val = "";
	if (ne - name == 1 && *name == '#') {
		snprintf(tmp, tmp_size, "%zu", args ? args->n : 0);
		*val = tmp;
	} else if (ne - name == 1 && (*name == '@' || *name == '*')) {
		size_t i, n = 0;

		tmp[0] = '\0';
		for (i = 0; args && i < args->n; i++)
			n += (size_t)snprintf(tmp + (n < tmp_size ? n : tmp_size - 1),
					      n < tmp_size ? tmp_size - n : 1,
					      "%s%s", i ? " " : "", args->v[i]);
		*val = tmp;
	} else if (ne > name && *name >= '0' && *name <= '9') {
		size_t k = 0;

		for (; name < ne && *name >= '0' && *name <= '9' && k < 1000; name++)
			k = k * 10 + (size_t)(*name - '0');
		if (name == ne && k >= 1 && args && k <= args->n)
			*val = args->v[k - 1];
	} else {
		const char *v = gvar_get(vs, name, (size_t)(ne - name));

		if (v)
			*val = v;
	}
	return used;
}

int grub_expand(const struct gtoken *t, const struct gvars *vs,
		const struct gargs *args, struct gwords *out, bool *cut)
{
	static struct field f; /* GRUB_MAX_VALUE: not on the stack */
	static char tmp[GRUB_MAX_VALUE + 1];
	const char *p = t->s, *e = t->s + t->n;
	int rc = 0;

	f.n = 0;
	f.have = false;
	while (p < e && !rc) {
		const char *val;
		size_t used;

		if (*p == '\\') {
			if (p + 1 < e && p[1] != '\n')
				put(&f, p[1], cut);
			p += p + 1 < e ? 2 : 1;
		} else if (*p == '\'') {
			for (p++; p < e && *p != '\''; p++)
				put(&f, *p, cut);
			f.have = true;
			p++;
		} else if (*p == '"') {
			for (p++; p < e && *p != '"';) {
				if (*p == '\\' && p + 1 < e && strchr("$\"\\\n", p[1])) {
					if (p[1] != '\n')
						put(&f, p[1], cut);
					p += 2;
				} else if (*p == '$' &&
					   (used = lookup(p + 1, e, vs, args, &val,
							  tmp, sizeof(tmp)))) {
					for (; *val; val++)
						put(&f, *val, cut);
					p += 1 + used;
				} else {
					put(&f, *p++, cut);
				}
			}
			f.have = true;
			p++;
		} else if (*p == '$' &&
			   (used = lookup(p + 1, e, vs, args, &val, tmp,
					  sizeof(tmp)))) {
			/* Unquoted: blanks in the value separate fields. */
			for (; *val && !rc; val++) {
				if (is_blank(*val) || *val == '\n')
					rc = end_field(&f, out, cut);
				else
					put(&f, *val, cut);
			}
			p += 1 + used;
		} else {
			put(&f, *p++, cut);
		}
	}
	if (!rc)
		rc = end_field(&f, out, cut);
	return rc;
}
