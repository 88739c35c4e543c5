/* kexshim: the network parameters of the shim's command line, checked:
 * kexshim.net=IFNAME|MAC (which interface), kexshim.ip=ADDR/PREFIX,
 * GATEWAY,DNS (a static address instead of DHCP; IPv4 or IPv6; gateway
 * and DNS may be empty), kexshim.netboot=first|last|only|off.  Pure:
 * strings in, structs out.  Runs in PID 1 before the interfaces come up. */
#ifndef KEXSHIM_NET_NETCONF_H
#define KEXSHIM_NET_NETCONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "net/dns_msg.h"

#define NETCONF_MAX_DNS 3

/* Which interfaces to bring up. */
struct net_select {
	bool any;                /* every interface with a link */
	bool by_mac;
	uint8_t mac[6];
	char ifname[IF_NAMESIZE];
};

/* A static address (kexshim.ip=). */
struct net_static {
	struct dns_addr addr;    /* family AF_INET or AF_INET6 */
	uint8_t prefix;
	bool has_gw;
	struct dns_addr gw;
	struct dns_addr dns[NETCONF_MAX_DNS];
	unsigned nr_dns;
};

/* "" selects every interface; "aa:bb:cc:dd:ee:ff" (or with '-') a MAC;
 * anything else an interface name.  Return: 0, or -EINVAL (kx_fail
 * "net: kexshim.net=...: reason"). */
int netconf_select(const char *s, struct net_select *sel);

/* ADDR/PREFIX[,GATEWAY[,DNS[,DNS...]]], one family throughout (a DNS
 * server may be of either).  Return: 0 or -EINVAL (kx_fail "net:
 * kexshim.ip=...: reason"). */
int netconf_static(const char *s, struct net_static *st);

/* Format an address for messages.  Return: buf. */
const char *netconf_addr_text(const struct dns_addr *a, char *buf,
			      size_t size);

#endif
