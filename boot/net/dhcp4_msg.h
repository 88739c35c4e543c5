/* kexshim: DHCPv4 messages (RFC 2131 on the BOOTP format of RFC 951, the
 * options of RFC 2132) as a network-boot client sends and reads them:
 * DISCOVER and REQUEST out; OFFER, ACK and NAK in, with the PXE and UEFI
 * HTTP Boot facts (RFC 4578 client architecture, options 66/67, PXELINUX's
 * 209/210 of RFC 5071, the "HTTPClient" vendor class), RFC 3396's long
 * options split over several instances, the file/sname overload (option
 * 52) and RFC 3442 classless routes.  Pure: bytes in, struct out; the
 * client that sends them over a packet socket is dhcp4.c. */
#ifndef KEXSHIM_NET_DHCP4_MSG_H
#define KEXSHIM_NET_DHCP4_MSG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP4_SERVER_PORT 67
#define DHCP4_CLIENT_PORT 68
/* RFC 2131 2: "a DHCP client must be prepared to receive ... options
 * field of at least length 312 octets"; 236 + 4 + 312. */
#define DHCP4_MIN_LEN 300
#define DHCP4_MAX_LEN 1472          /* what we accept (option 57) */
#define DHCP4_MAX_DNS 3
#define DHCP4_MAX_ROUTES 8
#define DHCP4_STR_MAX 256

/* RFC 2132 9.6 */
enum dhcp4_type {
	DHCPDISCOVER = 1,
	DHCPOFFER = 2,
	DHCPREQUEST = 3,
	DHCPDECLINE = 4,
	DHCPACK = 5,
	DHCPNAK = 6,
	DHCPRELEASE = 7,
	DHCPINFORM = 8,
};

/* What the client says about itself. */
struct dhcp4_client {
	uint8_t mac[6];
	uint32_t xid;
	uint16_t secs;               /* since the exchange began */
	uint16_t arch;               /* option 93 (RFC 4578; IANA "Processor
				      * Architecture Types": 16 x64 UEFI HTTP,
				      * 19 arm64 UEFI HTTP) */
	const char *vendor_class;    /* option 60, e.g.
				      * "HTTPClient:Arch:00016:UNDI:003016" */
	bool has_uuid;
	uint8_t uuid[16];            /* option 97 type 0 (RFC 4578 2.5) */
	/* REQUEST only (RFC 2131 4.3.2, SELECTING): */
	struct in_addr requested;    /* option 50 */
	struct in_addr server_id;    /* option 54 */
};

struct dhcp4_route {
	struct in_addr dst;
	uint8_t prefix;
	struct in_addr gw;
};

/* What a server said. */
struct dhcp4_lease {
	enum dhcp4_type type;
	struct in_addr yiaddr;       /* "your" address */
	struct in_addr siaddr;       /* next server (BOOTP's TFTP server) */
	struct in_addr server_id;    /* option 54 */
	struct in_addr mask;         /* option 1 (or the class default) */
	uint8_t prefix;              /* from mask */
	struct in_addr router;       /* option 3, first; 0 = none */
	struct in_addr broadcast;    /* option 28 */
	struct in_addr dns[DHCP4_MAX_DNS];
	unsigned nr_dns;
	struct dhcp4_route routes[DHCP4_MAX_ROUTES]; /* option 121 */
	unsigned nr_routes;
	uint32_t lease_secs;         /* option 51; 0 = not given */
	uint16_t mtu;                /* option 26; 0 = not given */
	char domain[DHCP4_STR_MAX];  /* option 15 */
	char tftp_server[DHCP4_STR_MAX]; /* option 66, else sname */
	char bootfile[DHCP4_STR_MAX];    /* option 67, else file */
	char pxe_config[DHCP4_STR_MAX];  /* option 209 (RFC 5071) */
	char pxe_prefix[DHCP4_STR_MAX];  /* option 210 (RFC 5071) */
	char vendor_class[DHCP4_STR_MAX];/* option 60 the server echoes:
					  * "HTTPClient" for UEFI HTTP Boot */
	char message[DHCP4_STR_MAX];     /* option 56 (a NAK's reason) */
};

struct warnings;

/* Write a DISCOVER or REQUEST from c into buf (at least DHCP4_MIN_LEN).
 * Return: its length, or 0 when size is too small. */
size_t dhcp4_build(enum dhcp4_type type, const struct dhcp4_client *c,
		   uint8_t *buf, size_t size);

/* Read a server's reply to c.  Options that are malformed are warnings
 * in w and left out; strings with control characters are dropped.
 * Return: 0 with *l filled, -ENOMSG when it is not a BOOTREPLY for c (op,
 * hardware type, xid, chaddr, magic cookie, no message type), -EBADMSG
 * when it is too short. */
int dhcp4_parse(const uint8_t *buf, size_t len, const struct dhcp4_client *c,
		struct dhcp4_lease *l, struct warnings *w);

/* Return: true when the lease names something to boot (a bootfile, or
 * PXELINUX's option 209). */
bool dhcp4_has_boot_info(const struct dhcp4_lease *l);

/* Return: the prefix length of a contiguous netmask, or -1. */
int dhcp4_mask_prefix(struct in_addr mask);

#endif
