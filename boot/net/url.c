/* kexshim: URLs and reference resolution (see url.h).  Pure.  The
 * splitting follows RFC 3986 appendix B, resolution its section 5.2. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/hex.h"
#include "lib/error.h"
#include "net/url.h"

/* A URI reference cut into its five components (RFC 3986 appendix B:
 * ^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?). */
struct parts {
	const char *scheme, *auth, *path, *query;
	size_t scheme_len, auth_len, path_len, query_len;
	bool has_scheme, has_auth, has_query;
};

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void split(const char *s, struct parts *p)
{
	size_t n;

	memset(p, 0, sizeof(*p));
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	n = strcspn(s, ":/?#");
	if (n && s[n] == ':' && is_alpha(s[0])) {
		size_t i;

		for (i = 1; i < n; i++)
			if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '+' &&
			    s[i] != '-' && s[i] != '.')
				break;
		if (i == n) {
			p->has_scheme = true;
			p->scheme = s;
			p->scheme_len = n;
			s += n + 1;
		}
	}
	if (s[0] == '/' && s[1] == '/') {
		s += 2;
		p->has_auth = true;
		p->auth = s;
		p->auth_len = strcspn(s, "/?#");
		s += p->auth_len;
	}
	p->path = s;
	p->path_len = strcspn(s, "?#");
	s += p->path_len;
	if (*s == '?') {
		p->has_query = true;
		p->query = ++s;
		p->query_len = strcspn(s, "#");
	}
}

bool url_is_absolute(const char *s)
{
	struct parts p;

	split(s, &p);
	return p.has_scheme;
}

/* Characters RFC 3986 never allows unescaped (and what is not ASCII:
 * IRIs are not URLs). */
static bool bad_char(unsigned char c)
{
	return c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}", c);
}

/* RFC 3986 5.2.4 remove_dot_segments, in[0..n) to out (NUL-terminated).
 * Return: 0 or -ENAMETOOLONG. */
static int remove_dots(const char *in, size_t n, char *out, size_t size)
{
	char *buf = malloc(n + 1);
	char *p;
	size_t o = 0;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, in, n);
	buf[n] = '\0';
	p = buf;
	while (*p) {
		size_t seg;

		if (!strncmp(p, "../", 3)) {            /* A */
			p += 3;
		} else if (!strncmp(p, "./", 2)) {
			p += 2;
		} else if (!strncmp(p, "/./", 3)) {     /* B */
			p += 2;
		} else if (!strcmp(p, "/.")) {
			p[1] = '\0';
		} else if (!strncmp(p, "/../", 4) || !strcmp(p, "/..")) { /* C */
			if (p[3]) {
				p += 3;
			} else {
				p += 2;
				*p = '/';
			}
			/* Drop the output's last segment and its '/'. */
			while (o > 0 && out[--o] != '/')
				;
		} else if (!strcmp(p, ".") || !strcmp(p, "..")) { /* D */
			break;
		} else {                                /* E */
			seg = strcspn(p + (*p == '/'), "/") + (*p == '/');
			if (o + seg + 1 > size) {
				free(buf);
				return -ENAMETOOLONG;
			}
			memcpy(out + o, p, seg);
			o += seg;
			p += seg;
		}
	}
	out[o] = '\0';
	free(buf);
	return 0;
}

/* Append s[0..n) to out at *o.  Return: 0 or -ENAMETOOLONG. */
static int put(char *out, size_t size, size_t *o, const char *s, size_t n)
{
	if (*o + n + 1 > size)
		return -ENAMETOOLONG;
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
	return 0;
}

/* RFC 3986 5.2.3 merge: base's path up to its last '/' (or "/" under an
 * authority with an empty path), then ref's path.  Return: 0 or
 * -ENAMETOOLONG. */
static int merge(const struct parts *b, const struct parts *r, char *out,
		 size_t size)
{
	size_t keep = b->path_len;
	int n;

	while (keep && b->path[keep - 1] != '/')
		keep--;
	if (b->has_auth && !b->path_len)
		n = snprintf(out, size, "/%.*s", (int)r->path_len, r->path);
	else
		n = snprintf(out, size, "%.*s%.*s", (int)keep, b->path,
			     (int)r->path_len, r->path);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* RFC 3986 5.2.2: the target's path (and which reference its authority
 * and query come from) into path.  Return: 0 or -errno. */
static int target_path(const struct parts *b, const struct parts *r,
		       char *path, char *tmp, size_t size,
		       const struct parts **auth, const struct parts **query)
{
	int rc;

	*auth = r;
	*query = r;
	if (r->has_scheme || r->has_auth)
		return remove_dots(r->path, r->path_len, path, size);
	*auth = b;
	if (!r->path_len) {
		*query = r->has_query ? r : b;
		if (b->path_len >= size)
			return -ENAMETOOLONG;
		memcpy(path, b->path, b->path_len);
		path[b->path_len] = '\0';
		return 0;
	}
	if (r->path[0] == '/')
		return remove_dots(r->path, r->path_len, path, size);
	rc = merge(b, r, tmp, size);
	return rc ? rc : remove_dots(tmp, strlen(tmp), path, size);
}

