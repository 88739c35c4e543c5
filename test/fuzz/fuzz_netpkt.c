/* fuzz: the other packets a fetch reads from servers: DNS answers
 * (dns_answer_parse, for A and AAAA, with the query's id and name patched
 * in) and TFTP OACK/ERROR packets (tftp_oack_parse against every option
 * asked, tftp_error_parse).  The first byte picks.  Checks: answers fit
 * max and have the asked family; a negotiated blksize/windowsize within
 * what was asked (or the defaults), timeout as asked; an error message
 * terminated and printable. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/dns_msg.h"
#include "net/tftp_pkt.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void dns(const uint8_t *data, size_t size, uint16_t qtype)
{
	static uint8_t buf[4096];
	struct dns_addr a[DNS_MAX_ADDRS];
	size_t n, ql, i;
	bool tc;

	/* The query itself first: the fuzzer writes the answers. */
	ql = dns_query_build(buf, sizeof(buf), 0x4242, "boot.lab.test", qtype);
	CHECK(ql);
	if (size > sizeof(buf) - ql)
		size = sizeof(buf) - ql;
	memcpy(buf + ql, data, size);
	buf[2] = 0x81;
	buf[3] = size ? data[0] & 0x8f : 0x80;
	buf[6] = 0;
	buf[7] = size > 1 ? data[1] % 16 : 1;
	if (!dns_answer_parse(buf, ql + size, 0x4242, "boot.lab.test", qtype, a,
			      3, &n, &tc)) {
		CHECK(n <= 3);
		for (i = 0; i < n; i++)
			CHECK(a[i].family == (qtype == DNS_TYPE_A ? AF_INET : AF_INET6));
	}
	dns_answer_parse(data, size, 0x4242, "boot.lab.test", qtype, a, 3, &n, &tc);
}

static void tftp(const uint8_t *data, size_t size)
{
	struct tftp_opts want = { .blksize = 1468, .tsize = true,
				  .windowsize = 16, .timeout = 2 }, got;
	static uint8_t buf[2048];
	char why[128], msg[64];
	uint16_t code;
	size_t n = size < sizeof(buf) - 2 ? size : sizeof(buf) - 2, i;

	buf[0] = 0;
	buf[1] = TFTP_OACK;
	memcpy(buf + 2, data, n);
	if (!tftp_oack_parse(buf, n + 2, &want, &got, why, sizeof(why))) {
		CHECK(got.blksize >= TFTP_BLKSIZE_MIN && got.blksize <= want.blksize);
		CHECK(got.windowsize >= 1 && got.windowsize <= want.windowsize);
		CHECK(!got.timeout || got.timeout == want.timeout);
	} else {
		CHECK(strnlen(why, sizeof(why)) < sizeof(why));
	}
	buf[1] = TFTP_ERROR;
	if (!tftp_error_parse(buf, n + 2, &code, msg, sizeof(msg))) {
		CHECK(strnlen(msg, sizeof(msg)) < sizeof(msg));
		for (i = 0; msg[i]; i++)
			CHECK((unsigned char)msg[i] >= 0x20 && (unsigned char)msg[i] < 0x7f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		dns(data + 1, size - 1, DNS_TYPE_A);
		break;
	case 1:
		dns(data + 1, size - 1, DNS_TYPE_AAAA);
		break;
	default:
		tftp(data + 1, size - 1);
		break;
	}
	return 0;
}
