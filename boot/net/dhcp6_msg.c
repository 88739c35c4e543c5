/* kexshim: DHCPv6 messages (see dhcp6_msg.h).  Pure.  Layouts from RFC
 * 8415 sections 8 (message), 21 (options), 11 (DUIDs). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/warn.h"
#include "net/dhcp6_msg.h"

/* Option codes: RFC 8415 21, RFC 3646, RFC 5970. */
enum {
	OPT_CLIENTID = 1, OPT_SERVERID = 2, OPT_IA_NA = 3, OPT_IAADDR = 5,
	OPT_ORO = 6, OPT_PREFERENCE = 7, OPT_ELAPSED_TIME = 8,
	OPT_STATUS_CODE = 13, OPT_RAPID_COMMIT = 14, OPT_VENDOR_CLASS = 16,
	OPT_DNS_SERVERS = 23, OPT_DOMAIN_LIST = 24, OPT_BOOTFILE_URL = 59,
	OPT_BOOTFILE_PARAM = 60, OPT_CLIENT_ARCH_TYPE = 61, OPT_NII = 62,
};

/* Intel's enterprise number, which UEFI's HTTP Boot puts in option 16. */
#define ENTERPRISE_INTEL 343

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

size_t dhcp6_duid(const struct dhcp6_client *c, uint8_t out[DHCP6_DUID_MAX])
{
	if (c->has_uuid) {
		put16(out, 4);                  /* DUID-UUID, RFC 6355 */
		memcpy(out + 2, c->uuid, 16);
		return 18;
	}
	put16(out, 3);                          /* DUID-LL, RFC 8415 11.4 */
	put16(out + 2, 1);                      /* Ethernet */
	memcpy(out + 4, c->mac, 6);
	return 10;
}

struct out {
	uint8_t *buf;
	size_t size, o;
	bool full;
};

/* Start option code; returns where its length goes (fill with end()). */
static size_t begin(struct out *b, uint16_t code)
{
	size_t at = b->o;

	if (b->o + 4 > b->size) {
		b->full = true;
		return 0;
	}
	put16(b->buf + b->o, code);
	b->o += 4;
	return at;
}

static void end(struct out *b, size_t at)
{
	if (!b->full)
		put16(b->buf + at + 2, (uint16_t)(b->o - at - 4));
}

static void bytes(struct out *b, const void *p, size_t n)
{
	if (b->full || b->o + n > b->size) {
		b->full = true;
		return;
	}
	memcpy(b->buf + b->o, p, n);
	b->o += n;
}

static void u16(struct out *b, uint16_t v)
{
	uint8_t x[2];

	put16(x, v);
	bytes(b, x, 2);
}

static void u32(struct out *b, uint32_t v)
{
	uint8_t x[4];

	put32(x, v);
	bytes(b, x, 4);
}

size_t dhcp6_build(enum dhcp6_type type, const struct dhcp6_client *c,
		   uint8_t *buf, size_t size)
{
	static const uint16_t oro[] = {
		OPT_DNS_SERVERS, OPT_DOMAIN_LIST, OPT_BOOTFILE_URL,
		OPT_BOOTFILE_PARAM,
	};
	struct out b = { .buf = buf, .size = size };
	uint8_t duid[DHCP6_DUID_MAX];
	size_t at, ia, i;

	if (size < 4)
		return 0;
	buf[0] = (uint8_t)type;
	buf[1] = (uint8_t)(c->xid >> 16);
	buf[2] = (uint8_t)(c->xid >> 8);
	buf[3] = (uint8_t)c->xid;
	b.o = 4;
	at = begin(&b, OPT_CLIENTID);
	bytes(&b, duid, dhcp6_duid(c, duid));
	end(&b, at);
	if (type == DHCP6_REQUEST) {
		at = begin(&b, OPT_SERVERID);
		bytes(&b, c->server_id, c->server_id_len);
		end(&b, at);
	}
	at = begin(&b, OPT_ELAPSED_TIME);
	u16(&b, c->elapsed_cs);
	end(&b, at);
	at = begin(&b, OPT_ORO);
	for (i = 0; i < sizeof(oro) / sizeof(oro[0]); i++)
		u16(&b, oro[i]);
	end(&b, at);
	if (type == DHCP6_SOLICIT || type == DHCP6_REQUEST) {
		/* RFC 8415 21.4: T1 and T2 0, the server's choice. */
		ia = begin(&b, OPT_IA_NA);
		u32(&b, c->iaid);
		u32(&b, 0);
		u32(&b, 0);
		if (type == DHCP6_REQUEST) {
			at = begin(&b, OPT_IAADDR);
			bytes(&b, &c->addr, 16);
			u32(&b, 0);
			u32(&b, 0);
			end(&b, at);
		}
		end(&b, ia);
	}
	if (type == DHCP6_SOLICIT)
		end(&b, begin(&b, OPT_RAPID_COMMIT));
	at = begin(&b, OPT_CLIENT_ARCH_TYPE);
	u16(&b, c->arch);
	end(&b, at);
	at = begin(&b, OPT_NII);             /* RFC 5970 3.4: UNDI 3.16 */
	bytes(&b, (const uint8_t[]){ 1, 3, 16 }, 3);
	end(&b, at);
	if (c->vendor_class && *c->vendor_class) {
		size_t n = strlen(c->vendor_class);

		at = begin(&b, OPT_VENDOR_CLASS);
		u32(&b, ENTERPRISE_INTEL);
		u16(&b, (uint16_t)n);
		bytes(&b, c->vendor_class, n);
		end(&b, at);
	}
	return b.full ? 0 : b.o;
}

