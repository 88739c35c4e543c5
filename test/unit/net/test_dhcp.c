/*
 * test/unit/net/test_dhcp.c: host tests of the DHCP messages:
 * boot/net/dhcp4_msg.c (DISCOVER/REQUEST as a PXE/HTTP Boot client sends
 * them; OFFER/ACK/NAK with options 1, 3, 6, 15, 51, 54, 60, 66, 67, 121,
 * 209, 210, the sname/file fields, option 52 overload, RFC 3396 split
 * options, and malformed ones), boot/net/dhcp6_msg.c (SOLICIT/REQUEST/
 * INFORMATION-REQUEST; ADVERTISE/REPLY with IA_NA, DNS, domain list, boot
 * file URL and parameters; replies that are not ours) and
 * boot/net/ipudp.c (the IPv4/UDP frame around DHCPv4).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/warn.h"
#include "net/dhcp4_msg.h"
#include "net/dhcp6_msg.h"
#include "net/ipudp.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static struct dhcp4_client client4(void)
{
	struct dhcp4_client c = { .xid = 0x11223344, .arch = 16,
				  .vendor_class = "HTTPClient:Arch:00016:UNDI:003016" };

	memcpy(c.mac, mac, 6);
	return c;
}

/* Find option code in a built message.  Return: its data or NULL. */
static const uint8_t *find4(const uint8_t *m, size_t n, uint8_t code,
			    size_t *len)
{
	size_t o = 240;

	while (o < n && m[o] != 255) {
		if (m[o] == 0) {
			o++;
			continue;
		}
		if (m[o] == code) {
			*len = m[o + 1];
			return m + o + 2;
		}
		o += 2 + m[o + 1];
	}
	return NULL;
}

static void test_build_discover_request(void **state)
{
	struct dhcp4_client c = client4();
	uint8_t m[DHCP4_MAX_LEN];
	const uint8_t *o;
	size_t n, len, i;
	bool has66 = false, has67 = false, has209 = false, has210 = false;

	c.has_uuid = true;
	memset(c.uuid, 0xab, 16);
	n = dhcp4_build(DHCPDISCOVER, &c, m, sizeof(m));
	assert_true(n >= DHCP4_MIN_LEN);
	assert_int_equal(m[0], 1);     /* BOOTREQUEST */
	assert_int_equal(m[1], 1);     /* Ethernet */
	assert_int_equal(m[2], 6);
	assert_memory_equal(m + 4, "\x11\x22\x33\x44", 4);
	assert_memory_equal(m + 28, mac, 6);
	assert_memory_equal(m + 236, "\x63\x82\x53\x63", 4);
	o = find4(m, n, 53, &len);
	assert_non_null(o);
	assert_int_equal(len, 1);
	assert_int_equal(o[0], DHCPDISCOVER);
	o = find4(m, n, 55, &len);
	assert_non_null(o);
	for (i = 0; i < len; i++) {
		has66 |= o[i] == 66;
		has67 |= o[i] == 67;
		has209 |= o[i] == 209;
		has210 |= o[i] == 210;
	}
	assert_true(has66 && has67 && has209 && has210);
	o = find4(m, n, 60, &len);
	assert_non_null(o);
	assert_int_equal(len, strlen(c.vendor_class));
	assert_memory_equal(o, "HTTPClient", 10);
	o = find4(m, n, 93, &len);
	assert_non_null(o);
	assert_int_equal(len, 2);
	assert_int_equal(o[0] << 8 | o[1], 16);
	o = find4(m, n, 97, &len);
	assert_non_null(o);
	assert_int_equal(len, 17);
	assert_int_equal(o[0], 0);
	assert_null(find4(m, n, 50, &len));

	inet_pton(AF_INET, "10.0.2.15", &c.requested);
	inet_pton(AF_INET, "10.0.2.2", &c.server_id);
	n = dhcp4_build(DHCPREQUEST, &c, m, sizeof(m));
	o = find4(m, n, 50, &len);
	assert_non_null(o);
	assert_memory_equal(o, "\x0a\x00\x02\x0f", 4);
	o = find4(m, n, 54, &len);
	assert_non_null(o);
	assert_memory_equal(o, "\x0a\x00\x02\x02", 4);
	assert_int_equal(dhcp4_build(DHCPDISCOVER, &c, m, 100), 0);
}

