/* kexshim: DHCPv4 messages (see dhcp4_msg.h).  Pure.  Offsets are RFC 2131
 * section 2's figure 1. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/warn.h"
#include "net/dhcp4_msg.h"

enum {
	OFF_OP = 0, OFF_HTYPE = 1, OFF_HLEN = 2, OFF_XID = 4, OFF_SECS = 8,
	OFF_FLAGS = 10, OFF_CIADDR = 12, OFF_YIADDR = 16, OFF_SIADDR = 20,
	OFF_GIADDR = 24, OFF_CHADDR = 28, OFF_SNAME = 44, OFF_FILE = 108,
	OFF_COOKIE = 236, OFF_OPTIONS = 240,
	SNAME_LEN = 64, FILE_LEN = 128,
};

#define BOOTREQUEST 1
#define BOOTREPLY 2
#define HTYPE_ETHER 1  /* RFC 1700 ARP hardware type */

/* RFC 2132 option codes. */
enum {
	OPT_PAD = 0, OPT_SUBNET_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6,
	OPT_HOSTNAME = 12, OPT_DOMAIN = 15, OPT_MTU = 26, OPT_BROADCAST = 28,
	OPT_VENDOR = 43, OPT_REQUESTED_IP = 50, OPT_LEASE_TIME = 51,
	OPT_OVERLOAD = 52, OPT_MSG_TYPE = 53, OPT_SERVER_ID = 54,
	OPT_PARAMS = 55, OPT_MESSAGE = 56, OPT_MAX_SIZE = 57, OPT_T1 = 58,
	OPT_T2 = 59, OPT_VENDOR_CLASS = 60, OPT_TFTP_SERVER = 66,
	OPT_BOOTFILE = 67, OPT_CLIENT_ARCH = 93, OPT_CLIENT_NDI = 94,
	OPT_UUID = 97, OPT_CLASSLESS_ROUTES = 121, OPT_PXE_CONFIG = 209,
	OPT_PXE_PREFIX = 210, OPT_END = 255,
};

static const uint8_t cookie[4] = { 99, 130, 83, 99 };

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Append option code with n bytes of data.  Return: false when full (one
 * byte stays for OPT_END). */
static bool opt(uint8_t *buf, size_t size, size_t *o, uint8_t code,
		const void *data, size_t n)
{
	if (n > 255 || *o + 2 + n + 1 > size)
		return false;
	buf[(*o)++] = code;
	buf[(*o)++] = (uint8_t)n;
	memcpy(buf + *o, data, n);
	*o += n;
	return true;
}

