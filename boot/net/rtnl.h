/* kexshim: interfaces, addresses and routes through rtnetlink (the kernel's
 * NETLINK_ROUTE, rtnetlink(7)): list links with their state and MAC, bring
 * one up, add an address or a route, list a link's addresses (IPv6 SLAAC
 * is the kernel's; we watch it), read a link's IPv6 router-advertisement
 * flags (M, O).  Runs in PID 1 only, on the shim's own network. */
#ifndef KEXSHIM_NET_RTNL_H
#define KEXSHIM_NET_RTNL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/dns_msg.h"

/* The carrier bit of linux/if.h, which <net/if.h> lacks (and the two
 * cannot be included together). */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

#define RTNL_MAX_LINKS 16
#define RTNL_MAX_ADDRS 16

struct rtnl_link {
	int index;
	char name[IF_NAMESIZE];
	uint8_t mac[6];
	bool ether;              /* ARPHRD_ETHER with a 6-byte address */
	unsigned flags;          /* IFF_UP, IFF_LOWER_UP, IFF_LOOPBACK, ... */
};

struct rtnl_addr {
	struct dns_addr addr;
	uint8_t prefix;
	uint8_t scope;           /* RT_SCOPE_UNIVERSE, RT_SCOPE_LINK, ... */
	uint32_t flags;          /* IFA_F_TENTATIVE, IFA_F_DADFAILED, ... */
};

/* Every link.  Return: 0 with *n (at most max), or -errno (kx_fail). */
int rtnl_links(struct rtnl_link *out, size_t max, size_t *n);

/* Set IFF_UP on link index.  Return: 0 or -errno (kx_fail). */
int rtnl_link_up(int index, const char *name);

/* Add a/prefix on link index (IPv4: with the broadcast address).  An
 * address already there is no error.  Return: 0 or -errno (kx_fail). */
int rtnl_addr_add(int index, const char *name, const struct dns_addr *a,
		  uint8_t prefix);

/* A route to dst/prefix (dst NULL: the default route) via gw (NULL: on
 * the link) out of link index.  One already there is no error.
 * Return: 0 or -errno (kx_fail). */
int rtnl_route_add(int index, const char *name, int family,
		   const struct dns_addr *dst, uint8_t prefix,
		   const struct dns_addr *gw);

/* The addresses of family on link index.  Return: 0 with *n, -errno. */
int rtnl_addrs(int index, int family, struct rtnl_addr *out, size_t max,
	       size_t *n);

/* The link's IFLA_INET6_FLAGS (IF_RA_RCVD, IF_RA_MANAGED,
 * IF_RA_OTHERCONF).  Return: 0 or -errno. */
int rtnl_inet6_flags(int index, uint32_t *flags);

#endif
