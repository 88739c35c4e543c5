/* kexshim: the DHCPv4 client of network boot (RFC 2131's INIT ->
 * SELECTING -> REQUESTING -> BOUND, on every candidate interface at
 * once).  Our own, over an AF_PACKET socket, rather than busybox's udhcpc:
 * an interface without an address cannot receive the unicast OFFER most
 * servers send, a packet socket hears it (udhcpc does the same), and the
 * lease comes back as a struct with the boot options (66, 67, 209, 210,
 * the HTTPClient vendor class) instead of environment variables for a
 * script, in PID 1 itself, with no busybox binary in the initramfs.
 * Not done: renewing the lease (the shim lives seconds; the target runs
 * its own client), the ARP probe of RFC 5227, ProxyDHCP.  Runs in PID 1. */
#ifndef KEXSHIM_NET_DHCP4_H
#define KEXSHIM_NET_DHCP4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/dhcp4_msg.h"

struct dhcp4_iface {
	int index;
	char name[16];
	uint8_t mac[6];
};

struct dhcp4_opts {
	uint16_t arch;             /* option 93 */
	const char *vendor_class;  /* option 60 */
	bool has_uuid;
	uint8_t uuid[16];          /* option 97 */
	unsigned timeout_ms;       /* give up after this */
	bool want_boot_info;       /* wait (a little) for a lease with a
				    * boot file over one without */
};

/* Ask on every interface of ifs[0..n) at once.  Retransmission doubles
 * from 2 s (RFC 2131 4.1 says 4 s: a boot waits), with a random half
 * second either way.  Return: the index into ifs of the lease chosen,
 * *lease its ACK, or -errno (kx_fail "net: DHCP: no answer ..."). */
int dhcp4_acquire(const struct dhcp4_iface *ifs, size_t n,
		  const struct dhcp4_opts *o, struct dhcp4_lease *lease);

#endif
