/* kexshim: the TFTP client (RFC 1350 read requests, with the options of
 * RFC 2347/2348/2349/7440 negotiated by tftp_pkt.c).  Runs in PID 1 and
 * the CLI, one transfer at a time.
 *
 * We ask for blksize (the largest that fits the Ethernet MTU unfragmented),
 * tsize (the size check before the first byte, and a length check after
 * the last) and windowsize; a server that answers DATA 1 instead of OACK
 * gets the RFC 1350 defaults, one that refuses the options (ERROR 8)
 * gets a plain request.  Block numbers roll over from 65535 to 0, as
 * every common server does for files over 32 MiB at 512-byte blocks. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/console.h"
#include "lib/error.h"
#include "net/dns.h"
#include "net/proto.h"
#include "net/sock.h"
#include "net/tftp_pkt.h"

/* 1500 (Ethernet) - 20 (IPv4) - 8 (UDP) - 4 (TFTP); IPv6: - 40 instead. */
#define BLKSIZE_V4 1468
#define BLKSIZE_V6 1448
#define WINDOW 16
/* Retransmit after this much silence, doubling, up to the idle timeout. */
#define RETRANSMIT_MS 1000

struct xfer {
	struct fetch_ctx *f;
	int fd;
	struct sockaddr_storage server;   /* port 69, then the server's TID */
	socklen_t server_len;
	struct sockaddr_storage port69;   /* where requests go */
	socklen_t port69_len;
	bool have_tid;
	struct tftp_opts got;
	uint8_t last_sent[16];            /* the RRQ is resent separately */
	size_t last_sent_len;
	uint8_t *pkt;
	size_t pkt_size;
};

static bool same_host(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)a)->sin_addr,
			       &((const struct sockaddr_in *)b)->sin_addr, 4);
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

static uint16_t port_of(const struct sockaddr_storage *a)
{
	return a->ss_family == AF_INET ?
	       ((const struct sockaddr_in *)a)->sin_port :
	       ((const struct sockaddr_in6 *)a)->sin6_port;
}

static void send_to(struct xfer *x, const void *p, size_t n)
{
	/* Lost sends are what retransmission is for. */
	if (sendto(x->fd, p, n, 0, (const struct sockaddr *)&x->server,
		   x->server_len) < 0) {
	}
}

static void send_ack(struct xfer *x, uint16_t block)
{
	x->last_sent_len = tftp_ack_build(x->last_sent, block);
	send_to(x, x->last_sent, x->last_sent_len);
}

/* RFC 1350: a packet from another port is another transfer's: tell it,
 * and go on with ours. */
static void wrong_tid(struct xfer *x, const struct sockaddr_storage *from,
		      socklen_t len)
{
	uint8_t e[64];
	size_t n = tftp_error_build(e, sizeof(e), TFTP_EBADID,
				    "unknown transfer ID");

	if (sendto(x->fd, e, n, 0, (const struct sockaddr *)from, len) < 0) {
	}
}

/* Wait for the next packet of our transfer, at most ms.
 * Return: its length, 0 on timeout, -errno. */
static ssize_t receive(struct xfer *x, unsigned ms)
{
	uint64_t end = net_now_ms() + ms;

	for (;;) {
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		uint64_t now = net_now_ms();
		struct pollfd p = { .fd = x->fd, .events = POLLIN };
		ssize_t n;

		if (now >= end)
			return 0;
		if (poll(&p, 1, (int)(end - now)) <= 0)
			continue;
		n = recvfrom(x->fd, x->pkt, x->pkt_size, 0,
			     (struct sockaddr *)&from, &flen);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			/* An ICMP port unreachable for our RRQ. */
			return -errno;
		}
		if (!same_host(&from, &x->server))
			continue;
		if (!x->have_tid) {
			/* The first answer's port is the server's TID. */
			memcpy(&x->server, &from, flen);
			x->server_len = flen;
			x->have_tid = true;
		} else if (port_of(&from) != port_of(&x->server)) {
			wrong_tid(x, &from, flen);
			continue;
		}
		return n;
	}
}

/* Report a TFTP ERROR packet.  Return: -errno (kx_fail). */
static int server_error(struct xfer *x, const uint8_t *p, size_t n)
{
	char msg[128] = "";
	uint16_t code = 0;

	tftp_error_parse(p, n, &code, msg, sizeof(msg));
	if (code == TFTP_ENOTFOUND)
		return kx_fail(ENOENT, "net: %s: TFTP: file not found%s%s%s",
			       x->f->url, *msg ? " ('" : "", msg, *msg ? "')" : "");
	if (code == TFTP_EACCESS)
		return kx_fail(EACCES, "net: %s: TFTP: access violation%s%s%s",
			       x->f->url, *msg ? " ('" : "", msg, *msg ? "')" : "");
	/* Anything else (a busy server, an undefined error) may pass. */
	x->f->retry = true;
	return kx_fail(EIO, "net: %s: TFTP error %u%s%s%s", x->f->url, code,
		       *msg ? " ('" : "", msg, *msg ? "')" : "");
}