/* A BOOTREPLY for client4() with the options in opts[0..n). */
static size_t reply4(uint8_t *m, const uint8_t *opts, size_t n)
{
	memset(m, 0, 576);
	m[0] = 2;
	m[1] = 1;
	m[2] = 6;
	memcpy(m + 4, "\x11\x22\x33\x44", 4);
	memcpy(m + 16, "\x0a\x00\x02\x0f", 4);  /* yiaddr 10.0.2.15 */
	memcpy(m + 20, "\x0a\x00\x02\x02", 4);  /* siaddr */
	memcpy(m + 28, mac, 6);
	memcpy(m + 236, "\x63\x82\x53\x63", 4);
	memcpy(m + 240, opts, n);
	return 240 + n;
}

static void test_parse_offer(void **state)
{
	static const uint8_t opts[] = {
		53, 1, 2,
		54, 4, 10, 0, 2, 2,
		1, 4, 255, 255, 255, 0,
		3, 8, 10, 0, 2, 2, 10, 0, 2, 1,
		6, 16, 10, 0, 2, 3, 1, 1, 1, 1, 8, 8, 8, 8, 9, 9, 9, 9,
		15, 8, 'l', 'a', 'b', '.', 't', 'e', 's', 't',
		51, 4, 0, 0, 0x0e, 0x10,
		60, 10, 'H', 'T', 'T', 'P', 'C', 'l', 'i', 'e', 'n', 't',
		66, 8, '1', '0', '.', '0', '.', '2', '.', '9',
		67, 4, 'b', 'o', 'o', 't',
		/* RFC 3396: the rest of option 67 in a second instance. */
		67, 4, '.', 'e', 'f', 'i',
		209, 7, 'm', 'y', '.', 'c', 'f', 'g', 0,
		210, 6, '/', 'p', 'x', 'e', '/', 0,
		255,
	};
	struct dhcp4_client c = client4();
	struct dhcp4_lease l;
	struct warnings w = { 0 };
	uint8_t m[600];
	size_t n = reply4(m, opts, sizeof(opts));
	char a[32];

	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), 0);
	assert_int_equal(warn_count(&w), 0);
	assert_int_equal(l.type, DHCPOFFER);
	assert_string_equal(inet_ntop(AF_INET, &l.yiaddr, a, sizeof(a)), "10.0.2.15");
	assert_string_equal(inet_ntop(AF_INET, &l.siaddr, a, sizeof(a)), "10.0.2.2");
	assert_string_equal(inet_ntop(AF_INET, &l.server_id, a, sizeof(a)), "10.0.2.2");
	assert_int_equal(l.prefix, 24);
	assert_string_equal(inet_ntop(AF_INET, &l.router, a, sizeof(a)), "10.0.2.2");
	assert_int_equal(l.nr_dns, 3); /* four given, three kept */
	assert_string_equal(inet_ntop(AF_INET, &l.dns[2], a, sizeof(a)), "8.8.8.8");
	assert_string_equal(l.domain, "lab.test");
	assert_int_equal(l.lease_secs, 3600);
	assert_string_equal(l.vendor_class, "HTTPClient");
	assert_string_equal(l.tftp_server, "10.0.2.9");
	assert_string_equal(l.bootfile, "boot.efi");
	assert_string_equal(l.pxe_config, "my.cfg");
	assert_string_equal(l.pxe_prefix, "/pxe/");
	assert_true(dhcp4_has_boot_info(&l));
}

