/* kexshim: rtnetlink requests (see rtnl.h).  One socket per request: PID 1
 * makes a dozen of them in a boot. */
#include <errno.h>
#include <linux/if_addr.h>
#include <net/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/error.h"
#include "net/netconf.h"
#include "net/rtnl.h"

#define BUF 16384

/* IFLA_INET6_FLAGS' bits (include/net/if_inet6.h, not in the uapi). */
#ifndef IF_RA_OTHERCONF
#define IF_RA_OTHERCONF 0x80
#define IF_RA_MANAGED 0x40
#define IF_RA_RCVD 0x20
#endif

struct req {
	struct nlmsghdr n;
	union {
		struct ifinfomsg ifi;
		struct ifaddrmsg ifa;
		struct rtmsg rtm;
	};
	char attrs[256];
};

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

static void attr(struct req *r, unsigned short type, const void *data,
		 size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->n.nlmsg_len));

	if (NLMSG_ALIGN(r->n.nlmsg_len) + RTA_SPACE(len) > sizeof(*r))
		return; /* never: the largest request has three addresses */
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Send r and wait for its ack.  Return: 0 or the kernel's -errno. */
static int talk(struct req *r)
{
	char buf[BUF];
	int fd = nl_open(), rc = -EIO;
	ssize_t n;

	if (fd < 0)
		return fd;
	r->n.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	r->n.nlmsg_seq = 1;
	if (send(fd, r, r->n.nlmsg_len, 0) < 0) {
		rc = -errno;
		goto out;
	}
	for (;;) {
		struct nlmsghdr *h;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				rc = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				goto out;
			}
		}
	}
out:
	close(fd);
	return rc;
}

/* A dump request; fn sees each message.  Return: 0 or -errno. */
static int dump(struct req *r, int (*fn)(struct nlmsghdr *h, void *ctx),
		void *ctx)
{
	static char buf[BUF];
	int fd = nl_open(), rc = 0;
	bool done = false;

	if (fd < 0)
		return fd;
	r->n.nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
	r->n.nlmsg_seq = 1;
	if (send(fd, r, r->n.nlmsg_len, 0) < 0) {
		rc = -errno;
		goto out;
	}
	while (!done && !rc) {
		struct nlmsghdr *h;
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = true;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				rc = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				break;
			}
			rc = fn(h, ctx);
			if (rc)
				break;
		}
	}
out:
	close(fd);
	return rc;
}

struct links_ctx {
	struct rtnl_link *out;
	size_t max, n;
};

static int one_link(struct nlmsghdr *h, void *p)
{
	struct links_ctx *c = p;
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct rtattr *a = IFLA_RTA(ifi);
	int len = (int)IFLA_PAYLOAD(h);
	struct rtnl_link *l;

	if (h->nlmsg_type != RTM_NEWLINK || c->n == c->max)
		return 0;
	l = &c->out[c->n++];
	memset(l, 0, sizeof(*l));
	l->index = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_IFNAME)
			snprintf(l->name, sizeof(l->name), "%.*s",
				 (int)RTA_PAYLOAD(a), (char *)RTA_DATA(a));
		else if (a->rta_type == IFLA_ADDRESS && RTA_PAYLOAD(a) == 6) {
			memcpy(l->mac, RTA_DATA(a), 6);
			l->ether = ifi->ifi_type == ARPHRD_ETHER;
		}
	}
	return 0;
}

int rtnl_links(struct rtnl_link *out, size_t max, size_t *n)
{
	struct req r = { .n = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
				.nlmsg_type = RTM_GETLINK } };
	struct links_ctx c = { .out = out, .max = max };
	int rc;

	r.ifi.ifi_family = AF_UNSPEC;
	rc = dump(&r, one_link, &c);
	*n = c.n;
	if (rc)
		return kx_fail(-rc, "net: listing interfaces: %s", strerror(-rc));
	return 0;
}

int rtnl_link_up(int index, const char *name)
{
	struct req r = { .n = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
				.nlmsg_type = RTM_NEWLINK } };
	int rc;

	r.ifi.ifi_family = AF_UNSPEC;
	r.ifi.ifi_index = index;
	r.ifi.ifi_flags = IFF_UP;
	r.ifi.ifi_change = IFF_UP;
	rc = talk(&r);
	if (rc)
		return kx_fail(-rc, "net: %s: bringing it up: %s", name,
			       strerror(-rc));
	return 0;
}

int rtnl_addr_add(int index, const char *name, const struct dns_addr *a,
		  uint8_t prefix)
{
	struct req r = { .n = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
				.nlmsg_type = RTM_NEWADDR,
				.nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE } };
	size_t alen = a->family == AF_INET ? 4 : 16;
	const void *p = a->family == AF_INET ? (const void *)&a->v4 :
			(const void *)&a->v6;
	char text[64];
	int rc;

	r.ifa.ifa_family = (unsigned char)a->family;
	r.ifa.ifa_prefixlen = prefix;
	r.ifa.ifa_index = (unsigned)index;
	attr(&r, IFA_LOCAL, p, alen);
	attr(&r, IFA_ADDRESS, p, alen);
	if (a->family == AF_INET && prefix < 31) {
		uint32_t brd = a->v4.s_addr | htonl(prefix ? 0xffffffffu >> prefix :
						    0xffffffffu);

		attr(&r, IFA_BROADCAST, &brd, 4);
	}
	rc = talk(&r);
	if (rc && rc != -EEXIST)
		return kx_fail(-rc, "net: %s: adding %s/%u: %s", name,
			       netconf_addr_text(a, text, sizeof(text)), prefix,
			       strerror(-rc));
	return 0;
}