/* Send the RRQ until the first answer.  want NULL: without options.
 * Return: the first answer's length (OACK, DATA or ERROR in x->pkt), or
 * -errno (kx_fail). */
static ssize_t request(struct xfer *x, const char *file,
		       const struct tftp_opts *want)
{
	uint8_t rrq[600];
	size_t n = tftp_rrq_build(rrq, sizeof(rrq), file, want);
	unsigned wait = RETRANSMIT_MS, waited = 0;
	ssize_t r;

	if (!n)
		return kx_fail(EINVAL, "net: %s: TFTP: file name too long",
			       x->f->url);
	/* A new request starts a new transfer: the server's well-known
	 * port again, a new TID to learn. */
	memcpy(&x->server, &x->port69, x->port69_len);
	x->server_len = x->port69_len;
	x->have_tid = false;
	for (;;) {
		send_to(x, rrq, n);
		r = receive(x, wait);
		if (r < 0) {
			x->f->retry = true;
			return kx_fail((int)-r, "net: %s: TFTP: %s", x->f->url,
				       strerror((int)-r));
		}
		if (r > 0)
			return r;
		waited += wait;
		if (waited >= x->f->o->idle_ms) {
			x->f->retry = true;
			return kx_fail(ETIMEDOUT, "net: %s: TFTP: no answer in %u s",
				       x->f->url, waited / 1000);
		}
		wait = wait * 2 > 4000 ? 4000 : wait * 2;
	}
}

/* The data blocks, the first one maybe already in x->pkt (first > 0).
 * Return: 0 or -errno (kx_fail). */
static int blocks(struct xfer *x, ssize_t first)
{
	struct sink *s = x->f->s;
	uint16_t expect = 1;
	unsigned in_window = 0, wait = RETRANSMIT_MS, waited = 0;
	bool nacked = false;
	ssize_t n = first;

	for (;;) {
		if (n == 0) {
			/* Silence: say again what we last said. */
			waited += wait;
			if (waited >= x->f->o->idle_ms) {
				x->f->retry = true;
				return kx_fail(ETIMEDOUT, "net: %s: TFTP: no data "
					       "for %u s after %llu bytes",
					       x->f->url, waited / 1000,
					       (unsigned long long)s->size);
			}
			send_to(x, x->last_sent, x->last_sent_len);
			in_window = 0;
			wait = wait * 2 > 4000 ? 4000 : wait * 2;
		} else if (n < 0) {
			x->f->retry = true;
			return kx_fail((int)-n, "net: %s: TFTP: %s", x->f->url,
				       strerror((int)-n));
		} else if (tftp_opcode(x->pkt, (size_t)n) == TFTP_ERROR) {
			return server_error(x, x->pkt, (size_t)n);
		} else if (tftp_opcode(x->pkt, (size_t)n) == TFTP_DATA && n >= 4) {
			uint16_t block = (uint16_t)(x->pkt[2] << 8 | x->pkt[3]);
			size_t len = (size_t)n - 4;
			int rc;

			if (block == expect) {
				if (len > x->got.blksize) {
					x->f->retry = true;
					return kx_fail(EPROTO, "net: %s: TFTP: block "
						       "of %zu bytes, over blksize %u",
						       x->f->url, len, x->got.blksize);
				}
				rc = sink_write(s, x->pkt + 4, len);
				if (rc)
					return rc;
				wait = RETRANSMIT_MS;
				waited = 0;
				nacked = false;
				if (len < x->got.blksize) {
					send_ack(x, block);
					return 0; /* the short block ends it */
				}
				expect++;
				if (++in_window >= x->got.windowsize) {
					send_ack(x, block);
					in_window = 0;
				}
			} else if ((uint16_t)(block - expect) <= WINDOW * 4 &&
				   !nacked) {
				/* RFC 7440: a block ahead means one was
				 * lost; ack the last in order, once. */
				send_ack(x, (uint16_t)(expect - 1));
				nacked = true;
				in_window = 0;
			}
			/* Older blocks: a retransmission we already have. */
		}
		n = receive(x, wait);
	}
}

/* The request again without options (RFC 2347's fallback).  Return: the
 * length of the server's first answer, or -errno (said), an ERROR packet
 * from the server included. */
static ssize_t request_plain(struct xfer *x, const char *file)
{
	ssize_t n = request(x, file, NULL);

	if (n >= 0 && tftp_opcode(x->pkt, (size_t)n) == TFTP_ERROR)
		return server_error(x, x->pkt, (size_t)n);
	return n;
}