/* Walk the options in [p, end): for each, code/data/length.  Return: 1
 * with the next option, 0 at the end, -1 when one is truncated. */
static int next_opt(const uint8_t **p, const uint8_t *end, uint16_t *code,
		    const uint8_t **data, size_t *len)
{
	size_t n;

	if (*p == end)
		return 0;
	if (end - *p < 4)
		return -1;
	n = get16(*p + 2);
	if ((size_t)(end - *p - 4) < n)
		return -1;
	*code = get16(*p);
	*data = *p + 4;
	*len = n;
	*p += 4 + n;
	return 1;
}

static void status(const uint8_t *d, size_t n, uint16_t *code, char *msg,
		   size_t msgsz, struct warnings *w)
{
	size_t i, m;

	if (n < 2) {
		warn_add(w, "dhcp6: status code option too short");
		return;
	}
	*code = get16(d);
	if (!msg)
		return;
	m = n - 2 < msgsz - 1 ? n - 2 : msgsz - 1;
	for (i = 0; i < m; i++)
		msg[i] = d[2 + i] < 0x20 || d[2 + i] >= 0x7f ? '?' : (char)d[2 + i];
	msg[m] = '\0';
}

/* RFC 8415 21.4: IA_NA = IAID, T1, T2, then options (IAADDR, status). */
static void ia_na(const uint8_t *d, size_t n, const struct dhcp6_client *c,
		  struct dhcp6_reply *r, struct warnings *w)
{
	const uint8_t *p = d + 12, *end = d + n, *od;
	uint16_t code;
	size_t olen;
	int rc;

	if (n < 12) {
		warn_add(w, "dhcp6: IA_NA too short");
		return;
	}
	if (get32(d) != c->iaid)
		return; /* another IA, not ours */
	while ((rc = next_opt(&p, end, &code, &od, &olen)) > 0) {
		if (code == OPT_STATUS_CODE) {
			status(od, olen, &r->ia_status, NULL, 0, w);
		} else if (code == OPT_IAADDR && !r->has_addr) {
			if (olen < 24) {
				warn_add(w, "dhcp6: IAADDR too short");
				continue;
			}
			memcpy(&r->addr, od, 16);
			r->preferred = get32(od + 16);
			r->valid = get32(od + 20);
			/* RFC 8415 21.6: preferred > valid is discarded. */
			if (r->preferred > r->valid) {
				warn_add(w, "dhcp6: IAADDR preferred lifetime "
					 "over its valid one; ignored");
				continue;
			}
			r->has_addr = r->valid > 0;
		}
	}
	if (rc < 0)
		warn_add(w, "dhcp6: IA_NA options truncated");
}

/* The first name of an RFC 1035 3.1 wire-format list (no compression,
 * RFC 8415 10), dotted, into out. */
static void domain_list(const uint8_t *d, size_t n, char *out, size_t size,
			struct warnings *w)
{
	size_t i = 0, o = 0;

	while (i < n && d[i]) {
		size_t l = d[i++], j;

		if (l > 63 || i + l > n || o + l + 2 > size) {
			warn_add(w, "dhcp6: domain list malformed; ignored");
			out[0] = '\0';
			return;
		}
		if (o)
			out[o++] = '.';
		for (j = 0; j < l; j++) {
			uint8_t ch = d[i + j];

			if (ch <= 0x20 || ch >= 0x7f) {
				warn_add(w, "dhcp6: domain list has control "
					 "characters; ignored");
				out[0] = '\0';
				return;
			}
			out[o++] = (char)ch;
		}
		i += l;
	}
	out[o] = '\0';
}