size_t dhcp4_build(enum dhcp4_type type, const struct dhcp4_client *c,
		   uint8_t *buf, size_t size)
{
	static const uint8_t params[] = {
		OPT_SUBNET_MASK, OPT_ROUTER, OPT_DNS, OPT_HOSTNAME, OPT_DOMAIN,
		OPT_MTU, OPT_BROADCAST, OPT_LEASE_TIME, OPT_SERVER_ID, OPT_T1,
		OPT_T2, OPT_VENDOR_CLASS, OPT_TFTP_SERVER, OPT_BOOTFILE,
		OPT_CLASSLESS_ROUTES, OPT_PXE_CONFIG, OPT_PXE_PREFIX,
	};
	/* PXE 2.1: UNDI version 3.16, what UEFI's network stack sends. */
	static const uint8_t ndi[3] = { 1, 3, 16 };
	uint8_t t = (uint8_t)type, two[2], uuid[17];
	size_t o = OFF_OPTIONS;
	bool ok = true;

	if (size < DHCP4_MIN_LEN)
		return 0;
	memset(buf, 0, size);
	buf[OFF_OP] = BOOTREQUEST;
	buf[OFF_HTYPE] = HTYPE_ETHER;
	buf[OFF_HLEN] = 6;
	put32(buf + OFF_XID, c->xid);
	buf[OFF_SECS] = (uint8_t)(c->secs >> 8);
	buf[OFF_SECS + 1] = (uint8_t)c->secs;
	/* flags 0: the packet socket hears unicast replies too. */
	memcpy(buf + OFF_CHADDR, c->mac, 6);
	memcpy(buf + OFF_COOKIE, cookie, 4);
	ok = ok && opt(buf, size, &o, OPT_MSG_TYPE, &t, 1);
	if (type == DHCPREQUEST) {
		ok = ok && opt(buf, size, &o, OPT_REQUESTED_IP,
			       &c->requested.s_addr, 4);
		ok = ok && opt(buf, size, &o, OPT_SERVER_ID,
			       &c->server_id.s_addr, 4);
	}
	two[0] = DHCP4_MAX_LEN >> 8;
	two[1] = DHCP4_MAX_LEN & 0xff;
	ok = ok && opt(buf, size, &o, OPT_MAX_SIZE, two, 2);
	ok = ok && opt(buf, size, &o, OPT_PARAMS, params, sizeof(params));
	if (c->vendor_class && *c->vendor_class)
		ok = ok && opt(buf, size, &o, OPT_VENDOR_CLASS, c->vendor_class,
			       strlen(c->vendor_class));
	two[0] = (uint8_t)(c->arch >> 8);
	two[1] = (uint8_t)c->arch;
	ok = ok && opt(buf, size, &o, OPT_CLIENT_ARCH, two, 2);
	ok = ok && opt(buf, size, &o, OPT_CLIENT_NDI, ndi, sizeof(ndi));
	if (c->has_uuid) {
		uuid[0] = 0; /* RFC 4578 2.5: type 0, a 16-octet GUID */
		memcpy(uuid + 1, c->uuid, 16);
		ok = ok && opt(buf, size, &o, OPT_UUID, uuid, sizeof(uuid));
	}
	if (!ok)
		return 0;
	buf[o++] = OPT_END;
	/* RFC 951: BOOTP messages are at least 300 bytes; relays drop less. */
	return o < DHCP4_MIN_LEN ? DHCP4_MIN_LEN : o;
}

/* The option areas in the order RFC 3396 section 6 concatenates them:
 * options, then file, then sname (when option 52 overloads them). */
struct areas {
	const uint8_t *p[3];
	size_t n[3];
	unsigned count;
};

/* Concatenate every instance of code into out (RFC 3396).  A truncated
 * option ends its area.  Return: the length, -1 when absent, -2 when longer
 * than max. */
static int gather(const struct areas *a, uint8_t code, uint8_t *out,
		  size_t max, unsigned *truncated)
{
	size_t total = 0;
	bool found = false;
	unsigned i;

	for (i = 0; i < a->count; i++) {
		const uint8_t *p = a->p[i], *end = p + a->n[i];

		while (p < end) {
			uint8_t c = *p, len;

			if (c == OPT_PAD) {
				p++;
				continue;
			}
			if (c == OPT_END)
				break;
			if (end - p < 2 || end - p - 2 < p[1]) {
				if (truncated)
					(*truncated)++;
				break;
			}
			len = p[1];
			if (c == code) {
				found = true;
				if (total + len > max)
					return -2;
				memcpy(out + total, p + 2, len);
				total += len;
			}
			p += 2 + len;
		}
	}
	return found ? (int)total : -1;
}

/* A string option into out: up to the first NUL; one with a control
 * character is dropped with a warning.  Return: true when set. */
static bool str_opt(const struct areas *a, uint8_t code, char *out,
		    struct warnings *w)
{
	uint8_t buf[DHCP4_STR_MAX * 4];
	int n = gather(a, code, buf, sizeof(buf), NULL);
	size_t len, i;

	if (n == -1)
		return false;
	if (n < 0) {
		warn_add(w, "dhcp: option %u longer than %zu bytes; ignored",
			 code, sizeof(buf));
		return false;
	}
	len = strnlen((const char *)buf, (size_t)n);
	if (len >= DHCP4_STR_MAX) {
		warn_add(w, "dhcp: option %u longer than %d bytes; ignored",
			 code, DHCP4_STR_MAX - 1);
		return false;
	}
	for (i = 0; i < len; i++)
		if (buf[i] < 0x20 || buf[i] == 0x7f) {
			warn_add(w, "dhcp: option %u has control characters; "
				 "ignored", code);
			return false;
		}
	memcpy(out, buf, len);
	out[len] = '\0';
	return true;
}