int tftp_fetch(struct fetch_ctx *f)
{
	struct dns_addr addrs[DNS_MAX_ADDRS];
	static uint8_t pkt[TFTP_BLKSIZE_MAX + 4];
	char file[URL_MAX], reason[160];
	struct tftp_opts want = { .tsize = true, .windowsize = WINDOW };
	struct xfer x = { .f = f, .fd = -1, .pkt = pkt, .pkt_size = sizeof(pkt) };
	struct url u;
	size_t naddr, a;
	ssize_t n = -1;
	int rc;

	f->retry = false;
	rc = url_parse(f->cur, &u);
	if (rc)
		return rc;
	/* RFC 3617: the file is the path after the host's '/'. */
	if (url_path_decode(u.path + 1, file, sizeof(file)) || !file[0])
		return kx_fail(EINVAL, "net: %s: TFTP: bad file name", f->url);
	rc = dns_resolve(u.host, f->url, addrs, DNS_MAX_ADDRS, &naddr);
	if (rc) {
		f->retry = rc != -ENOENT && rc != -ENODATA;
		return rc;
	}
	rc = f->s->size ? sink_restart(f->s) : 0; /* TFTP cannot resume */
	if (rc)
		return rc;
	for (a = 0; a < naddr; a++) {
		x.fd = socket(addrs[a].family, SOCK_DGRAM | SOCK_NONBLOCK |
			      SOCK_CLOEXEC, 0);
		if (x.fd < 0)
			return kx_fail(errno, "net: %s: socket: %s", f->url,
				       strerror(errno));
		x.port69_len = sock_addr(&addrs[a], u.port, &x.port69);
		want.blksize = addrs[a].family == AF_INET ? BLKSIZE_V4 : BLKSIZE_V6;
		n = request(&x, file, &want);
		if (n > 0)
			break;
		close(x.fd);
		x.fd = -1;
	}
	if (n <= 0)
		return (int)n;
	if (tftp_opcode(pkt, (size_t)n) == TFTP_ERROR) {
		uint16_t code = (uint16_t)(n >= 4 ? pkt[2] << 8 | pkt[3] : 0);

		if (code != TFTP_EOPTNEG) {
			rc = server_error(&x, pkt, (size_t)n);
			goto out;
		}
		/* RFC 2347: it will not negotiate; ask plainly. */
		n = request_plain(&x, file);
		if (n < 0) {
			rc = (int)n;
			goto out;
		}
	}
	x.got.blksize = TFTP_BLKSIZE_DEFAULT;
	x.got.windowsize = 1;
	if (tftp_opcode(pkt, (size_t)n) == TFTP_OACK &&
	    tftp_oack_parse(pkt, (size_t)n, &want, &x.got, reason,
			    sizeof(reason))) {
		/* RFC 2347: refuse its OACK (ERROR 8), then ask plainly. */
		uint8_t e[200];
		size_t el = tftp_error_build(e, sizeof(e), TFTP_EOPTNEG, reason);

		send_to(&x, e, el);
		sink_say("net: %s: TFTP: %s; asking without options", f->url,
			 reason);
		n = request_plain(&x, file);
		if (n < 0) {
			rc = (int)n;
			goto out;
		}
		x.got.blksize = TFTP_BLKSIZE_DEFAULT;
		x.got.windowsize = 1;
		x.got.tsize = false;
	}
	if (tftp_opcode(pkt, (size_t)n) == TFTP_OACK) {
		if (x.got.tsize) {
			rc = sink_expect(f->s, x.got.size);
			if (rc) {
				uint8_t e[64];
				size_t el = tftp_error_build(e, sizeof(e),
							     TFTP_ENOTDEFINED,
							     "too large");

				send_to(&x, e, el);
				goto out;
			}
		}
		con_debug("net: %s: TFTP blksize %u, windowsize %u%s", f->url,
			  x.got.blksize, x.got.windowsize,
			  x.got.tsize ? ", tsize given" : "");
		send_ack(&x, 0);
		n = receive(&x, RETRANSMIT_MS);
	} else if (tftp_opcode(pkt, (size_t)n) != TFTP_DATA) {
		f->retry = true;
		rc = kx_fail(EPROTO, "net: %s: TFTP: unexpected opcode %u",
			     f->url, tftp_opcode(pkt, (size_t)n));
		goto out;
	}
	rc = blocks(&x, n);
	if (!rc && x.got.tsize && f->s->size != x.got.size) {
		f->retry = true;
		rc = kx_fail(EPROTO, "net: %s: TFTP: got %llu bytes, the server "
			     "said %llu", f->url, (unsigned long long)f->s->size,
			     (unsigned long long)x.got.size);
	}
out:
	if (x.fd >= 0)
		close(x.fd);
	return rc;
}