static void test_fields_and_overload(void **state)
{
	struct dhcp4_client c = client4();
	struct dhcp4_lease l;
	struct warnings w = { 0 };
	uint8_t m[600];
	size_t n;

	/* No 66/67: the sname and file fields, no mask: the class's. */
	static const uint8_t plain[] = { 53, 1, 5, 255 };
	n = reply4(m, plain, sizeof(plain));
	strcpy((char *)m + 44, "tftp.lab");
	strcpy((char *)m + 108, "pxelinux.0");
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), 0);
	assert_int_equal(l.type, DHCPACK);
	assert_string_equal(l.tftp_server, "tftp.lab");
	assert_string_equal(l.bootfile, "pxelinux.0");
	assert_int_equal(l.prefix, 8); /* 10/8 */
	assert_false(l.pxe_config[0]);

	/* Option 52 = 3: options continue in file, then sname; the fields
	 * are not names then. */
	static const uint8_t over[] = { 53, 1, 5, 52, 1, 3, 255 };
	n = reply4(m, over, sizeof(over));
	memcpy(m + 108, "\x43\x05hello\x06\x04\x01\x02\x03\x04\xff", 13);
	memcpy(m + 44, "\x0f\x03lab\xff", 6);
	memset(&w, 0, sizeof(w));
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), 0);
	assert_string_equal(l.bootfile, "hello");
	assert_string_equal(l.domain, "lab");
	assert_int_equal(l.nr_dns, 1);
	assert_false(l.tftp_server[0]);
	assert_int_equal(warn_count(&w), 0);
}

static void test_classless_routes(void **state)
{
	static const uint8_t opts[] = {
		53, 1, 5,
		3, 4, 10, 0, 2, 2,
		/* 0/0 via 10.0.2.1; 192.168/16 via 10.0.2.3; 10.9.8.7/32 */
		121, 5 + 7 + 9, 0, 10, 0, 2, 1,
		16, 192, 168, 10, 0, 2, 3,
		32, 10, 9, 8, 7, 10, 0, 2, 4,
		255,
	};
	struct dhcp4_client c = client4();
	struct dhcp4_lease l;
	struct warnings w = { 0 };
	uint8_t m[600];
	size_t n = reply4(m, opts, sizeof(opts));
	char a[32];

	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), 0);
	assert_int_equal(l.nr_routes, 3);
	assert_int_equal(l.routes[0].prefix, 0);
	assert_string_equal(inet_ntop(AF_INET, &l.routes[0].gw, a, sizeof(a)), "10.0.2.1");
	assert_int_equal(l.routes[1].prefix, 16);
	assert_string_equal(inet_ntop(AF_INET, &l.routes[1].dst, a, sizeof(a)), "192.168.0.0");
	assert_int_equal(l.routes[2].prefix, 32);
	assert_string_equal(inet_ntop(AF_INET, &l.routes[2].dst, a, sizeof(a)), "10.9.8.7");
	/* RFC 3442: option 3 is ignored when 121 is there. */
	assert_int_equal(l.router.s_addr, 0);

	/* Host bits set: all of 121 ignored. */
	static const uint8_t bad[] = { 53, 1, 5, 121, 7, 8, 10, 10, 0, 2, 1, 1, 255 };
	n = reply4(m, bad, sizeof(bad));
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), 0);
	assert_int_equal(l.nr_routes, 0);
	assert_true(warn_count(&w) > 0);
}

