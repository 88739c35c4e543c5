/* kexshim: HTTP/1.1 response heads and the chunked coding (see
 * http_resp.h).  Pure.  Grammar: RFC 9112 sections 4 (status line), 5
 * (fields), 7.1 (chunked); RFC 9110 for what the fields mean. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/hex.h"
#include "lib/warn.h"
#include "net/http_resp.h"

size_t http_head_end(const char *buf, size_t len)
{
	size_t i;

	/* RFC 9112 2.2: a recipient MAY take a bare LF as a line end. */
	for (i = 0; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Digits only, no overflow.  Return: true with *v. */
static bool dec(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || x > (UINT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return true;
}

static bool name_is(const char *n, size_t nl, const char *want)
{
	return strlen(want) == nl && !strncasecmp(n, want, nl);
}

/* Does a comma list (RFC 9110 5.6.1) hold token? */
static bool list_has(const char *v, size_t n, const char *token)
{
	size_t i = 0, tl = strlen(token);

	while (i < n) {
		size_t s, e;

		while (i < n && (is_ows(v[i]) || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && is_ows(v[e - 1]))
			e--;
		if (e - s == tl && !strncasecmp(v + s, token, tl))
			return true;
	}
	return false;
}

/* Content-Length: one number, or a list of the same number (RFC 9110
 * 8.6 lets a recipient take "42, 42" as 42). */
static int content_length(const char *v, size_t n, struct http_resp *r)
{
	size_t i = 0;

	while (i < n) {
		size_t s = i, e;
		uint64_t x;

		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (s < e && is_ows(v[s]))
			s++;
		while (e > s && is_ows(v[e - 1]))
			e--;
		if (!dec(v + s, e - s, &x))
			return -EBADMSG;
		if (r->has_length && r->length != x)
			return -EBADMSG;
		r->has_length = true;
		r->length = x;
		i++;
	}
	return 0;
}

/* Transfer-Encoding: chunked must be the last coding; we apply no other. */
static int transfer_encoding(const char *v, size_t n, struct http_resp *r)
{
	size_t i = 0;

	while (i < n) {
		size_t s, e;

		while (i < n && (is_ows(v[i]) || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',' && v[i] != ';')
			i++;
		e = i;
		while (e > s && is_ows(v[e - 1]))
			e--;
		while (i < n && v[i] != ',')
			i++;  /* parameters */
		if (e == s)
			continue;
		if (r->chunked)
			return -EBADMSG; /* a coding after chunked */
		if (e - s == 7 && !strncasecmp(v + s, "chunked", 7))
			r->chunked = true;
		else if (!(e - s == 8 && !strncasecmp(v + s, "identity", 8)))
			return -ENOTSUP;
	}
	return 0;
}

/* Content-Range: bytes first-last/total (RFC 9110 14.4); total "*" is
 * unknown; "bytes *\/total" (a 416's) is no range. */
static int content_range(const char *v, size_t n, struct http_resp *r)
{
	const char *p = v, *end = v + n, *dash, *slash;
	uint64_t a, b, t = HTTP_RANGE_UNKNOWN;

	if (n < 6 || strncasecmp(p, "bytes", 5) || p[5] != ' ')
		return -EBADMSG;
	p += 6;
	slash = memchr(p, '/', (size_t)(end - p));
	if (!slash)
		return -EBADMSG;
	if (!(end - slash == 2 && slash[1] == '*') &&
	    !dec(slash + 1, (size_t)(end - slash - 1), &t))
		return -EBADMSG;
	if (slash - p == 1 && *p == '*')
		return 0;
	dash = memchr(p, '-', (size_t)(slash - p));
	if (!dash || !dec(p, (size_t)(dash - p), &a) ||
	    !dec(dash + 1, (size_t)(slash - dash - 1), &b) || a > b ||
	    (t != HTTP_RANGE_UNKNOWN && b >= t))
		return -EBADMSG;
	r->has_range = true;
	r->range_first = a;
	r->range_last = b;
	r->range_total = t;
	return 0;
}

static void copy(char *dst, size_t size, const char *v, size_t n,
		 const char *what, struct warnings *w)
{
	size_t i;

	if (n >= size) {
		warn_add(w, "http: %s longer than %zu bytes; ignored", what,
			 size - 1);
		return;
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			warn_add(w, "http: %s has control characters; ignored",
				 what);
			return;
		}
	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* One "name: value" line (no line end).  Return: 0 or -errno. */
static int field(const char *l, size_t n, struct http_resp *r,
		 struct warnings *w)
{
	const char *colon = memchr(l, ':', n), *v;
	size_t nl, vl, i;
	uint64_t x;

	if (!colon || colon == l)
		return -EBADMSG;
	nl = (size_t)(colon - l);
	for (i = 0; i < nl; i++)
		if (!is_tchar(l[i]))
			return -EBADMSG; /* RFC 9112 5.1: no space before ':' */
	v = colon + 1;
	vl = n - nl - 1;
	while (vl && is_ows(*v)) {
		v++;
		vl--;
	}
	while (vl && is_ows(v[vl - 1]))
		vl--;
	if (name_is(l, nl, "content-length"))
		return content_length(v, vl, r);
	if (name_is(l, nl, "transfer-encoding"))
		return transfer_encoding(v, vl, r);
	if (name_is(l, nl, "content-range"))
		return content_range(v, vl, r);
	if (name_is(l, nl, "connection")) {
		r->close = r->close || list_has(v, vl, "close");
	} else if (name_is(l, nl, "accept-ranges")) {
		r->accept_ranges = list_has(v, vl, "bytes");
	} else if (name_is(l, nl, "location")) {
		copy(r->location, sizeof(r->location), v, vl, "Location", w);
	} else if (name_is(l, nl, "etag")) {
		r->etag_weak = vl >= 2 && !strncmp(v, "W/", 2);
		copy(r->etag, sizeof(r->etag), v, vl, "ETag", w);
	} else if (name_is(l, nl, "last-modified")) {
		copy(r->last_modified, sizeof(r->last_modified), v, vl,
		     "Last-Modified", w);
	} else if (name_is(l, nl, "retry-after")) {
		/* The HTTP-date form needs a clock we may not trust. */
		if (dec(v, vl, &x))
			r->retry_after = x > 3600 ? 3600 : (unsigned)x;
	}
	return 0;
}

int http_resp_parse(const char *buf, size_t len, struct http_resp *r,
		    struct warnings *w)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t n;
	int rc;

	memset(r, 0, sizeof(*r));
	nl = memchr(p, '\n', len);
	if (!nl)
		return -EBADMSG;
	n = (size_t)(nl - p);
	if (n && p[n - 1] == '\r')
		n--;
	/* status-line = HTTP-version SP status-code SP [ reason-phrase ] */
	if (n < 12 || strncmp(p, "HTTP/1.", 7) || p[7] < '0' || p[7] > '9' ||
	    p[8] != ' ' || p[9] < '1' || p[9] > '5' || p[10] < '0' ||
	    p[10] > '9' || p[11] < '0' || p[11] > '9' || (n > 12 && p[12] != ' '))
		return -EBADMSG;
	r->minor = (unsigned)(p[7] - '0');
	r->status = (unsigned)((p[9] - '0') * 100 + (p[10] - '0') * 10 +
			       (p[11] - '0'));
	if (n > 13) {
		size_t rl = n - 13, i;

		if (rl >= sizeof(r->reason))
			rl = sizeof(r->reason) - 1;
		for (i = 0; i < rl; i++)
			r->reason[i] = (unsigned char)p[13 + i] < 0x20 ? '?' :
				       p[13 + i];
		r->reason[rl] = '\0';
	}
	/* HTTP/1.0 closes unless told otherwise; we always ask for close. */
	r->close = r->minor == 0;
	p = nl + 1;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (!n)
			break; /* the empty line */
		/* RFC 9112 5.2: obs-fold is obsolete; refuse it. */
		if (is_ows(*p))
			return -EBADMSG;
		rc = field(p, n, r, w);
		if (rc)
			return rc;
		p = nl ? nl + 1 : end;
	}
	/* RFC 9112 6.3: with Transfer-Encoding, Content-Length is ignored. */
	if (r->chunked)
		r->has_length = false;
	return 0;
}

enum {
	CH_SIZE, CH_EXT, CH_SIZE_LF, CH_DATA, CH_DATA_CR, CH_DATA_LF,
	CH_TRAILER, CH_TRAILER_LINE, CH_END_LF, CH_DONE,
};

int chunked_feed(struct chunked *c, uint8_t *buf, size_t n, size_t *body)
{
	size_t i = 0, o = 0;

	while (i < n && c->state != CH_DONE) {
		uint8_t ch = buf[i];

		switch (c->state) {
		case CH_SIZE: {
			int d = hex_digit((char)ch);

			if (d >= 0) {
				if (++c->digits > 15)
					return -EBADMSG;
				c->left = c->left << 4 | (unsigned)d;
			} else if (!c->digits) {
				return -EBADMSG;
			} else if (ch == ';' || ch == ' ' || ch == '\t') {
				c->state = CH_EXT; /* chunk-ext, ignored */
			} else if (ch == '\r') {
				c->state = CH_SIZE_LF;
			} else if (ch == '\n') {
				c->state = c->left ? CH_DATA : CH_TRAILER;
			} else {
				return -EBADMSG;
			}
			i++;
			break;
		}
		case CH_EXT:
			if (ch == '\n')
				c->state = c->left ? CH_DATA : CH_TRAILER;
			else if (ch < 0x20 && ch != '\t' && ch != '\r')
				return -EBADMSG;
			i++;
			break;
		case CH_SIZE_LF:
			if (ch != '\n')
				return -EBADMSG;
			c->state = c->left ? CH_DATA : CH_TRAILER;
			i++;
			break;
		case CH_DATA: {
			size_t take = n - i < c->left ? n - i : (size_t)c->left;

			memmove(buf + o, buf + i, take);
			o += take;
			i += take;
			c->left -= take;
			if (!c->left)
				c->state = CH_DATA_CR;
			break;
		}
		case CH_DATA_CR:
			if (ch == '\r')
				c->state = CH_DATA_LF;
			else if (ch == '\n')
				c->state = CH_SIZE;
			else
				return -EBADMSG;
			c->digits = 0;
			i++;
			break;
		case CH_DATA_LF:
			if (ch != '\n')
				return -EBADMSG;
			c->state = CH_SIZE;
			i++;
			break;
		case CH_TRAILER:
			/* After the last chunk: the empty line, or fields. */
			if (ch == '\r')
				c->state = CH_END_LF;
			else if (ch == '\n')
				c->state = CH_DONE;
			else
				c->state = CH_TRAILER_LINE;
			i++;
			break;
		case CH_TRAILER_LINE:
			if (ch == '\n')
				c->state = CH_TRAILER;
			i++;
			break;
		case CH_END_LF:
			if (ch != '\n')
				return -EBADMSG;
			c->state = CH_DONE;
			i++;
			break;
		}
	}
	c->done = c->state == CH_DONE;
	*body = o;
	return 0;
}