int url_resolve(const char *base, const char *ref, char *out, size_t size)
{
	const struct parts *auth, *query;
	struct parts b, r;
	char *path, *tmp;
	size_t o = 0, i;
	int rc;

	for (i = 0; ref[i]; i++)
		if (bad_char((unsigned char)ref[i]))
			return kx_fail(EINVAL, "net: %.200s: character 0x%02x "
				       "not allowed in a URL", ref,
				       (unsigned char)ref[i]);
	split(base, &b);
	split(ref, &r);
	if (!b.has_scheme)
		return kx_fail(EINVAL, "net: %.200s: not an absolute URL", base);
	if (size)
		out[0] = '\0';
	path = malloc(2 * URL_MAX);
	tmp = malloc(2 * URL_MAX);
	rc = path && tmp ? 0 : -ENOMEM;
	if (!rc)
		rc = target_path(&b, &r, path, tmp, 2 * URL_MAX, &auth, &query);
	if (!rc) {
		const struct parts *sch = r.has_scheme ? &r : &b;

		rc = put(out, size, &o, sch->scheme, sch->scheme_len + 1);
	}
	if (!rc && auth->has_auth) {
		rc = put(out, size, &o, "//", 2);
		rc = rc ? rc : put(out, size, &o, auth->auth, auth->auth_len);
	}
	rc = rc ? rc : put(out, size, &o, path, strlen(path));
	if (!rc && query->has_query) {
		rc = put(out, size, &o, "?", 1);
		rc = rc ? rc : put(out, size, &o, query->query, query->query_len);
	}
	free(path);
	free(tmp);
	if (rc == -ENAMETOOLONG)
		return kx_fail(ENAMETOOLONG, "net: %.200s: longer than %zu bytes "
			       "once resolved", ref, size ? size - 1 : 0);
	if (rc)
		return kx_fail(-rc, "net: %.200s: out of memory", ref);
	return 0;
}

static const struct {
	const char *name;
	enum url_scheme scheme;
	uint16_t port;
} schemes[] = {
	{ "tftp", URL_TFTP, 69 },
	{ "http", URL_HTTP, 80 },
	{ "https", URL_HTTPS, 443 },
	{ "file", URL_FILE, 0 },
};

const char *url_scheme_name(enum url_scheme s)
{
	size_t i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (schemes[i].scheme == s)
			return schemes[i].name;
	return "?";
}

/* reg-name as DNS spells it: letters, digits, '-', '.', '_' (and '~',
 * RFC 3986's unreserved).  Percent escapes in a host name are refused:
 * no resolver here would decode them. */
static bool reg_name_ok(const char *h, size_t n)
{
	size_t i;

	if (!n || n > 253)
		return false;
	for (i = 0; i < n; i++)
		if (!is_alpha(h[i]) && !is_digit(h[i]) && !strchr("-._~", h[i]))
			return false;
	return true;
}

static int parse_host(const char *url, const char *a, size_t n, struct url *u)
{
	const char *colon = NULL;
	size_t hn = n, i;

	if (memchr(a, '@', n))
		return kx_fail(EINVAL, "net: %.200s: user names or passwords "
			       "in URLs are not supported", url);
	if (n && a[0] == '[') {
		const char *close = memchr(a, ']', n);
		char buf[64];
		struct in6_addr a6;

		if (!close || (size_t)(close - a) > sizeof(buf))
			return kx_fail(EINVAL, "net: %.200s: bad IPv6 literal",
				       url);
		memcpy(buf, a + 1, (size_t)(close - a - 1));
		buf[close - a - 1] = '\0';
		if (strchr(buf, '%'))
			return kx_fail(EINVAL, "net: %.200s: IPv6 zone IDs are "
				       "not supported", url);
		if (inet_pton(AF_INET6, buf, &a6) != 1)
			return kx_fail(EINVAL, "net: %.200s: bad IPv6 literal",
				       url);
		for (i = 0; buf[i]; i++)
			u->host[i] = (char)((buf[i] >= 'A' && buf[i] <= 'F') ?
					    buf[i] - 'A' + 'a' : buf[i]);
		u->host[i] = '\0';
		u->host_v6 = true;
		hn = (size_t)(close - a) + 1;
		if (hn < n && a[hn] != ':')
			return kx_fail(EINVAL, "net: %.200s: junk after the IPv6 "
				       "literal", url);
		colon = hn < n ? a + hn : NULL;
	} else {
		colon = memchr(a, ':', n);
		hn = colon ? (size_t)(colon - a) : n;
		if (!reg_name_ok(a, hn))
			return kx_fail(EINVAL, "net: %.200s: bad host name", url);
		for (i = 0; i < hn; i++)
			u->host[i] = (char)((a[i] >= 'A' && a[i] <= 'Z') ?
					    a[i] - 'A' + 'a' : a[i]);
		u->host[hn] = '\0';
		/* All digits and dots: it must be a dotted quad (no
		 * "10.1" shorthand, no octal). */
		if (strspn(u->host, "0123456789.") == hn) {
			struct in_addr a4;

			if (inet_pton(AF_INET, u->host, &a4) != 1)
				return kx_fail(EINVAL, "net: %.200s: bad IPv4 "
					       "address", url);
		}
	}
	if (colon) {
		const char *p = colon + 1, *end = a + n;
		unsigned long port = 0;

		/* RFC 3986 3.2.3: an empty port is the default. */
		if (p == end)
			return 0;
		for (; p < end; p++) {
			if (!is_digit(*p) || port > 65535)
				return kx_fail(EINVAL, "net: %.200s: bad port",
					       url);
			port = port * 10 + (unsigned long)(*p - '0');
		}
		if (!port || port > 65535)
			return kx_fail(EINVAL, "net: %.200s: bad port", url);
		u->port = (uint16_t)port;
	}
	return 0;
}