static void test_malformed4(void **state)
{
	struct dhcp4_client c = client4();
	struct dhcp4_lease l;
	struct warnings w = { 0 };
	uint8_t m[600];
	size_t n;
	static const uint8_t ok[] = { 53, 1, 2, 255 };

	n = reply4(m, ok, sizeof(ok));
	assert_int_equal(dhcp4_parse(m, 200, &c, &l, &w), -EBADMSG);
	m[4] ^= 1;                                  /* another xid */
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), -ENOMSG);
	m[4] ^= 1;
	m[33] ^= 1;                                 /* another MAC */
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), -ENOMSG);
	m[33] ^= 1;
	m[236] = 0;                                 /* no magic cookie */
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), -ENOMSG);
	m[236] = 99;
	m[0] = 1;                                   /* a BOOTREQUEST */
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), -ENOMSG);
	m[0] = 2;
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), 0);

	/* No message type; a DHCPINFORM is no answer. */
	static const uint8_t none[] = { 1, 4, 255, 255, 255, 0, 255 };
	n = reply4(m, none, sizeof(none));
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), -ENOMSG);
	static const uint8_t inform[] = { 53, 1, 8, 255 };
	n = reply4(m, inform, sizeof(inform));
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), -ENOMSG);

	/* A truncated option, a bad mask, a name with a control character,
	 * a router of 3 bytes: warnings, and what is sane still read. */
	static const uint8_t odd[] = {
		53, 1, 5,
		1, 4, 255, 0, 255, 0,
		67, 3, 'a', '\n', 'b',
		3, 3, 1, 2, 3,
		66, 40, 'x',
	};
	n = reply4(m, odd, sizeof(odd));
	memset(&w, 0, sizeof(w));
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), 0);
	assert_int_equal(l.prefix, 8);
	assert_false(l.bootfile[0]);
	assert_int_equal(l.router.s_addr, 0);
	assert_false(l.tftp_server[0]);
	assert_true(warn_count(&w) >= 3);

	/* A file field that fills all 128 bytes: no NUL, not a name. */
	n = reply4(m, ok, sizeof(ok));
	memset(m + 108, 'f', 128);
	memset(&w, 0, sizeof(w));
	assert_int_equal(dhcp4_parse(m, n, &c, &l, &w), 0);
	assert_false(l.bootfile[0]);
	assert_int_equal(warn_count(&w), 1);
}

static void test_nak(void **state)
{
	static const uint8_t opts[] = {
		53, 1, 6, 54, 4, 10, 0, 2, 2, 56, 5, 'w', 'r', 'o', 'n', 'g', 255,
	};
	struct dhcp4_client c = client4();
	struct dhcp4_lease l;
	uint8_t m[600];
	size_t n = reply4(m, opts, sizeof(opts));

	assert_int_equal(dhcp4_parse(m, n, &c, &l, NULL), 0);
	assert_int_equal(l.type, DHCPNAK);
	assert_string_equal(l.message, "wrong");
}

static void test_mask_prefix(void **state)
{
	struct in_addr a;

	inet_pton(AF_INET, "255.255.255.0", &a);
	assert_int_equal(dhcp4_mask_prefix(a), 24);
	inet_pton(AF_INET, "255.255.255.255", &a);
	assert_int_equal(dhcp4_mask_prefix(a), 32);
	inet_pton(AF_INET, "0.0.0.0", &a);
	assert_int_equal(dhcp4_mask_prefix(a), 0);
	inet_pton(AF_INET, "255.0.255.0", &a);
	assert_int_equal(dhcp4_mask_prefix(a), -1);
}

static void test_ipudp(void **state)
{
	uint8_t pkt[600], payload[100];
	struct ipudp h = { .src = 0, .dst = 0xffffffff, .sport = htons(68),
			   .dport = htons(67) }, got;
	const uint8_t *p;
	size_t n, pl;

	memset(payload, 0x5a, sizeof(payload));
	memcpy(pkt + IPUDP_HDR_LEN, payload, sizeof(payload));
	n = ipudp_build(pkt, sizeof(pkt), &h, sizeof(payload));
	assert_int_equal(n, IPUDP_HDR_LEN + sizeof(payload));
	assert_int_equal(ipudp_parse(pkt, n, false, &got, &p, &pl), 0);
	assert_int_equal(pl, sizeof(payload));
	assert_int_equal(got.dport, htons(67));
	assert_memory_equal(p, payload, pl);
	/* A flipped payload bit: the UDP checksum says so, unless the NIC
	 * has not computed it yet. */
	pkt[IPUDP_HDR_LEN + 5] ^= 1;
	assert_int_equal(ipudp_parse(pkt, n, false, &got, &p, &pl), -EBADMSG);
	assert_int_equal(ipudp_parse(pkt, n, true, &got, &p, &pl), 0);
	pkt[IPUDP_HDR_LEN + 5] ^= 1;
	/* A broken header checksum, a fragment, not UDP, truncated. */
	pkt[8] ^= 1;
	assert_int_equal(ipudp_parse(pkt, n, false, &got, &p, &pl), -EBADMSG);
	pkt[8] ^= 1;
	assert_int_equal(ipudp_parse(pkt, n - 1, false, &got, &p, &pl), -EBADMSG);
	assert_int_equal(ipudp_parse(pkt, 10, false, &got, &p, &pl), -EBADMSG);
	assert_int_equal(ipudp_build(pkt, 50, &h, sizeof(payload)), 0);
}

