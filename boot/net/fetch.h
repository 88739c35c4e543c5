/* kexshim: fetch one URL (tftp, http, https, file) into a file descriptor,
 * hashed as it arrives, with retries: HTTP resumes where the connection
 * broke (Range + If-Range), TFTP and a server that ignores Range start
 * over; back-off doubles from 0.5 s (a server's Retry-After wins).  A
 * pinned SHA-256 is checked once the last byte is in.  Runs in PID 1
 * (into memfds, sealed once verified) and in `kexshim fetch`. */
#ifndef KEXSHIM_NET_FETCH_H
#define KEXSHIM_NET_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "common/sha256.h"

#define FETCH_CONNECT_MS 10000   /* per address */
#define FETCH_IDLE_MS 20000      /* no byte for this long: give up */
#define FETCH_ATTEMPTS 4
#define FETCH_MAX_REDIRECTS 5

struct fetch_opts {
	const char *ca_file;       /* https: the CA bundle (NULL: default) */
	bool has_sha256;
	uint8_t sha256[SHA256_DIGEST_SIZE]; /* the pinned digest */
	uint64_t max_size;         /* refuse a larger file; 0 = no limit */
	unsigned connect_ms, idle_ms, attempts;
	bool quiet;                /* no progress lines, no summary */
};

struct fetch_result {
	uint64_t size;
	uint8_t sha256[SHA256_DIGEST_SIZE];
	uint64_t ms;               /* first request to last byte */
	unsigned attempts;         /* requests made (1 = no retry) */
	unsigned resumed;          /* of them, HTTP range resumes */
};

/* Defaults: the timeouts and attempts above, no pin, no limit. */
void fetch_opts_default(struct fetch_opts *o);

/* Fetch url into fd (empty, at offset 0).  Prints a progress line once a
 * second for a file over 1 MiB and one summary line (unless quiet).
 * Messages read "net: URL: reason": "TFTP: file not found", "HTTP 404
 * Not Found", "connection closed after N of M bytes", "sha256 ... does
 * not match the pinned ...".
 * Return: 0 with *res, or -errno (kx_fail; -EBADMSG for a pin mismatch,
 * -ENOENT for a missing file). */
int fetch_to_fd(const char *url, const struct fetch_opts *o, int fd,
		struct fetch_result *res);

/* Fetch url into a new memfd (named after the file), sealed against
 * writes once complete and checked.
 * Return: the fd (the caller closes it) with *res, or -errno (kx_fail). */
int fetch_to_memfd(const char *url, const struct fetch_opts *o,
		   struct fetch_result *res);

/* Parse 64 hex digits into o's pin.  Return: 0 or -EINVAL. */
int fetch_pin(struct fetch_opts *o, const char *hex);

#endif