/* A fixed field (sname, file) as a string, when it is one. */
static void str_field(const uint8_t *f, size_t n, char *out, const char *what,
		      struct warnings *w)
{
	size_t len = strnlen((const char *)f, n), i;

	if (len == n) {
		warn_add(w, "dhcp: %s field not NUL-terminated; ignored", what);
		return;
	}
	for (i = 0; i < len; i++)
		if (f[i] < 0x20 || f[i] == 0x7f) {
			warn_add(w, "dhcp: %s field has control characters; "
				 "ignored", what);
			return;
		}
	memcpy(out, f, len);
	out[len] = '\0';
}

/* An option of exactly n bytes, or a multiple of n of which the first
 * max are kept.  Return: how many n-byte items went to out. */
static int fixed_opt(const struct areas *a, uint8_t code, uint8_t *out,
		     size_t n, size_t max, struct warnings *w)
{
	uint8_t buf[255 * 4];
	int got = gather(a, code, buf, sizeof(buf), NULL);
	size_t items;

	if (got == -1)
		return 0;
	if (got < (int)n || got % (int)n) {
		warn_add(w, "dhcp: option %u has a bad length (%d); ignored",
			 code, got);
		return 0;
	}
	items = (size_t)got / n < max ? (size_t)got / n : max;
	memcpy(out, buf, items * n);
	return (int)items;
}

int dhcp4_mask_prefix(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int n = 0;

	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	if (n < 32 && (m << n))
		return -1;
	return n;
}

/* RFC 3442: width, the significant octets of the destination, router. */
static void classless_routes(const struct areas *a, struct dhcp4_lease *l,
			     struct warnings *w)
{
	uint8_t buf[255 * 4];
	int n = gather(a, OPT_CLASSLESS_ROUTES, buf, sizeof(buf), NULL);
	size_t o = 0;

	if (n == -1)
		return;
	if (n < 0) {
		warn_add(w, "dhcp: option 121 too long; ignored");
		return;
	}
	while (o < (size_t)n) {
		uint8_t width = buf[o];
		size_t sig = (width + 7u) / 8;
		uint8_t dst[4] = { 0 };
		uint32_t keep;

		if (width > 32 || o + 1 + sig + 4 > (size_t)n) {
			warn_add(w, "dhcp: option 121 malformed at byte %zu; "
				 "classless routes ignored", o);
			l->nr_routes = 0;
			return;
		}
		memcpy(dst, buf + o + 1, sig);
		keep = width ? 0xffffffffu << (32 - width) : 0;
		if (get32(dst) & ~keep) {
			warn_add(w, "dhcp: option 121 route with host bits set; "
				 "classless routes ignored");
			l->nr_routes = 0;
			return;
		}
		if (l->nr_routes < DHCP4_MAX_ROUTES) {
			struct dhcp4_route *r = &l->routes[l->nr_routes++];

			memcpy(&r->dst.s_addr, dst, 4);
			r->prefix = width;
			memcpy(&r->gw.s_addr, buf + o + 1 + sig, 4);
		}
		o += 1 + sig + 4;
	}
}

int dhcp4_parse(const uint8_t *buf, size_t len, const struct dhcp4_client *c,
		struct dhcp4_lease *l, struct warnings *w)
{
	struct areas a = { .count = 1 };
	uint8_t b[8];
	unsigned trunc = 0;
	int n, overload = 0;

