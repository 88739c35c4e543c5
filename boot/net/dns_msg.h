/* kexshim: DNS messages (RFC 1035) for the stub resolver: one A or AAAA
 * question out, the answer's addresses in, CNAME chains followed and
 * compressed names decoded with a bound on the pointers.  Pure: bytes in,
 * addresses out; dns.c does the asking. */
#ifndef KEXSHIM_NET_DNS_MSG_H
#define KEXSHIM_NET_DNS_MSG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_PORT 53
#define DNS_NAME_MAX 255        /* RFC 1035 2.3.4, as text */
#define DNS_UDP_MAX 512         /* RFC 1035 4.2.1, no EDNS */
#define DNS_TYPE_A 1
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_AAAA 28
#define DNS_MAX_ADDRS 8

struct dns_addr {
	int family;                 /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/* A standard query (RD set) for name's qtype records, id as given.
 * Return: the length, or 0 when name is not a valid host name (labels of
 * 1-63 bytes, at most 253 in all) or does not fit in size. */
size_t dns_query_build(uint8_t *buf, size_t size, uint16_t id,
		       const char *name, uint16_t qtype);

/* Read the reply to that query: the same id and question, then every
 * qtype record of the name or of the CNAMEs it leads to (at most 8 hops)
 * into out (max entries).  *truncated is set for TC (ask again over TCP).
 * Return: 0 with *n (0: the name has no such records), -ENOENT when the
 * name does not exist (NXDOMAIN), -EAGAIN when the server failed or
 * refused, -ENOMSG when it is not the reply to this query, -EBADMSG when
 * it is malformed. */
int dns_answer_parse(const uint8_t *buf, size_t len, uint16_t id,
		     const char *name, uint16_t qtype, struct dns_addr *out,
		     size_t max, size_t *n, bool *truncated);

#endif