/* --- DHCPv6 ------------------------------------------------------------ */

static struct dhcp6_client client6(void)
{
	struct dhcp6_client c = { .xid = 0xabcdef, .arch = 16, .iaid = 7,
				  .vendor_class = "HTTPClient" };

	memcpy(c.mac, mac, 6);
	return c;
}

/* Find option code at the top level of a message. */
static const uint8_t *find6(const uint8_t *m, size_t n, uint16_t code,
			    size_t *len)
{
	size_t o = 4;

	while (o + 4 <= n) {
		uint16_t c = (uint16_t)(m[o] << 8 | m[o + 1]);
		size_t l = (size_t)(m[o + 2] << 8 | m[o + 3]);

		if (c == code) {
			*len = l;
			return m + o + 4;
		}
		o += 4 + l;
	}
	return NULL;
}

static void test_build6(void **state)
{
	struct dhcp6_client c = client6();
	uint8_t m[512];
	const uint8_t *o;
	size_t n, len, i;
	bool url = false;

	n = dhcp6_build(DHCP6_SOLICIT, &c, m, sizeof(m));
	assert_true(n > 4);
	assert_int_equal(m[0], DHCP6_SOLICIT);
	assert_memory_equal(m + 1, "\xab\xcd\xef", 3);
	o = find6(m, n, 1, &len);                       /* CLIENTID */
	assert_non_null(o);
	assert_int_equal(len, 10);
	assert_memory_equal(o, "\x00\x03\x00\x01", 4);  /* DUID-LL, Ethernet */
	assert_memory_equal(o + 4, mac, 6);
	o = find6(m, n, 6, &len);                       /* ORO */
	assert_non_null(o);
	for (i = 0; i + 1 < len; i += 2)
		url |= (o[i] << 8 | o[i + 1]) == 59;
	assert_true(url);
	o = find6(m, n, 3, &len);                       /* IA_NA */
	assert_non_null(o);
	assert_int_equal(len, 12);
	assert_memory_equal(o, "\0\0\0\x07", 4);
	assert_non_null(find6(m, n, 14, &len));         /* rapid commit */
	assert_int_equal(len, 0);
	o = find6(m, n, 16, &len);                      /* vendor class */
	assert_non_null(o);
	assert_int_equal(len, 4 + 2 + 10);
	assert_memory_equal(o + 6, "HTTPClient", 10);
	assert_null(find6(m, n, 2, &len));

	n = dhcp6_build(DHCP6_INFORMATION_REQUEST, &c, m, sizeof(m));
	assert_int_equal(m[0], DHCP6_INFORMATION_REQUEST);
	assert_null(find6(m, n, 3, &len));

	c.has_uuid = true;
	memset(c.uuid, 0x11, 16);
	memcpy(c.server_id, "\x00\x03\x00\x01\x01\x02\x03\x04\x05\x06", 10);
	c.server_id_len = 10;
	inet_pton(AF_INET6, "fec0::99", &c.addr);
	n = dhcp6_build(DHCP6_REQUEST, &c, m, sizeof(m));
	o = find6(m, n, 1, &len);
	assert_int_equal(len, 18);                      /* DUID-UUID */
	assert_memory_equal(o, "\x00\x04", 2);
	o = find6(m, n, 2, &len);
	assert_int_equal(len, 10);
	o = find6(m, n, 3, &len);
	assert_int_equal(len, 12 + 4 + 24);             /* with an IAADDR */
	assert_int_equal(dhcp6_build(DHCP6_SOLICIT, &c, m, 30), 0);
}

