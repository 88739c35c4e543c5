/* kexshim: plain or TLS connections (see conn.h). */
#include <errno.h>
#include <unistd.h>

#include "net/conn.h"
#include "net/sock.h"
#include "net/tls.h"

ssize_t conn_read(struct conn *c, void *buf, size_t n)
{
	if (c->tls)
		return tls_read(c->tls, buf, n);
	return sock_read(c->fd, buf, n, c->idle_ms);
}

int conn_write(struct conn *c, const void *buf, size_t n)
{
	if (c->tls)
		return tls_write(c->tls, buf, n);
	return sock_write(c->fd, buf, n, c->idle_ms);
}

void conn_close(struct conn *c)
{
	if (c->tls) {
		tls_close(c->tls);
		c->tls = NULL;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
