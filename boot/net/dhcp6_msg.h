/* kexshim: DHCPv6 messages (RFC 8415) as a network-boot client uses them:
 * SOLICIT (with Rapid Commit), REQUEST and INFORMATION-REQUEST out;
 * ADVERTISE and REPLY in, read for an IA_NA address, the DNS servers and
 * domain list (RFC 3646) and the boot file URL and parameters (RFC 5970),
 * the client architecture of RFC 5970 and UEFI HTTP Boot's vendor class
 * sent along.  Pure: bytes in, struct out; dhcp6.c sends them. */
#ifndef KEXSHIM_NET_DHCP6_MSG_H
#define KEXSHIM_NET_DHCP6_MSG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547
#define DHCP6_MAX_DNS 3
#define DHCP6_DUID_MAX 130           /* RFC 8415 11.1: at most 128 + type */
#define DHCP6_URL_MAX 1024

/* RFC 8415 7.3 */
enum dhcp6_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_REPLY = 7,
	DHCP6_INFORMATION_REQUEST = 11,
};

/* RFC 8415 21.13 status codes. */
enum {
	DHCP6_SUCCESS = 0,
	DHCP6_NO_ADDRS_AVAIL = 2,
	DHCP6_USE_MULTICAST = 5,
};

struct dhcp6_client {
	uint8_t mac[6];
	uint32_t xid;                /* 24 bits */
	uint16_t elapsed_cs;         /* hundredths of a second */
	uint16_t arch;               /* RFC 5970 option 61 (see dhcp4) */
	const char *vendor_class;    /* RFC 8415 option 16 data */
	bool has_uuid;               /* DUID-UUID (RFC 6355), else DUID-LL */
	uint8_t uuid[16];
	uint32_t iaid;
	/* REQUEST: the ADVERTISE's server and address. */
	uint8_t server_id[DHCP6_DUID_MAX];
	size_t server_id_len;
	struct in6_addr addr;
};

struct dhcp6_reply {
	enum dhcp6_type type;
	uint8_t server_id[DHCP6_DUID_MAX];
	size_t server_id_len;
	uint16_t status;             /* top-level status (0 when absent) */
	char status_msg[128];
	bool rapid_commit;
	bool has_addr;               /* an IAADDR in our IA_NA */
	struct in6_addr addr;
	uint32_t preferred, valid;   /* seconds */
	uint16_t ia_status;          /* the IA_NA's status (0 when absent) */
	uint8_t preference;          /* option 7 (ADVERTISE) */
	struct in6_addr dns[DHCP6_MAX_DNS];
	unsigned nr_dns;
	char domain[256];            /* the first of the domain list */
	char bootfile_url[DHCP6_URL_MAX];   /* option 59 */
	char bootfile_param[DHCP6_URL_MAX]; /* option 60, joined by spaces */
};

struct warnings;

/* Write a SOLICIT, REQUEST or INFORMATION-REQUEST from c into buf.
 * Return: its length, or 0 when size is too small. */
size_t dhcp6_build(enum dhcp6_type type, const struct dhcp6_client *c,
		   uint8_t *buf, size_t size);

/* Read an ADVERTISE or REPLY to c: transaction ID and client ID must be
 * ours; server_id_len is 0 when it has no server ID (fine for a stateless
 * REPLY, not for a stateful exchange).  Malformed options are warnings.
 * Return: 0 with *r, -ENOMSG when it is not for c, -EBADMSG when short. */
int dhcp6_parse(const uint8_t *buf, size_t len, const struct dhcp6_client *c,
		struct dhcp6_reply *r, struct warnings *w);

/* The client's DUID (DUID-UUID or DUID-LL) into out.  Return: its length. */
size_t dhcp6_duid(const struct dhcp6_client *c, uint8_t out[DHCP6_DUID_MAX]);

#endif
