/* kexshim: CEL-JSON records (see cel.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "lib/error.h"
#include "secure/cel.h"

struct text {
	char *p;
	size_t len, cap;
	int err;
};

static void add(struct text *t, const char *s, size_t n)
{
	char *np;
	size_t cap;

	if (t->err)
		return;
	if (n >= t->cap - t->len) {
		cap = t->cap ? t->cap : 1024;
		while (n >= cap - t->len)
			cap *= 2;
		np = realloc(t->p, cap);
		if (!np) {
			t->err = -ENOMEM;
			return;
		}
		t->p = np;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void addf(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void addf(struct text *t, const char *fmt, ...)
{
	char b[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	add(t, b, n < 0 ? 0 : (size_t)n < sizeof(b) ? (size_t)n : sizeof(b) - 1);
}

/* A JSON string (RFC 8259 7): quotes, backslash and controls escaped;
 * well-formed UTF-8 as it is, any other byte as the code point of its
 * value (Latin-1), so the record stays valid JSON. */
static void add_string(struct text *t, const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t left = strlen(s), n;
	uint32_t cp;

	add(t, "\"", 1);
	while (left) {
		if (*p == '"' || *p == '\\') {
			add(t, "\\", 1);
			add(t, (const char *)p, 1);
			n = 1;
		} else if (*p < 0x20 || *p == 0x7f) {
			addf(t, "\\u%04x", *p);
			n = 1;
		} else if (*p < 0x80) {
			add(t, (const char *)p, 1);
			n = 1;
		} else if ((n = utf8_decode(p, left, &cp))) {
			add(t, (const char *)p, n);
		} else {
			addf(t, "\\u%04x", *p);
			n = 1;
		}
		p += n;
		left -= n;
	}
	add(t, "\"", 1);
}

int cel_append(struct cel *c, unsigned pcr, const struct tpm2_digest *d,
	       size_t n, const char *event_type, const char *string)
{
	static const char hex[] = "0123456789abcdef";
	struct text t = { 0 };
	char h[2 * TPM2_MAX_DIGEST + 1];
	size_t i, j, size;
	char *np;

	/* RS, then the object, then LF (RFC 7464 2.2). */
	addf(&t, "\x1e{\"recnum\":%u,\"pcr\":%u,\"digests\":[", c->recnum, pcr);
	for (i = 0; i < n; i++) {
		size = tpm2_alg_size(d[i].alg);
		for (j = 0; j < size; j++) {
			h[2 * j] = hex[d[i].d[j] >> 4];
			h[2 * j + 1] = hex[d[i].d[j] & 15];
		}
		h[2 * size] = '\0';
		addf(&t, "%s{\"hashAlg\":\"%s\",\"digest\":\"", i ? "," : "",
		     tpm2_alg_name(d[i].alg));
		add(&t, h, 2 * size);
		add(&t, "\"}", 2);
	}
	add(&t, "],\"content_type\":\"kexshim\",\"content\":{\"eventType\":", 50);
	add_string(&t, event_type);
	add(&t, ",\"string\":", 10);
	add_string(&t, string);
	add(&t, "}}\n", 3);
	if (t.err) {
		free(t.p);
		return kx_fail(ENOMEM, "tpm: event log: out of memory");
	}
	if (t.len > CEL_LOG_MAX - c->len) {
		free(t.p);
		return kx_fail(E2BIG, "tpm: event log: more than %u bytes",
			       CEL_LOG_MAX);
	}
	if (t.len >= c->cap - c->len) {
		size = c->cap ? c->cap : 4096;
		while (t.len >= size - c->len)
			size *= 2;
		np = realloc(c->buf, size);
		if (!np) {
			free(t.p);
			return kx_fail(ENOMEM, "tpm: event log: out of memory");
		}
		c->buf = np;
		c->cap = size;
	}
	memcpy(c->buf + c->len, t.p, t.len + 1);
	c->len += t.len;
	c->recnum++;
	free(t.p);
	return 0;
}

void cel_free(struct cel *c)
{
	free(c->buf);
	memset(c, 0, sizeof(*c));
}