int url_parse(const char *s, struct url *u)
{
	struct parts p;
	size_t i, n;

	memset(u, 0, sizeof(*u));
	n = strlen(s);
	if (n >= URL_MAX)
		return kx_fail(EINVAL, "net: %.200s...: URL longer than %d bytes",
			       s, URL_MAX - 1);
	for (i = 0; i < n; i++)
		if (bad_char((unsigned char)s[i]))
			return kx_fail(EINVAL, "net: %.200s: character 0x%02x "
				       "not allowed in a URL", s,
				       (unsigned char)s[i]);
	split(s, &p);
	if (!p.has_scheme)
		return kx_fail(EINVAL, "net: %.200s: not an absolute URL", s);
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strlen(schemes[i].name) == p.scheme_len &&
		    !strncasecmp(schemes[i].name, p.scheme, p.scheme_len))
			break;
	if (i == sizeof(schemes) / sizeof(schemes[0]))
		return kx_fail(EINVAL, "net: %.200s: scheme '%.*s' not "
			       "supported (tftp, http, https, file)", s,
			       (int)p.scheme_len, p.scheme);
	u->scheme = schemes[i].scheme;
	u->port = schemes[i].port;
	if (u->scheme == URL_FILE) {
		/* RFC 8089: file:/path, file:///path, file://localhost/path. */
		if (p.has_auth && p.auth_len &&
		    !(p.auth_len == 9 && !strncasecmp(p.auth, "localhost", 9)))
			return kx_fail(EINVAL, "net: %.200s: a file: URL must "
				       "name this machine", s);
		if (!p.path_len || p.path[0] != '/')
			return kx_fail(EINVAL, "net: %.200s: a file: URL needs "
				       "an absolute path", s);
	} else {
		if (!p.has_auth || !p.auth_len)
			return kx_fail(EINVAL, "net: %.200s: no host", s);
		if (parse_host(s, p.auth, p.auth_len, u))
			return -EINVAL;
	}
	if (p.has_query && u->scheme != URL_HTTP && u->scheme != URL_HTTPS)
		return kx_fail(EINVAL, "net: %.200s: a query means nothing to "
			       "%s:", s, schemes[i].name);
	if (!p.path_len)
		strcpy(u->path, "/");
	else
		snprintf(u->path, sizeof(u->path), "%.*s", (int)p.path_len,
			 p.path);
	if (p.has_query) {
		size_t o = strlen(u->path);

		snprintf(u->path + o, sizeof(u->path) - o, "?%.*s",
			 (int)p.query_len, p.query);
	}
	if (u->scheme == URL_TFTP && !strcmp(u->path, "/"))
		return kx_fail(EINVAL, "net: %.200s: no file name", s);
	return 0;
}

int url_path_decode(const char *path, char *out, size_t size)
{
	size_t o = 0;

	for (; *path; path++) {
		char c = *path;

		if (c == '?')
			return -EINVAL;
		if (c == '%') {
			int hi = hex_digit(path[1]), lo = hi < 0 ? -1 :
							hex_digit(path[2]);

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -EINVAL;
			c = (char)(hi << 4 | lo);
			path += 2;
		}
		if (o + 2 > size)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	if (!size)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return 0;
}

int url_format(const struct url *u, char *out, size_t size)
{
	size_t i;
	uint16_t dflt = 0;
	int n;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (schemes[i].scheme == u->scheme)
			dflt = schemes[i].port;
	if (u->scheme == URL_FILE)
		n = snprintf(out, size, "file://%s", u->path);
	else if (u->port != dflt)
		n = snprintf(out, size, "%s://%s%s%s:%u%s", url_scheme_name(u->scheme),
			     u->host_v6 ? "[" : "", u->host, u->host_v6 ? "]" : "",
			     u->port, u->path);
	else
		n = snprintf(out, size, "%s://%s%s%s%s", url_scheme_name(u->scheme),
			     u->host_v6 ? "[" : "", u->host, u->host_v6 ? "]" : "",
			     u->path);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

size_t url_basename(const char *url, char *out, size_t size)
{
	struct parts p;
	size_t n;
	const char *b;

	split(url, &p);
	n = p.path_len;
	b = p.path + n;
	while (b > p.path && b[-1] != '/')
		b--;
	n = (size_t)(p.path + p.path_len - b);
	if (size)
		snprintf(out, size, "%.*s", (int)n, b);
	return n;
}