/* A printable string option (no NULs, no controls) into out. */
static void string(const uint8_t *d, size_t n, char *out, size_t size,
		   const char *what, struct warnings *w)
{
	size_t i;

	if (n >= size) {
		warn_add(w, "dhcp6: %s longer than %zu bytes; ignored", what,
			 size - 1);
		return;
	}
	for (i = 0; i < n; i++)
		if (d[i] < 0x20 || d[i] >= 0x7f) {
			warn_add(w, "dhcp6: %s has control characters; ignored",
				 what);
			return;
		}
	memcpy(out, d, n);
	out[n] = '\0';
}

/* RFC 5970 3.2: a list of (length, parameter) pairs, joined by spaces. */
static void bootfile_params(const uint8_t *d, size_t n, char *out,
			    size_t size, struct warnings *w)
{
	size_t i = 0, o = 0;

	while (i + 2 <= n) {
		size_t l = get16(d + i), j;

		i += 2;
		if (i + l > n || o + l + 2 > size) {
			warn_add(w, "dhcp6: boot file parameters malformed; "
				 "ignored");
			out[0] = '\0';
			return;
		}
		if (o)
			out[o++] = ' ';
		for (j = 0; j < l; j++)
			out[o++] = d[i + j] < 0x20 || d[i + j] >= 0x7f ? '?' :
				   (char)d[i + j];
		i += l;
	}
	out[o] = '\0';
}

int dhcp6_parse(const uint8_t *buf, size_t len, const struct dhcp6_client *c,
		struct dhcp6_reply *r, struct warnings *w)
{
	const uint8_t *p = buf + 4, *end = buf + len, *d;
	uint8_t duid[DHCP6_DUID_MAX];
	size_t duid_len = dhcp6_duid(c, duid), n;
	bool client_ok = false;
	uint16_t code;
	int rc;

	memset(r, 0, sizeof(*r));
	if (len < 4)
		return -EBADMSG;
	if (buf[0] != DHCP6_ADVERTISE && buf[0] != DHCP6_REPLY)
		return -ENOMSG;
	if (((uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3]) !=
	    (c->xid & 0xffffff))
		return -ENOMSG;
	r->type = buf[0];
	while ((rc = next_opt(&p, end, &code, &d, &n)) > 0) {
		switch (code) {
		case OPT_CLIENTID:
			client_ok = n == duid_len && !memcmp(d, duid, n);
			break;
		case OPT_SERVERID:
			if (n && n <= DHCP6_DUID_MAX) {
				memcpy(r->server_id, d, n);
				r->server_id_len = n;
			}
			break;
		case OPT_STATUS_CODE:
			status(d, n, &r->status, r->status_msg,
			       sizeof(r->status_msg), w);
			break;
		case OPT_RAPID_COMMIT:
			r->rapid_commit = true;
			break;
		case OPT_PREFERENCE:
			if (n == 1)
				r->preference = d[0];
			break;
		case OPT_IA_NA:
			ia_na(d, n, c, r, w);
			break;
		case OPT_DNS_SERVERS:
			if (n % 16) {
				warn_add(w, "dhcp6: DNS servers option length "
					 "%zu; ignored", n);
				break;
			}
			for (; n && r->nr_dns < DHCP6_MAX_DNS; n -= 16, d += 16)
				memcpy(&r->dns[r->nr_dns++], d, 16);
			break;
		case OPT_DOMAIN_LIST:
			domain_list(d, n, r->domain, sizeof(r->domain), w);
			break;
		case OPT_BOOTFILE_URL:
			string(d, n, r->bootfile_url, sizeof(r->bootfile_url),
			       "boot file URL", w);
			break;
		case OPT_BOOTFILE_PARAM:
			bootfile_params(d, n, r->bootfile_param,
					sizeof(r->bootfile_param), w);
			break;
		default:
			break;
		}
	}
	if (rc < 0)
		warn_add(w, "dhcp6: options truncated");
	/* RFC 8415 16.10: discard without our client ID.  (A server ID is
	 * required too, but QEMU's stateless server sends none: the callers
	 * that need one, the stateful exchange, check server_id_len.) */
	if (!client_ok)
		return -ENOMSG;
	return 0;
}
