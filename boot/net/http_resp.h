/* kexshim: an HTTP/1.1 response head (RFC 9112 status line and fields, the
 * RFC 9110 semantics the client acts on: Content-Length, Transfer-Encoding,
 * Content-Range, Location, Accept-Ranges, ETag, Last-Modified,
 * Retry-After) and the chunked transfer coding (RFC 9112 7.1).  Pure:
 * bytes in, struct out; http.c speaks the protocol. */
#ifndef KEXSHIM_NET_HTTP_RESP_H
#define KEXSHIM_NET_HTTP_RESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_HEAD_MAX (32u << 10)
#define HTTP_LOCATION_MAX 2048
#define HTTP_RANGE_UNKNOWN UINT64_MAX   /* "bytes 0-9/\*" */

struct http_resp {
	unsigned status;           /* 100..599 */
	unsigned minor;            /* HTTP/1.minor */
	char reason[64];
	bool has_length;
	uint64_t length;           /* Content-Length */
	bool chunked;              /* the final transfer coding */
	bool has_range;            /* Content-Range: bytes first-last/total */
	uint64_t range_first, range_last, range_total;
	bool accept_ranges;        /* Accept-Ranges: bytes */
	bool close;                /* Connection: close */
	char location[HTTP_LOCATION_MAX];
	char etag[128];            /* as sent, quotes included; "" = none */
	bool etag_weak;            /* W/"..." (no good for If-Range) */
	char last_modified[64];
	unsigned retry_after;      /* seconds (delay form only); 0 = none */
};

struct warnings;

/* Return: the length of the head in buf[0..len) up to and including the
 * empty line (CRLF CRLF, or bare LFs), or 0 when it is not all there. */
size_t http_head_end(const char *buf, size_t len);

/* Parse the head buf[0..len) (from http_head_end()).  Unknown fields are
 * skipped; odd but harmless ones are warnings in w.
 * Return: 0 with *r, -EBADMSG (a bad status line, a field without ':',
 * obs-fold, Content-Lengths that disagree or overflow, a bad
 * Content-Range), -ENOTSUP (a transfer coding other than chunked). */
int http_resp_parse(const char *buf, size_t len, struct http_resp *r,
		    struct warnings *w);

/* The chunked decoder's state between calls. */
struct chunked {
	unsigned state;
	uint64_t left;             /* bytes of the current chunk */
	unsigned digits;
	bool done;                 /* the last chunk and trailer are in */
};

/* Decode buf[0..n) in place: the body bytes are moved to the front of buf
 * (*body of them); everything after the end is ignored.
 * Return: 0, or -EBADMSG on a malformed chunk size or line. */
int chunked_feed(struct chunked *c, uint8_t *buf, size_t n, size_t *body);

#endif
