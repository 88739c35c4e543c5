/* kexshim: sockets with deadlines (see sock.h).  Runs in PID 1 and the CLI;
 * everything is poll(2) on non-blocking sockets, so one silent server
 * costs a timeout, never a hang. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "lib/error.h"
#include "net/netconf.h"
#include "net/sock.h"

uint64_t net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void net_sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

socklen_t sock_addr(const struct dns_addr *a, uint16_t port,
		    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = a->v6;
		return sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr = a->v4;
		return sizeof(*s4);
	}
}

int sock_wait(int fd, short events, unsigned ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	uint64_t end = net_now_ms() + ms, now;
	int rc;

	for (;;) {
		now = net_now_ms();
		if (now >= end)
			return -ETIMEDOUT;
		rc = poll(&p, 1, (int)(end - now));
		if (rc > 0)
			return 0;
		if (rc == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/* One address.  Return: the connected fd or -errno. */
static int connect_one(const struct dns_addr *a, uint16_t port,
		       unsigned timeout_ms)
{
	struct sockaddr_storage ss;
	socklen_t len = sock_addr(a, port, &ss);
	int fd, rc, err = 0;
	socklen_t elen = sizeof(err);

	fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = sock_wait(fd, POLLOUT, timeout_ms);
	if (!rc && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen))
		rc = -errno;
	if (!rc && err)
		rc = -err;
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int sock_connect(const struct dns_addr *addrs, size_t n, uint16_t port,
		 unsigned timeout_ms, const char *url)
{
	char text[64];
	size_t i;
	int fd = -EHOSTUNREACH;

	for (i = 0; i < n; i++) {
		fd = connect_one(&addrs[i], port, timeout_ms);
		if (fd >= 0)
			return fd;
	}
	if (!n)
		return kx_fail(EHOSTUNREACH, "net: %s: no address to connect to",
			       url);
	netconf_addr_text(&addrs[n - 1], text, sizeof(text));
	return kx_fail(-fd, "net: %s: connect to %s%s%s port %u: %s", url,
		       addrs[n - 1].family == AF_INET6 ? "[" : "", text,
		       addrs[n - 1].family == AF_INET6 ? "]" : "", port,
		       fd == -ETIMEDOUT ? "timed out" : strerror(-fd));
}

ssize_t sock_read(int fd, void *buf, size_t n, unsigned idle_ms)
{
	for (;;) {
		ssize_t r = read(fd, buf, n);
		int rc;

		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		rc = sock_wait(fd, POLLIN, idle_ms);
		if (rc)
			return rc;
	}
}

int sock_write(int fd, const void *buf, size_t n, unsigned idle_ms)
{
	const char *p = buf;

	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		int rc;

		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN)
			return -errno;
		rc = sock_wait(fd, POLLOUT, idle_ms);
		if (rc)
			return rc;
	}
	return 0;
}
