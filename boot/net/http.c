/* kexshim: the HTTP/1.1 client (RFC 9110/9112) for http and https URLs:
 * one GET per connection ("Connection: close", so the end of a body
 * without a length is the end of the stream), redirects (at most
 * FETCH_MAX_REDIRECTS, never from https to http), a resume after a broken
 * transfer with "Range: bytes=N-" and If-Range (RFC 9110 13.1.5) so a
 * changed file is sent whole, Content-Length, chunked or close-delimited
 * bodies.  Runs in PID 1 and the CLI. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kexshim/version.h"
#include "lib/error.h"
#include "lib/warn.h"
#include "net/conn.h"
#include "net/dns.h"
#include "net/http_resp.h"
#include "net/proto.h"
#include "net/sock.h"
#include "net/tls.h"

#define BUF_SIZE (64u << 10)

/* Connect to u (TLS for https).  Return: 0 with *c, or -errno. */
static int open_conn(struct fetch_ctx *f, const struct url *u, struct conn *c)
{
	struct dns_addr addrs[DNS_MAX_ADDRS];
	size_t n;
	int rc;

	c->fd = -1;
	c->tls = NULL;
	c->idle_ms = f->o->idle_ms;
	rc = dns_resolve(u->host, f->url, addrs, DNS_MAX_ADDRS, &n);
	if (rc) {
		/* A name that does not exist will not by the next try. */
		f->retry = rc != -ENOENT && rc != -ENODATA;
		return rc;
	}
	rc = sock_connect(addrs, n, u->port, f->o->connect_ms, f->url);
	if (rc < 0) {
		f->retry = true;
		return rc;
	}
	c->fd = rc;
	if (u->scheme == URL_HTTPS) {
		rc = tls_start(c, u->host, f->o->ca_file, f->url);
		if (rc) {
			/* A refused certificate stays refused. */
			f->retry = rc != -EPERM && rc != -EINVAL && rc != -ENOENT;
			conn_close(c);
			return rc;
		}
	}
	return 0;
}

static int send_request(struct fetch_ctx *f, const struct url *u,
			struct conn *c, uint64_t from)
{
	char req[URL_MAX + 1024], host[URL_HOST_MAX + 16];
	uint16_t dflt = u->scheme == URL_HTTPS ? 443 : 80;
	int n, rc;

	snprintf(host, sizeof(host), "%s%s%s", u->host_v6 ? "[" : "", u->host,
		 u->host_v6 ? "]" : "");
	if (u->port != dflt) {
		size_t l = strlen(host);

		snprintf(host + l, sizeof(host) - l, ":%u", u->port);
	}
	n = snprintf(req, sizeof(req),
		     "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: kexshim/%s\r\n"
		     "Accept: */*\r\nAccept-Encoding: identity\r\n"
		     "Connection: close\r\n", u->path, host, KEXSHIM_VERSION);
	if (from && n > 0 && (size_t)n < sizeof(req))
		n += snprintf(req + n, sizeof(req) - (size_t)n,
			      "Range: bytes=%" PRIu64 "-\r\n%s%s%s", from,
			      f->validator[0] ? "If-Range: " : "", f->validator,
			      f->validator[0] ? "\r\n" : "");
	if (n > 0 && (size_t)n < sizeof(req))
		n += snprintf(req + n, sizeof(req) - (size_t)n, "\r\n");
	if (n < 0 || (size_t)n >= sizeof(req))
		return kx_fail(ENAMETOOLONG, "net: %s: request too long", f->url);
	rc = conn_write(c, req, (size_t)n);
	if (rc) {
		f->retry = true;
		return kx_fail(-rc, "net: %s: sending the request: %s", f->url,
			       strerror(-rc));
	}
	return 0;
}

/* Read the response head into buf; the bytes after it stay there too.
 * Return: the head's length with *got the bytes in buf, or -errno. */
