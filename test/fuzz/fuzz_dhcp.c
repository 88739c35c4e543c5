/* fuzz: the DHCP messages a network-boot client reads from the wire.  The
 * first byte picks: even, a DHCPv4 reply (dhcp4_parse, also through the
 * IPv4/UDP frame of ipudp_parse); odd, a DHCPv6 reply (dhcp6_parse).  The
 * xid/MAC (v4) or xid/client ID (v6) are patched to the client's so the
 * fuzzer gets past "not for us".  Checks dhcp4_msg.h's and dhcp6_msg.h's
 * promises: strings are NUL-terminated, printable and within their
 * buffers; counts within their arrays; the prefix matches the mask;
 * warnings come from dhcp. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/warn.h"
#include "net/dhcp4_msg.h"
#include "net/dhcp6_msg.h"
#include "net/ipudp.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s, size_t size)
{
	size_t n = strnlen(s, size), i;

	CHECK(n < size);
	for (i = 0; i < n; i++)
		CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
}

static void v4(const uint8_t *data, size_t size)
{
	struct dhcp4_client c = { .xid = 0x11223344, .mac = { 2, 0, 0, 0, 0, 1 } };
	static uint8_t buf[4096];
	struct dhcp4_lease l;
	struct warnings w = { 0 };
	struct ipudp h;
	const uint8_t *p;
	size_t n = size < sizeof(buf) ? size : sizeof(buf), pl, i;

	memcpy(buf, data, n);
	if (n >= 34) {
		memcpy(buf + 4, "\x11\x22\x33\x44", 4);
		memcpy(buf + 28, c.mac, 6);
	}
	if (!dhcp4_parse(buf, n, &c, &l, &w)) {
		CHECK(l.type == DHCPOFFER || l.type == DHCPACK || l.type == DHCPNAK);
		CHECK(l.nr_dns <= DHCP4_MAX_DNS && l.nr_routes <= DHCP4_MAX_ROUTES);
		check_str(l.domain, sizeof(l.domain));
		check_str(l.tftp_server, sizeof(l.tftp_server));
		check_str(l.bootfile, sizeof(l.bootfile));
		check_str(l.pxe_config, sizeof(l.pxe_config));
		check_str(l.pxe_prefix, sizeof(l.pxe_prefix));
		check_str(l.vendor_class, sizeof(l.vendor_class));
		check_str(l.message, sizeof(l.message));
		if (l.type != DHCPNAK) {
			CHECK(l.prefix <= 32);
			CHECK(dhcp4_mask_prefix(l.mask) == l.prefix);
		}
		for (i = 0; i < l.nr_routes; i++)
			CHECK(l.routes[i].prefix <= 32);
		if (l.nr_routes)
			CHECK(!l.router.s_addr);
	}
	for (i = 0; i < w.n; i++)
		CHECK(!strncmp(w.msg[i], "dhcp: ", 6));
	if (!ipudp_parse(data, size, false, &h, &p, &pl))
		CHECK(p >= data && p + pl <= data + size);
	ipudp_parse(data, size, true, &h, &p, &pl);
}

static void v6(const uint8_t *data, size_t size)
{
	struct dhcp6_client c = { .xid = 0xabcdef, .iaid = 1,
				  .mac = { 2, 0, 0, 0, 0, 1 } };
	static uint8_t buf[4096];
	uint8_t duid[DHCP6_DUID_MAX];
	size_t dl = dhcp6_duid(&c, duid), n, i;
	struct dhcp6_reply r;
	struct warnings w = { 0 };

	/* Our client ID up front, so the rest is what the fuzzer reads. */
	if (size < 4)
		return;
	memcpy(buf, data, 4);
	buf[1] = 0xab;
	buf[2] = 0xcd;
	buf[3] = 0xef;
	buf[4] = 0;
	buf[5] = 1;
	buf[6] = 0;
	buf[7] = (uint8_t)dl;
	memcpy(buf + 8, duid, dl);
	n = size - 4 < sizeof(buf) - 8 - dl ? size - 4 : sizeof(buf) - 8 - dl;
	memcpy(buf + 8 + dl, data + 4, n);
	if (!dhcp6_parse(buf, 8 + dl + n, &c, &r, &w)) {
		CHECK(r.type == DHCP6_ADVERTISE || r.type == DHCP6_REPLY);
		CHECK(r.server_id_len <= DHCP6_DUID_MAX);
		CHECK(r.nr_dns <= DHCP6_MAX_DNS);
		check_str(r.domain, sizeof(r.domain));
		check_str(r.bootfile_url, sizeof(r.bootfile_url));
		check_str(r.bootfile_param, sizeof(r.bootfile_param));
		check_str(r.status_msg, sizeof(r.status_msg));
		if (r.has_addr)
			CHECK(r.preferred <= r.valid && r.valid);
	}
	for (i = 0; i < w.n; i++)
		CHECK(!strncmp(w.msg[i], "dhcp6: ", 7));
	dhcp6_parse(data, size, &c, &r, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		v6(data + 1, size - 1);
	else
		v4(data + 1, size - 1);
	return 0;
}
