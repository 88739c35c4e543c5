/* kexshim: what the layers above (boot/init/, boot/cli/) ask of
 * boot/net/: bring the network up from the kexshim.* parameters and say
 * how it went (ifup.c); the network's boot entries and their files are
 * netboot.h's, a single fetch fetch.h's. */
#ifndef KEXSHIM_NET_NET_H
#define KEXSHIM_NET_NET_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/guid.h"
#include "net/dhcp4_msg.h"
#include "net/dhcp6_msg.h"
#include "net/netconf.h"

#define NET_DEFAULT_TIMEOUT_S 20

struct kcmdline;

/* The kexshim.* parameters of the network, checked. */
struct net_params {
	struct net_select sel;      /* kexshim.net= */
	bool has_static;            /* kexshim.ip= */
	struct net_static st;
	unsigned timeout_ms;        /* kexshim.net_timeout= (carrier + DHCP) */
	bool url_v6;                /* kexshim.url= names an IPv6 address */
};

/* What bring-up achieved on the interface it chose. */
struct net_info {
	int index;
	char ifname[IF_NAMESIZE];
	uint8_t mac[6];
	char uuid[GUID_TEXT_LEN];   /* the machine's (DMI), "" if unknown */
	bool has_v4;
	struct in_addr v4;
	uint8_t v4_prefix;
	bool has_lease;             /* lease holds the DHCPv4 ACK */
	struct dhcp4_lease lease;
	bool has_v6;                /* a global IPv6 address (SLAAC/DHCPv6) */
	struct in6_addr v6;
	bool has_dhcp6;             /* dhcp6 holds the DHCPv6 reply */
	struct dhcp6_reply dhcp6;
};

/* kc's network parameters into p; a bad one is warned about and left at
 * its default (PID 1 boots on).  Return: the number of warnings. */
int net_params_from(const struct kcmdline *kc, struct net_params *p);

/* Bring the network up: the selected interfaces (every Ethernet with a
 * carrier, or kexshim.net='s) up, IPv6 router advertisements accepted
 * (SLAAC by the kernel), then kexshim.ip='s static address or DHCPv4 on
 * all of them at once, the winner's address, routes and DNS servers set;
 * DHCPv6 when a router advertisement asks for it.  The router is waited
 * for only when IPv6 may be needed (no IPv4 address, DHCP is to say what
 * to boot, or kexshim.url= names an IPv6 address); otherwise IPv6 counts
 * only if its advertisement is already in.  One line per fact on
 * the console ("net: eth0: 10.0.2.15/24 via 10.0.2.2 (DHCP from
 * 10.0.2.2)").  want_boot_info: prefer a DHCP lease that names a boot
 * file.  Return: 0 with *info, or -errno (kx_fail "net: ..."). */
int net_up(const struct net_params *p, bool want_boot_info,
	   struct net_info *info);

/* UEFI HTTP Boot's client architecture for option 93 / DHCPv6 option 61
 * (IANA "Processor Architecture Types": 16 x64, 19 arm64) and the
 * vendor class "HTTPClient:Arch:000NN:UNDI:003016" of this build.
 * Return: the number. */
uint16_t net_client_arch(char *vendor_class, size_t size);

#endif