static int read_head(struct fetch_ctx *f, struct conn *c, char *buf,
		     size_t size, size_t *got)
{
	size_t end;

	*got = 0;
	for (;;) {
		ssize_t r;

		end = http_head_end(buf, *got);
		if (end)
			return (int)end;
		if (*got >= HTTP_HEAD_MAX || *got >= size) {
			f->retry = false;
			return kx_fail(EBADMSG, "net: %s: response head over %u "
				       "bytes", f->url, HTTP_HEAD_MAX);
		}
		r = conn_read(c, buf + *got, size - *got);
		if (r <= 0) {
			f->retry = true;
			return kx_fail(r ? (int)-r : ECONNRESET, "net: %s: %s before "
				       "the response", f->url, r == -ETIMEDOUT ?
				       "no answer" : r ? strerror((int)-r) :
				       "connection closed");
		}
		*got += (size_t)r;
	}
}

static void say_lost(struct fetch_ctx *f, ssize_t r, uint64_t total)
{
	char a[32] = "";

	if (total)
		snprintf(a, sizeof(a), " of %" PRIu64, total);
	f->retry = true;
	if (r == -ETIMEDOUT)
		kx_fail(ETIMEDOUT, "net: %s: no data for %u s after %" PRIu64
			"%s bytes", f->url, f->o->idle_ms / 1000, f->s->size, a);
	else
		kx_fail(r ? (int)-r : ECONNRESET, "net: %s: connection %s after "
			"%" PRIu64 "%s bytes", f->url, r == 0 || r == -ECONNRESET ?
			"closed" : strerror((int)-r), f->s->size, a);
}

/* The body, with the first n bytes already in buf.  total: where the file
 * ends (0 = unknown: chunked or close-delimited).  Return: 0 or -errno. */
static int body(struct fetch_ctx *f, struct conn *c, const struct http_resp *r,
		char *buf, size_t size, size_t n, uint64_t total)
{
	struct chunked ch = { 0 };
	bool until_eof = !r->chunked && !total;
	int rc;

	for (;;) {
		size_t keep = n;
		ssize_t got;

		if (r->chunked) {
			if (chunked_feed(&ch, (uint8_t *)buf, n, &keep)) {
				f->retry = true;
				return kx_fail(EBADMSG, "net: %s: malformed chunked "
					       "body after %" PRIu64 " bytes",
					       f->url, f->s->size);
			}
		} else if (total && f->s->size + keep > total) {
			keep = (size_t)(total - f->s->size); /* ignore excess */
		}
		rc = keep ? sink_write(f->s, buf, keep) : 0;
		if (rc)
			return rc;
		if ((r->chunked && ch.done) || (total && f->s->size >= total))
			return 0;
		got = conn_read(c, buf, size);
		if (got == 0 && until_eof)
			return 0;
		if (got <= 0) {
			say_lost(f, got, total);
			return -EIO;
		}
		n = (size_t)got;
	}
}

/* What a status says.  Return: 0 to read the body, 1 to follow a
 * redirect, or -errno (kx_fail). */
static int status(struct fetch_ctx *f, const struct http_resp *r,
		  const struct url *u)
{
	char next[URL_MAX];
	struct url nu;

	switch (r->status) {
	case 200:
	case 206:
		return 0;
	case 301: case 302: case 303: case 307: case 308:
		if (!r->location[0])
			return kx_fail(EPROTO, "net: %s: HTTP %u without a "
				       "Location", f->url, r->status);
		if (++f->redirects > FETCH_MAX_REDIRECTS)
			return kx_fail(ELOOP, "net: %s: more than %d redirects",
				       f->url, FETCH_MAX_REDIRECTS);
		if (url_resolve(f->cur, r->location, next, sizeof(next)) ||
		    url_parse(next, &nu))
			return -EINVAL;
		if (u->scheme == URL_HTTPS && nu.scheme != URL_HTTPS)
			return kx_fail(EPERM, "net: %s: refusing a redirect from "
				       "https to %.200s", f->url, next);
		if (nu.scheme != URL_HTTP && nu.scheme != URL_HTTPS)
			return kx_fail(EPERM, "net: %s: refusing a redirect to "
				       "%.200s", f->url, next);
		strcpy(f->cur, next);
		f->validator[0] = '\0';
		return 1;
	case 404:
	case 410:
		return kx_fail(ENOENT, "net: %s: HTTP %u %s", f->url, r->status,
			       r->reason);
	case 401:
	case 403:
		return kx_fail(EACCES, "net: %s: HTTP %u %s", f->url, r->status,
			       r->reason);
	default:
		/* 408, 429 and 5xx may pass; other 4xx will not. */
		f->retry = r->status == 408 || r->status == 429 ||
			   r->status >= 500;
		f->retry_after_ms = r->retry_after * 1000u;
		return kx_fail(EIO, "net: %s: HTTP %u %s", f->url, r->status,
			       r->reason);
	}
}

