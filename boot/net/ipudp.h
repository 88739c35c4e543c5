/* kexshim: IPv4 + UDP headers (RFC 791, RFC 768) around a payload, for the
 * DHCPv4 client, which sends and hears frames on a packet socket before
 * the interface has an address.  Pure: bytes in, bytes out. */
#ifndef KEXSHIM_NET_IPUDP_H
#define KEXSHIM_NET_IPUDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPUDP_HDR_LEN 28 /* 20 (IPv4, no options) + 8 (UDP) */

/* Addresses and ports in network byte order. */
struct ipudp {
	uint32_t src, dst;
	uint16_t sport, dport;
};

/* Write the headers for payload (already at buf + IPUDP_HDR_LEN, n bytes),
 * checksums included; TTL 64, DF clear, ID 0.
 * Return: the datagram's length, or 0 when it would not fit in size. */
size_t ipudp_build(uint8_t *buf, size_t size, const struct ipudp *h, size_t n);

/* Check a received IPv4 datagram: version 4, a sane header length, the
 * header checksum, not a fragment, UDP, lengths that fit, and the UDP
 * checksum unless it is 0 or csum_unchecked (the NIC has not filled it in
 * yet: PACKET_AUXDATA's TP_STATUS_CSUMNOTREADY).
 * Return: 0 with *h, *payload and *n, or -EBADMSG / -ENOMSG (not UDP). */
int ipudp_parse(const uint8_t *pkt, size_t len, bool csum_unchecked,
		struct ipudp *h, const uint8_t **payload, size_t *n);

/* The Internet checksum (RFC 1071) of data, continuing from sum (only
 * the last piece may have an odd length). */
uint32_t ipudp_csum_add(uint32_t sum, const void *data, size_t n);
uint16_t ipudp_csum_fold(uint32_t sum);

#endif
