/* kexshim: the DHCPv6 client of network boot (RFC 8415), used when a
 * router advertisement says so: "managed" (M) asks for an address
 * (SOLICIT with Rapid Commit, else ADVERTISE -> REQUEST -> REPLY) along
 * with the options, "other configuration" (O) asks for the options alone
 * (INFORMATION-REQUEST): DNS servers and the boot file URL (RFC 5970).
 * Addresses themselves come from SLAAC, which the kernel does.  Runs in
 * PID 1 once the link-local address is usable. */
#ifndef KEXSHIM_NET_DHCP6_H
#define KEXSHIM_NET_DHCP6_H

#include <stdbool.h>

#include "net/dhcp6_msg.h"

struct dhcp6_opts {
	uint16_t arch;
	const char *vendor_class;
	bool has_uuid;
	uint8_t uuid[16];
	bool stateful;             /* ask for an address (RA's M flag) */
	unsigned timeout_ms;
};

/* Ask on link index (named name, MAC mac).  Return: 0 with *r, or -errno
 * (kx_fail "net: NAME: DHCPv6: ..."). */
int dhcp6_run(int index, const char *name, const uint8_t mac[6],
	      const struct dhcp6_opts *o, struct dhcp6_reply *r);

#endif