/* One request on c at u, from s->size on.  Return: 0 done, 1 redirect,
 * -errno. */
static int one_request(struct fetch_ctx *f, const struct url *u,
		       struct conn *c, char *buf)
{
	struct warnings w = { 0 };
	struct http_resp r;
	uint64_t from = f->s->size, total = 0;
	size_t got, head;
	int rc;

	rc = send_request(f, u, c, from);
	if (rc)
		return rc;
	for (;;) {
		rc = read_head(f, c, buf, BUF_SIZE, &got);
		if (rc < 0)
			return rc;
		head = (size_t)rc;
		rc = http_resp_parse(buf, head, &r, &w);
		if (rc == -ENOTSUP)
			return kx_fail(ENOTSUP, "net: %s: a transfer coding other "
				       "than chunked", f->url);
		if (rc)
			return kx_fail(EBADMSG, "net: %s: malformed response "
				       "head", f->url);
		if (r.status >= 200)
			break;
		/* 1xx: an interim answer; the real one follows. */
		memmove(buf, buf + head, got - head);
		got -= head;
		if (http_head_end(buf, got) == 0 && got) {
			/* Rare: keep it simple, ask again. */
			f->retry = true;
			return kx_fail(EPROTO, "net: %s: split interim response",
				       f->url);
		}
	}
	rc = status(f, &r, u);
	if (rc)
		return rc;
	/* What a resume may send next time. */
	if (r.etag[0] && !r.etag_weak)
		snprintf(f->validator, sizeof(f->validator), "%s", r.etag);
	else if (r.last_modified[0])
		snprintf(f->validator, sizeof(f->validator), "%s", r.last_modified);
	if (r.status == 206) {
		if (!from || !r.has_range || r.range_first != from) {
			/* Not the part we asked for: start over. */
			f->retry = true;
			f->validator[0] = '\0';
			rc = sink_restart(f->s);
			return rc ? rc : kx_fail(EPROTO, "net: %s: the server sent "
						 "another range than bytes=%" PRIu64
						 "-", f->url, from);
		}
		f->resumed++;
		total = r.range_total != HTTP_RANGE_UNKNOWN ? r.range_total :
			r.range_last + 1;
	} else {
		if (from) {
			/* The file changed, or no ranges here: all of it. */
			rc = sink_restart(f->s);
			if (rc)
				return rc;
		}
		total = r.has_length ? r.length : 0;
	}
	if (total) {
		rc = sink_expect(f->s, total);
		if (rc)
			return rc;
	}
	if (!total && !r.chunked && r.has_length)
		return 0; /* an empty file */
	return body(f, c, &r, buf + head, BUF_SIZE - head, got - head, total);
}

int http_fetch(struct fetch_ctx *f)
{
	struct conn c = { .fd = -1 };
	char *buf = malloc(BUF_SIZE);
	struct url u;
	int rc;

	f->retry = false;
	f->retry_after_ms = 0;
	if (!buf)
		return kx_fail(ENOMEM, "net: %s: out of memory", f->url);
	do {
		rc = url_parse(f->cur, &u);
		if (rc)
			break;
		rc = open_conn(f, &u, &c);
		if (rc)
			break;
		rc = one_request(f, &u, &c, buf);
		conn_close(&c);
	} while (rc == 1);
	free(buf);
	return rc;
}
