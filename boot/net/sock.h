/* kexshim: sockets with deadlines: a TCP connect that tries each address
 * of a name in turn within a timeout, reads and writes that give up when
 * the peer is silent for too long, and the one clock the network code
 * uses.  Runs in PID 1 and the CLI. */
#ifndef KEXSHIM_NET_SOCK_H
#define KEXSHIM_NET_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "net/dns_msg.h"

/* Return: CLOCK_MONOTONIC in milliseconds. */
uint64_t net_now_ms(void);

/* Fill a sockaddr for a and port.  Return: its length. */
socklen_t sock_addr(const struct dns_addr *a, uint16_t port,
		    struct sockaddr_storage *ss);

/* Connect to addrs[0..n) on port, in order, each within timeout_ms.
 * Messages read "net: URL: connect to ADDR: reason" (the last one tried).
 * Return: a non-blocking fd, or -errno (kx_fail). */
int sock_connect(const struct dns_addr *addrs, size_t n, uint16_t port,
		 unsigned timeout_ms, const char *url);

/* Wait until fd has events (POLLIN, POLLOUT), at most ms.
 * Return: 0, -ETIMEDOUT, or -errno. */
int sock_wait(int fd, short events, unsigned ms);

/* Read what is there (waiting up to idle_ms for something).
 * Return: bytes read, 0 at EOF, -ETIMEDOUT, or -errno. */
ssize_t sock_read(int fd, void *buf, size_t n, unsigned idle_ms);

/* Write all of buf, waiting up to idle_ms each time the socket is full.
 * Return: 0, -ETIMEDOUT, or -errno. */
int sock_write(int fd, const void *buf, size_t n, unsigned idle_ms);

/* Sleep ms milliseconds (retry back-off). */
void net_sleep_ms(unsigned ms);

#endif
