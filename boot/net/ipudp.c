/* kexshim: IPv4 + UDP framing for the DHCPv4 client (see ipudp.h).  Pure. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "net/ipudp.h"

uint32_t ipudp_csum_add(uint32_t sum, const void *data, size_t n)
{
	const uint8_t *p = data;

	for (; n > 1; p += 2, n -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (n)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t ipudp_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* RFC 768: the checksum covers a pseudo header (source, destination, zero,
 * protocol, UDP length), the UDP header and the data. */
static uint16_t udp_csum(uint32_t src, uint32_t dst, const uint8_t *udp,
			 size_t n)
{
	uint8_t pseudo[12];
	uint32_t sum;
	uint16_t c;

	memcpy(pseudo, &src, 4);
	memcpy(pseudo + 4, &dst, 4);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	put16(pseudo + 10, (uint16_t)n);
	sum = ipudp_csum_add(0, pseudo, sizeof(pseudo));
	sum = ipudp_csum_add(sum, udp, n);
	c = ipudp_csum_fold(sum);
	return c ? c : 0xffff; /* 0 means "none" */
}

size_t ipudp_build(uint8_t *buf, size_t size, const struct ipudp *h, size_t n)
{
	size_t total = IPUDP_HDR_LEN + n;
	uint8_t *ip = buf, *udp = buf + 20;

	if (total > size || total > 0xffff)
		return 0;
	memset(buf, 0, IPUDP_HDR_LEN);
	ip[0] = 0x45;                 /* version 4, 5 words */
	put16(ip + 2, (uint16_t)total);
	ip[8] = 64;                   /* TTL */
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &h->src, 4);
	memcpy(ip + 16, &h->dst, 4);
	put16(ip + 10, ipudp_csum_fold(ipudp_csum_add(0, ip, 20)));
	memcpy(udp, &h->sport, 2);
	memcpy(udp + 2, &h->dport, 2);
	put16(udp + 4, (uint16_t)(8 + n));
	put16(udp + 6, udp_csum(h->src, h->dst, udp, 8 + n));
	return total;
}

int ipudp_parse(const uint8_t *pkt, size_t len, bool csum_unchecked,
		struct ipudp *h, const uint8_t **payload, size_t *n)
{
	size_t ihl, total, ulen;
	const uint8_t *udp;

	if (len < 20 || (pkt[0] >> 4) != 4)
		return -EBADMSG;
	ihl = (size_t)(pkt[0] & 0xf) * 4;
	total = get16(pkt + 2);
	if (ihl < 20 || total < ihl || total > len)
		return -EBADMSG;
	if (ipudp_csum_fold(ipudp_csum_add(0, pkt, ihl)) != 0)
		return -EBADMSG;
	/* More fragments, or a fragment offset: DHCP never fragments. */
	if (get16(pkt + 6) & 0x3fff)
		return -ENOMSG;
	if (pkt[9] != IPPROTO_UDP)
		return -ENOMSG;
	udp = pkt + ihl;
	if (total - ihl < 8)
		return -EBADMSG;
	ulen = get16(udp + 4);
	if (ulen < 8 || ulen > total - ihl)
		return -EBADMSG;
	memcpy(&h->src, pkt + 12, 4);
	memcpy(&h->dst, pkt + 16, 4);
	memcpy(&h->sport, udp, 2);
	memcpy(&h->dport, udp + 2, 2);
	if (!csum_unchecked && get16(udp + 6)) {
		uint8_t pseudo[12];
		uint32_t sum;

		memcpy(pseudo, &h->src, 4);
		memcpy(pseudo + 4, &h->dst, 4);
		pseudo[8] = 0;
		pseudo[9] = IPPROTO_UDP;
		put16(pseudo + 10, (uint16_t)ulen);
		sum = ipudp_csum_add(0, pseudo, sizeof(pseudo));
		sum = ipudp_csum_add(sum, udp, ulen);
		if (ipudp_csum_fold(sum) != 0)
			return -EBADMSG;
	}
	*payload = udp + 8;
	*n = ulen - 8;
	return 0;
}