struct msg6 {
	uint8_t b[1024];
	size_t n;
};

static void opt6(struct msg6 *m, uint16_t code, const void *d, size_t len)
{
	m->b[m->n++] = (uint8_t)(code >> 8);
	m->b[m->n++] = (uint8_t)code;
	m->b[m->n++] = (uint8_t)(len >> 8);
	m->b[m->n++] = (uint8_t)len;
	memcpy(m->b + m->n, d, len);
	m->n += len;
}

static void reply6(struct msg6 *m, uint8_t type, const struct dhcp6_client *c,
		   bool with_client)
{
	uint8_t duid[DHCP6_DUID_MAX];

	m->n = 0;
	m->b[m->n++] = type;
	m->b[m->n++] = (uint8_t)(c->xid >> 16);
	m->b[m->n++] = (uint8_t)(c->xid >> 8);
	m->b[m->n++] = (uint8_t)c->xid;
	if (with_client)
		opt6(m, 1, duid, dhcp6_duid(c, duid));
	opt6(m, 2, "\x00\x03\x00\x01\xaa\xbb\xcc\xdd\xee\xff", 10);
}

static void test_parse6(void **state)
{
	struct dhcp6_client c = client6();
	struct dhcp6_reply r;
	struct warnings w = { 0 };
	struct msg6 m;
	uint8_t ia[12 + 4 + 24], dns[32], dom[] = "\x03lab\x04test\x00\x03two\x00";
	uint8_t params[] = "\x00\x05quiet\x00\x07ip=dhcp";
	char a[64];

	reply6(&m, DHCP6_REPLY, &c, true);
	memcpy(ia, "\0\0\0\x07\0\0\0\0\0\0\0\0\0\x05\0\x18", 16);
	inet_pton(AF_INET6, "fec0::1234", ia + 16);
	memcpy(ia + 32, "\0\0\x0e\x10\0\0\x1c\x20", 8);
	opt6(&m, 3, ia, sizeof(ia));
	inet_pton(AF_INET6, "fec0::3", dns);
	inet_pton(AF_INET6, "2001:db8::53", dns + 16);
	opt6(&m, 23, dns, sizeof(dns));
	opt6(&m, 24, dom, sizeof(dom) - 1);
	opt6(&m, 59, "tftp://[fec0::2]/pxelinux.0", 27);
	opt6(&m, 60, params, sizeof(params) - 1);
	opt6(&m, 14, "", 0);
	assert_int_equal(dhcp6_parse(m.b, m.n, &c, &r, &w), 0);
	assert_int_equal(warn_count(&w), 0);
	assert_int_equal(r.type, DHCP6_REPLY);
	assert_int_equal(r.server_id_len, 10);
	assert_true(r.has_addr);
	assert_string_equal(inet_ntop(AF_INET6, &r.addr, a, sizeof(a)), "fec0::1234");
	assert_int_equal(r.preferred, 3600);
	assert_int_equal(r.valid, 7200);
	assert_int_equal(r.nr_dns, 2);
	assert_string_equal(inet_ntop(AF_INET6, &r.dns[1], a, sizeof(a)), "2001:db8::53");
	assert_string_equal(r.domain, "lab.test");
	assert_string_equal(r.bootfile_url, "tftp://[fec0::2]/pxelinux.0");
	assert_string_equal(r.bootfile_param, "quiet ip=dhcp");
	assert_true(r.rapid_commit);
}