	memset(l, 0, sizeof(*l));
	if (len < OFF_OPTIONS)
		return -EBADMSG;
	if (buf[OFF_OP] != BOOTREPLY || buf[OFF_HTYPE] != HTYPE_ETHER ||
	    buf[OFF_HLEN] != 6 || get32(buf + OFF_XID) != c->xid ||
	    memcmp(buf + OFF_CHADDR, c->mac, 6) ||
	    memcmp(buf + OFF_COOKIE, cookie, 4))
		return -ENOMSG;
	a.p[0] = buf + OFF_OPTIONS;
	a.n[0] = len - OFF_OPTIONS;
	/* Option 52 lives in the options field only (RFC 2132 9.3). */
	n = gather(&a, OPT_OVERLOAD, b, 1, &trunc);
	if (trunc)
		warn_add(w, "dhcp: options truncated");
	if (n == 1 && b[0] >= 1 && b[0] <= 3)
		overload = b[0];
	else if (n != -1)
		warn_add(w, "dhcp: option 52 malformed; ignored");
	if (overload & 1) {
		a.p[a.count] = buf + OFF_FILE;
		a.n[a.count++] = FILE_LEN;
	}
	if (overload & 2) {
		a.p[a.count] = buf + OFF_SNAME;
		a.n[a.count++] = SNAME_LEN;
	}
	if (gather(&a, OPT_MSG_TYPE, b, 1, NULL) != 1)
		return -ENOMSG;
	l->type = b[0];
	if (l->type != DHCPOFFER && l->type != DHCPACK && l->type != DHCPNAK)
		return -ENOMSG;
	memcpy(&l->yiaddr.s_addr, buf + OFF_YIADDR, 4);
	memcpy(&l->siaddr.s_addr, buf + OFF_SIADDR, 4);
	fixed_opt(&a, OPT_SERVER_ID, (uint8_t *)&l->server_id.s_addr, 4, 1, w);
	str_opt(&a, OPT_MESSAGE, l->message, w);
	if (l->type == DHCPNAK)
		return 0;
	if (fixed_opt(&a, OPT_SUBNET_MASK, (uint8_t *)&l->mask.s_addr, 4, 1, w)) {
		n = dhcp4_mask_prefix(l->mask);
		if (n < 0) {
			warn_add(w, "dhcp: subnet mask %s is not contiguous; "
				 "using the class's", inet_ntoa(l->mask));
			l->mask.s_addr = 0;
		} else {
			l->prefix = (uint8_t)n;
		}
	}
	if (!l->mask.s_addr) {
		/* RFC 1122 3.3.1.2 left this to the client: the old class. */
		uint8_t first = ((const uint8_t *)&l->yiaddr.s_addr)[0];

		l->prefix = first < 128 ? 8 : first < 192 ? 16 : 24;
		l->mask.s_addr = htonl(0xffffffffu << (32 - l->prefix));
	}
	fixed_opt(&a, OPT_ROUTER, (uint8_t *)&l->router.s_addr, 4, 1, w);
	fixed_opt(&a, OPT_BROADCAST, (uint8_t *)&l->broadcast.s_addr, 4, 1, w);
	l->nr_dns = (unsigned)fixed_opt(&a, OPT_DNS, (uint8_t *)l->dns, 4,
					DHCP4_MAX_DNS, w);
	if (fixed_opt(&a, OPT_LEASE_TIME, b, 4, 1, w))
		l->lease_secs = get32(b);
	if (fixed_opt(&a, OPT_MTU, b, 2, 1, w))
		l->mtu = (uint16_t)(b[0] << 8 | b[1]);
	classless_routes(&a, l, w);
	/* RFC 3442: with option 121 the client MUST ignore option 3. */
	if (l->nr_routes)
		l->router.s_addr = 0;
	str_opt(&a, OPT_DOMAIN, l->domain, w);
	str_opt(&a, OPT_VENDOR_CLASS, l->vendor_class, w);
	str_opt(&a, OPT_PXE_CONFIG, l->pxe_config, w);
	str_opt(&a, OPT_PXE_PREFIX, l->pxe_prefix, w);
	if (!str_opt(&a, OPT_TFTP_SERVER, l->tftp_server, w) && !(overload & 2))
		str_field(buf + OFF_SNAME, SNAME_LEN, l->tftp_server, "sname", w);
	if (!str_opt(&a, OPT_BOOTFILE, l->bootfile, w) && !(overload & 1))
		str_field(buf + OFF_FILE, FILE_LEN, l->bootfile, "file", w);
	return 0;
}

bool dhcp4_has_boot_info(const struct dhcp4_lease *l)
{
	return l->bootfile[0] || l->pxe_config[0];
}
