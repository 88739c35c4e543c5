/* kexshim: the DHCPv6 client (see dhcp6.h).  Retransmission after RFC
 * 8415 15 with a boot's patience: 1 s, then doubling, until timeout. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/console.h"
#include "lib/error.h"
#include "lib/warn.h"
#include "net/dhcp6.h"
#include "net/sock.h"

/* RFC 8415 7.1: All_DHCP_Relay_Agents_and_Servers. */
static const struct in6_addr all_servers = { { {
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2 } } };

static int open_socket(int index, const char *name)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(DHCP6_CLIENT_PORT) };
	int fd, e, one = 1;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, strlen(name)) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &index,
		       sizeof(index)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

/* Send type until a reply of want (ADVERTISE or REPLY) comes, at most
 * until end.  For SOLICIT, an ADVERTISE is collected for a second (RFC
 * 8415 18.2.1: the first RT) and the most preferred taken; a REPLY with
 * Rapid Commit ends it at once.  Return: 0 with *r, or -errno. */
static int exchange(int fd, int index, struct dhcp6_client *c,
		    enum dhcp6_type type, uint64_t end, struct dhcp6_reply *r,
		    const char *name)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_port = htons(DHCP6_SERVER_PORT),
				   .sin6_addr = all_servers,
				   .sin6_scope_id = (uint32_t)index };
	uint8_t out[512], in[2048];
	uint64_t t0 = net_now_ms(), next = t0, collect_end = 0;
	unsigned rt = 1000;
	bool have = false;

	for (;;) {
		uint64_t now = net_now_ms(), wake;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct dhcp6_reply got;
		struct warnings w = { 0 };
		ssize_t n;
		size_t len;

		if (have && (type != DHCP6_SOLICIT || now >= collect_end ||
			     r->type == DHCP6_REPLY))
			return 0;
		if (now >= end)
			return have ? 0 : -ETIMEDOUT;
		if (now >= next) {
			uint64_t el = (now - t0) / 10;

			c->elapsed_cs = el > 0xffff ? 0xffff : (uint16_t)el;
			len = dhcp6_build(type, c, out, sizeof(out));
			if (len && sendto(fd, out, len, 0, (struct sockaddr *)&to,
					  sizeof(to)) < 0)
				con_debug("net: %s: DHCPv6: send: %s", name,
					  strerror(errno));
			next = now + rt;
			rt = rt * 2 > 8000 ? 8000 : rt * 2;
		}
		wake = next < end ? next : end;
		if (have && collect_end < wake)
			wake = collect_end;
		if (poll(&p, 1, wake > now ? (int)(wake - now) : 0) <= 0)
			continue;
		n = recv(fd, in, sizeof(in), 0);
		if (n <= 0 || dhcp6_parse(in, (size_t)n, c, &got, &w))
			continue;
		/* Stateful: the server must say who it is (RFC 8415 16.10). */
		if (type != DHCP6_INFORMATION_REQUEST && !got.server_id_len)
			continue;
		con_warnings_print(&w);
		if (type == DHCP6_SOLICIT && got.type == DHCP6_ADVERTISE) {
			/* RFC 8415 18.2.9: NoAddrsAvail advertisements are
			 * not to be used. */
			if (got.status == DHCP6_NO_ADDRS_AVAIL || !got.has_addr)
				continue;
			if (!have || got.preference > r->preference)
				*r = got;
			if (!have)
				collect_end = net_now_ms() + 1000;
			have = true;
			if (got.preference == 255)
				return 0;
			continue;
		}
		if (got.type != DHCP6_REPLY)
			continue;
		if (type == DHCP6_SOLICIT && !got.rapid_commit)
			continue;
		*r = got;
		have = true;
		r->type = DHCP6_REPLY;
	}
}

int dhcp6_run(int index, const char *name, const uint8_t mac[6],
	      const struct dhcp6_opts *o, struct dhcp6_reply *r)
{
	struct dhcp6_client c = { .arch = o->arch, .vendor_class = o->vendor_class,
				  .has_uuid = o->has_uuid, .iaid = (uint32_t)index };
	uint64_t end = net_now_ms() + o->timeout_ms;
	uint32_t xid;
	int fd, rc;

	memcpy(c.mac, mac, 6);
	memcpy(c.uuid, o->uuid, 16);
	if (getrandom(&xid, sizeof(xid), GRND_NONBLOCK) != sizeof(xid))
		xid = (uint32_t)net_now_ms();
	c.xid = xid & 0xffffff;
	fd = open_socket(index, name);
	if (fd < 0)
		return kx_fail(-fd, "net: %s: DHCPv6: socket: %s", name,
			       strerror(-fd));
	if (!o->stateful) {
		rc = exchange(fd, index, &c, DHCP6_INFORMATION_REQUEST, end, r,
			      name);
	} else {
		rc = exchange(fd, index, &c, DHCP6_SOLICIT, end, r, name);
		if (!rc && r->type == DHCP6_ADVERTISE) {
			/* RFC 8415 18.2.2: REQUEST what was advertised. */
			memcpy(c.server_id, r->server_id, r->server_id_len);
			c.server_id_len = r->server_id_len;
			c.addr = r->addr;
			c.xid = (c.xid + 1) & 0xffffff;
			rc = exchange(fd, index, &c, DHCP6_REQUEST, end, r, name);
		}
	}
	close(fd);
	if (rc)
		return kx_fail(-rc, "net: %s: DHCPv6: %s", name,
			       rc == -ETIMEDOUT ? "no answer" : strerror(-rc));
	if (r->status && r->status != DHCP6_SUCCESS)
		return kx_fail(EIO, "net: %s: DHCPv6: status %u%s%s", name,
			       r->status, r->status_msg[0] ? ": " : "",
			       r->status_msg);
	return 0;
}
