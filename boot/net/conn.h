/* kexshim: one HTTP connection, plain TCP or TLS over it (tls.c), read and
 * written through the same two calls with the connection's idle timeout.
 * Runs in PID 1 and the CLI. */
#ifndef KEXSHIM_NET_CONN_H
#define KEXSHIM_NET_CONN_H

#include <stddef.h>
#include <sys/types.h>

struct tls;

struct conn {
	int fd;               /* non-blocking TCP socket, -1 = closed */
	struct tls *tls;      /* NULL: plain */
	unsigned idle_ms;     /* give up when the peer is silent this long */
};

/* Return: bytes read, 0 at the end of the stream (for TLS: after the
 * peer's close_notify), -ETIMEDOUT, -ECONNRESET, or another -errno. */
ssize_t conn_read(struct conn *c, void *buf, size_t n);

/* Return: 0 or -errno. */
int conn_write(struct conn *c, const void *buf, size_t n);

/* Close (TLS first); c->fd is -1 afterwards. */
void conn_close(struct conn *c);

#endif
