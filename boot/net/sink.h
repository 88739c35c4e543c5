/* kexshim: where a fetch's bytes go: a file descriptor (a memfd in PID 1,
 * the -o file of `kexshim fetch`), hashed with SHA-256 as they arrive so a
 * file is never read twice, bounded by what fits in memory, and a
 * progress line on the consoles.  Runs in PID 1 and the CLI. */
#ifndef KEXSHIM_NET_SINK_H
#define KEXSHIM_NET_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "common/sha256.h"
#include "net/progress.h"

struct sink {
	int fd;
	const char *url;       /* for messages */
	const char *name;      /* for progress lines: the file's name */
	uint64_t size;         /* bytes written (and hashed) */
	uint64_t limit;        /* refuse more than this; 0 = no limit */
	uint64_t expect;       /* what the server announced; 0 = unknown */
	bool quiet;            /* no progress lines */
	bool started;          /* the first byte came */
	struct sha256_ctx sha;
	struct progress pr;
};

/* Start s on fd (positioned at 0, empty). */
void sink_init(struct sink *s, int fd, const char *url, const char *name,
	       uint64_t limit, bool quiet);

/* The server announced total bytes (Content-Length, tsize, a range's
 * total): refuse it now when over the limit.
 * Return: 0, or -EFBIG (kx_fail "net: URL: N MiB do not fit: ..."). */
int sink_expect(struct sink *s, uint64_t total);

/* Append, hash and count buf.  Return: 0, -EFBIG over the limit, or
 * -errno of write(2) (kx_fail). */
int sink_write(struct sink *s, const void *buf, size_t n);

/* Throw away what came (a retry that cannot resume).  Return: 0 or
 * -errno (kx_fail). */
int sink_restart(struct sink *s);

/* The digest of what came (s can take no more). */
void sink_digest(struct sink *s, uint8_t out[SHA256_DIGEST_SIZE]);

/* Print a line (every console in PID 1, stderr in the CLI). */
void sink_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
