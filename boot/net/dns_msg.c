/* kexshim: DNS messages (see dns_msg.h).  Pure.  Layout: RFC 1035 4.1. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "net/dns_msg.h"

#define HDR_LEN 12
#define CLASS_IN 1
#define MAX_POINTERS 32  /* more is a loop */
#define MAX_CNAMES 8

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

size_t dns_query_build(uint8_t *buf, size_t size, uint16_t id,
		       const char *name, uint16_t qtype)
{
	size_t o = HDR_LEN, total = strlen(name);
	const char *p = name;

	if (total && name[total - 1] == '.')
		total--;  /* a fully qualified "host.example." */
	if (!total || total > 253 || HDR_LEN + total + 2 + 4 > size)
		return 0;
	memset(buf, 0, HDR_LEN);
	put16(buf, id);
	buf[2] = 0x01;                /* RD: recursion desired */
	put16(buf + 4, 1);            /* QDCOUNT */
	while (p < name + total) {
		size_t l = strcspn(p, ".");

		if (p + l > name + total)
			l = (size_t)(name + total - p);
		if (!l || l > 63)
			return 0;
		buf[o++] = (uint8_t)l;
		memcpy(buf + o, p, l);
		o += l;
		p += l + 1;
	}
	buf[o++] = 0;
	put16(buf + o, qtype);
	put16(buf + o + 2, CLASS_IN);
	return o + 4;
}

/* Decode the (maybe compressed) name at *off into out (dotted, lower
 * case); *off moves past it in the message.  Return: 0 or -EBADMSG. */
static int read_name(const uint8_t *m, size_t len, size_t *off, char *out)
{
	size_t p = *off, o = 0;
	unsigned jumps = 0;
	bool jumped = false;

	for (;;) {
		uint8_t l;

		if (p >= len)
			return -EBADMSG;
		l = m[p];
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= len || ++jumps > MAX_POINTERS)
				return -EBADMSG;
			if (!jumped)
				*off = p + 2;
			jumped = true;
			p = (size_t)(l & 0x3f) << 8 | m[p + 1];
			continue;
		}
		if (l & 0xc0)
			return -EBADMSG; /* 0x40, 0x80: extended labels */
		p++;
		if (!l)
			break;
		if (p + l > len || o + l + 1 > DNS_NAME_MAX)
			return -EBADMSG;
		if (o)
			out[o++] = '.';
		for (size_t i = 0; i < l; i++) {
			char c = (char)m[p + i];

			out[o++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
		p += l;
	}
	out[o] = '\0';
	if (!jumped)
		*off = p;
	return 0;
}

/* Names compare case-insensitively, a final '.' aside. */
static bool same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && !strncasecmp(a, b, la);
}

int dns_answer_parse(const uint8_t *buf, size_t len, uint16_t id,
		     const char *name, uint16_t qtype, struct dns_addr *out,
		     size_t max, size_t *n, bool *truncated)
{
	char owner[DNS_NAME_MAX + 1], cur[DNS_NAME_MAX + 1];
	char target[DNS_NAME_MAX + 1];
	size_t off = HDR_LEN, ans_off;
	unsigned qd, an, rcode, hops, pass;

	*n = 0;
	*truncated = false;
	if (len < HDR_LEN)
		return -EBADMSG;
	if (get16(buf) != id || !(buf[2] & 0x80))
		return -ENOMSG;           /* not our id, or not a response */
	*truncated = buf[2] & 0x02;
	rcode = buf[3] & 0x0f;
	qd = get16(buf + 4);
	an = get16(buf + 6);
	if (qd != 1)
		return -ENOMSG;
	if (read_name(buf, len, &off, owner) || off + 4 > len)
		return -EBADMSG;
	if (!same_name(owner, name) || get16(buf + off) != qtype ||
	    get16(buf + off + 2) != CLASS_IN)
		return -ENOMSG;
	off += 4;
	if (rcode == 3)
		return -ENOENT;
	if (rcode)
		return -EAGAIN;
	if (strlen(name) > DNS_NAME_MAX)
		return -EBADMSG;
	strcpy(cur, name);
	ans_off = off;
	/* A CNAME may come after the records it leads to: walk the answer
	 * section again after each hop. */
	for (hops = 0; hops <= MAX_CNAMES; hops++) {
		bool moved = false;

		off = ans_off;
		for (pass = 0; pass < an; pass++) {
			uint16_t type, class, rdlen;
			size_t rd;

			if (read_name(buf, len, &off, owner) || off + 10 > len)
				return -EBADMSG;
			type = get16(buf + off);
			class = get16(buf + off + 2);
			rdlen = get16(buf + off + 8);
			rd = off + 10;
			if (rd + rdlen > len)
				return -EBADMSG;
			off = rd + rdlen;
			if (class != CLASS_IN || !same_name(owner, cur))
				continue;
			if (type == DNS_TYPE_CNAME && !moved) {
				size_t t = rd;

				if (read_name(buf, len, &t, target) ||
				    t != rd + rdlen)
					return -EBADMSG;
				moved = true;
				continue;
			}
			if (type != qtype || *n >= max)
				continue;
			if (type == DNS_TYPE_A && rdlen == 4) {
				out[*n].family = AF_INET;
				memcpy(&out[*n].v4, buf + rd, 4);
				(*n)++;
			} else if (type == DNS_TYPE_AAAA && rdlen == 16) {
				out[*n].family = AF_INET6;
				memcpy(&out[*n].v6, buf + rd, 16);
				(*n)++;
			}
		}
		if (*n || !moved)
			break;
		strcpy(cur, target);
	}
	return 0;
}