int rtnl_route_add(int index, const char *name, int family,
		   const struct dns_addr *dst, uint8_t prefix,
		   const struct dns_addr *gw)
{
	struct req r = { .n = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg)),
				.nlmsg_type = RTM_NEWROUTE,
				.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL } };
	size_t alen = family == AF_INET ? 4 : 16;
	uint32_t oif = (uint32_t)index;
	char t1[64] = "default", t2[64] = "";
	int rc;

	r.rtm.rtm_family = (unsigned char)family;
	r.rtm.rtm_table = RT_TABLE_MAIN;
	r.rtm.rtm_protocol = RTPROT_DHCP;
	r.rtm.rtm_type = RTN_UNICAST;
	r.rtm.rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	r.rtm.rtm_dst_len = dst ? prefix : 0;
	if (dst)
		attr(&r, RTA_DST, family == AF_INET ? (const void *)&dst->v4 :
		     (const void *)&dst->v6, alen);
	if (gw)
		attr(&r, RTA_GATEWAY, family == AF_INET ? (const void *)&gw->v4 :
		     (const void *)&gw->v6, alen);
	attr(&r, RTA_OIF, &oif, 4);
	rc = talk(&r);
	if (rc && rc != -EEXIST) {
		if (dst)
			netconf_addr_text(dst, t1, sizeof(t1));
		if (gw)
			netconf_addr_text(gw, t2, sizeof(t2));
		return kx_fail(-rc, "net: %s: route to %s/%u%s%s: %s", name, t1,
			       dst ? prefix : 0, gw ? " via " : "", t2,
			       strerror(-rc));
	}
	return 0;
}

struct addrs_ctx {
	int index, family;
	struct rtnl_addr *out;
	size_t max, n;
};

static int one_addr(struct nlmsghdr *h, void *p)
{
	struct addrs_ctx *c = p;
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	struct rtattr *a = IFA_RTA(ifa);
	int len = (int)IFA_PAYLOAD(h);
	struct rtnl_addr *o;

	if (h->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != c->index ||
	    ifa->ifa_family != c->family || c->n == c->max)
		return 0;
	o = &c->out[c->n];
	memset(o, 0, sizeof(*o));
	o->prefix = ifa->ifa_prefixlen;
	o->scope = ifa->ifa_scope;
	o->flags = ifa->ifa_flags;
	o->addr.family = c->family;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFA_ADDRESS &&
		    RTA_PAYLOAD(a) == (c->family == AF_INET ? 4u : 16u))
			memcpy(c->family == AF_INET ? (void *)&o->addr.v4 :
			       (void *)&o->addr.v6, RTA_DATA(a), RTA_PAYLOAD(a));
		else if (a->rta_type == IFA_FLAGS && RTA_PAYLOAD(a) == 4)
			memcpy(&o->flags, RTA_DATA(a), 4);
	}
	c->n++;
	return 0;
}

int rtnl_addrs(int index, int family, struct rtnl_addr *out, size_t max,
	       size_t *n)
{
	struct req r = { .n = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
				.nlmsg_type = RTM_GETADDR } };
	struct addrs_ctx c = { .index = index, .family = family, .out = out,
			       .max = max };
	int rc;

	r.ifa.ifa_family = (unsigned char)family;
	rc = dump(&r, one_addr, &c);
	*n = c.n;
	return rc;
}

struct flags_ctx {
	int index;
	uint32_t flags;
	bool found;
};

static int one_flags(struct nlmsghdr *h, void *p)
{
	struct flags_ctx *c = p;
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct rtattr *a = IFLA_RTA(ifi);
	int len = (int)IFLA_PAYLOAD(h);

	if (h->nlmsg_type != RTM_NEWLINK || ifi->ifi_index != c->index)
		return 0;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		struct rtattr *b;
		int blen;

		if (a->rta_type != IFLA_PROTINFO)
			continue;
		b = RTA_DATA(a);
		blen = (int)RTA_PAYLOAD(a);
		for (; RTA_OK(b, blen); b = RTA_NEXT(b, blen))
			if (b->rta_type == IFLA_INET6_FLAGS &&
			    RTA_PAYLOAD(b) == 4) {
				memcpy(&c->flags, RTA_DATA(b), 4);
				c->found = true;
			}
	}
	return 0;
}

int rtnl_inet6_flags(int index, uint32_t *flags)
{
	struct req r = { .n = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
				.nlmsg_type = RTM_GETLINK } };
	struct flags_ctx c = { .index = index };
	int rc;

	/* An AF_INET6 link dump carries IFLA_PROTINFO with the flags. */
	r.ifi.ifi_family = AF_INET6;
	rc = dump(&r, one_flags, &c);
	*flags = c.flags;
	if (!rc && !c.found)
		rc = -ENOENT;
	return rc;
}
