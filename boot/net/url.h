/* kexshim: URLs of the files network boot fetches (tftp, http, https,
 * file) and RFC 3986 reference resolution, which turns the paths a fetched
 * BLS entry or pxelinux.cfg names into URLs.  Pure: strings in, strings
 * out.  Runs in PID 1 and the CLI while entries are read and fetched. */
#ifndef KEXSHIM_NET_URL_H
#define KEXSHIM_NET_URL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define URL_MAX 2048
#define URL_HOST_MAX 256

enum url_scheme {
	URL_TFTP,   /* RFC 3617: tftp://host[:port]/file */
	URL_HTTP,
	URL_HTTPS,
	URL_FILE,   /* RFC 8089: file:///path (local host only) */
};

struct url {
	enum url_scheme scheme;
	/* reg-name lower-cased, an IPv4 dotted quad, or an IPv6 address
	 * without its brackets; "" for file:. */
	char host[URL_HOST_MAX];
	bool host_v6;              /* host was an IP-literal "[...]" */
	uint16_t port;             /* as written, else the scheme's */
	/* The path as written (percent-encoded), "/" when empty, and
	 * "?query" after it for http(s); never the "#fragment". */
	char path[URL_MAX];
};

/* Parse an absolute URL (scheme "tftp", "http", "https" or "file", any
 * case).  Refused: another scheme, no "//authority" (but file:/path),
 * userinfo ("user@": credentials do not belong in a boot config), an
 * empty or malformed host, a bad port, a file: URL naming another host,
 * control characters or spaces, an IPv6 zone.  Messages read "net: URL:
 * reason" (kx_fail).  Return: 0 with *u, or -EINVAL. */
int url_parse(const char *s, struct url *u);

/* Resolve ref against base (RFC 3986 section 5.2: merge, then
 * remove_dot_segments), without the fragment.  base must be absolute.
 * Return: 0 with out (NUL-terminated), -EINVAL (kx_fail) when base has
 * no scheme or ref is malformed, -ENAMETOOLONG when out is too small. */
int url_resolve(const char *base, const char *ref, char *out, size_t size);

/* Return: true when s starts like an absolute URL ("scheme:"). */
bool url_is_absolute(const char *s);

/* Decode the percent escapes of a URL path into out for a protocol that
 * carries plain names (TFTP's filename, a file: path).  "%00", a bad
 * escape, and a '?' are refused.  Return: 0, -EINVAL, -ENAMETOOLONG. */
int url_path_decode(const char *path, char *out, size_t size);

/* Write u back as text ("http://[fe80::1]:8080/x").  Return: 0 or
 * -ENAMETOOLONG. */
int url_format(const struct url *u, char *out, size_t size);

/* The last path segment ("vmlinuz" of "http://h/a/vmlinuz?x"), without
 * query; "" when the path ends in '/'.  Return: its length, written to
 * out (truncated to size - 1). */
size_t url_basename(const char *url, char *out, size_t size);

/* Return: "tftp", "http", "https", "file". */
const char *url_scheme_name(enum url_scheme s);

#endif