static void test_malformed6(void **state)
{
	struct dhcp6_client c = client6();
	struct dhcp6_reply r;
	struct warnings w = { 0 };
	struct msg6 m;
	uint8_t ia[12 + 4 + 24];

	/* Not our transaction, no client ID, someone else's client ID, no
	 * server ID, a SOLICIT, too short. */
	reply6(&m, DHCP6_REPLY, &c, true);
	m.b[3] ^= 1;
	assert_int_equal(dhcp6_parse(m.b, m.n, &c, &r, &w), -ENOMSG);
	reply6(&m, DHCP6_REPLY, &c, false);
	assert_int_equal(dhcp6_parse(m.b, m.n, &c, &r, &w), -ENOMSG);
	reply6(&m, DHCP6_REPLY, &c, true);
	m.b[4 + 4 + 9] ^= 1;
	assert_int_equal(dhcp6_parse(m.b, m.n, &c, &r, &w), -ENOMSG);
	m.n = 0;
	m.b[m.n++] = DHCP6_ADVERTISE;
	m.b[m.n++] = 0xab;
	m.b[m.n++] = 0xcd;
	m.b[m.n++] = 0xef;
	{
		uint8_t duid[DHCP6_DUID_MAX];

		opt6(&m, 1, duid, dhcp6_duid(&c, duid));
	}
	/* No server ID: accepted, and said (QEMU's stateless server). */
	assert_int_equal(dhcp6_parse(m.b, m.n, &c, &r, &w), 0);
	assert_int_equal(r.server_id_len, 0);
	reply6(&m, DHCP6_SOLICIT, &c, true);
	assert_int_equal(dhcp6_parse(m.b, m.n, &c, &r, &w), -ENOMSG);
	assert_int_equal(dhcp6_parse(m.b, 3, &c, &r, &w), -EBADMSG);

	/* Another IAID's address is not ours; preferred > valid is
	 * discarded; a truncated option is a warning. */
	reply6(&m, DHCP6_REPLY, &c, true);
	memcpy(ia, "\0\0\0\x08\0\0\0\0\0\0\0\0\0\x05\0\x18", 16);
	memset(ia + 16, 0x20, 16);
	memcpy(ia + 32, "\0\0\0\x10\0\0\0\x20", 8);
	opt6(&m, 3, ia, sizeof(ia));
	assert_int_equal(dhcp6_parse(m.b, m.n, &c, &r, &w), 0);
	assert_false(r.has_addr);
	reply6(&m, DHCP6_REPLY, &c, true);
	ia[3] = 7;
	memcpy(ia + 32, "\0\0\0\x30\0\0\0\x20", 8);
	opt6(&m, 3, ia, sizeof(ia));
	memset(&w, 0, sizeof(w));
	assert_int_equal(dhcp6_parse(m.b, m.n, &c, &r, &w), 0);
	assert_false(r.has_addr);
	assert_int_equal(warn_count(&w), 1);
	/* A domain list label running past its option; DNS not a multiple
	 * of 16; a status code; an option cut short. */
	reply6(&m, DHCP6_REPLY, &c, true);
	opt6(&m, 24, "\x09lab", 4);
	opt6(&m, 23, "0123456789", 10);
	opt6(&m, 13, "\x00\x02no addresses", 14);
	m.b[m.n++] = 0;
	m.b[m.n++] = 59;
	m.b[m.n++] = 0;
	m.b[m.n++] = 99;
	memset(&w, 0, sizeof(w));
	assert_int_equal(dhcp6_parse(m.b, m.n, &c, &r, &w), 0);
	assert_false(r.domain[0]);
	assert_int_equal(r.nr_dns, 0);
	assert_int_equal(r.status, DHCP6_NO_ADDRS_AVAIL);
	assert_string_equal(r.status_msg, "no addresses");
	assert_false(r.bootfile_url[0]);
	assert_int_equal(warn_count(&w), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_discover_request),
		cmocka_unit_test(test_parse_offer),
		cmocka_unit_test(test_fields_and_overload),
		cmocka_unit_test(test_classless_routes),
		cmocka_unit_test(test_malformed4),
		cmocka_unit_test(test_nak),
		cmocka_unit_test(test_mask_prefix),
		cmocka_unit_test(test_ipudp),
		cmocka_unit_test(test_build6),
		cmocka_unit_test(test_parse6),
		cmocka_unit_test(test_malformed6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
