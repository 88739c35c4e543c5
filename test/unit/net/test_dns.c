/*
 * test/unit/net/test_dns.c: host tests of boot/net/dns_msg.c: the query's
 * wire form (RFC 1035 4.1), answers with A/AAAA records, a CNAME chain in
 * either order, compression pointers (and a pointer loop), NXDOMAIN,
 * SERVFAIL, TC, replies to another query, and truncated messages.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "net/dns_msg.h"

static void test_query(void **state)
{
	static const uint8_t want[] = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00"
				      "\x00\x00\x04" "boot\x03lab\x04test\x00"
				      "\x00\x1c\x00\x01";
	uint8_t b[512];
	char long_label[80];

	assert_int_equal(dns_query_build(b, sizeof(b), 0x1234, "boot.lab.test",
					 DNS_TYPE_AAAA), sizeof(want) - 1);
	assert_memory_equal(b, want, sizeof(want) - 1);
	/* A final dot is the same name. */
	assert_int_equal(dns_query_build(b, sizeof(b), 0x1234, "boot.lab.test.",
					 DNS_TYPE_AAAA), sizeof(want) - 1);
	memset(long_label, 'a', 64);
	long_label[64] = '\0';
	assert_int_equal(dns_query_build(b, sizeof(b), 1, long_label, 1), 0);
	assert_int_equal(dns_query_build(b, sizeof(b), 1, "a..b", 1), 0);
	assert_int_equal(dns_query_build(b, sizeof(b), 1, "", 1), 0);
	assert_int_equal(dns_query_build(b, 20, 1, "boot.lab.test", 1), 0);
}

struct msg {
	uint8_t b[512];
	size_t n;
};

static void put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

/* A response to query id for name/qtype with flags and an answer count;
 * the caller appends the records. */
static void response(struct msg *m, uint16_t id, const char *name,
		     uint16_t qtype, uint16_t flags, uint16_t an)
{
	m->n = dns_query_build(m->b, sizeof(m->b), id, name, qtype);
	m->b[2] = (uint8_t)(flags >> 8);
	m->b[3] = (uint8_t)flags;
	m->b[6] = (uint8_t)(an >> 8);
	m->b[7] = (uint8_t)an;
}

static void rr(struct msg *m, const void *owner, size_t ol, uint16_t type,
	       const void *rd, size_t rl)
{
	uint8_t h[10] = { (uint8_t)(type >> 8), (uint8_t)type, 0, 1, 0, 0, 0, 60,
			  (uint8_t)(rl >> 8), (uint8_t)rl };

	put(m, owner, ol);
	put(m, h, 10);
	put(m, rd, rl);
}

static void test_answers(void **state)
{
	struct dns_addr a[DNS_MAX_ADDRS];
	struct msg m;
	size_t n;
	bool tc;
	char t[64];

	/* Two A records, the owner a pointer to the question's name. */
	response(&m, 7, "boot.lab.test", DNS_TYPE_A, 0x8180, 2);
	rr(&m, "\xc0\x0c", 2, DNS_TYPE_A, "\x0a\x00\x02\x64", 4);
	rr(&m, "\xc0\x0c", 2, DNS_TYPE_A, "\x0a\x00\x02\x65", 4);
	assert_int_equal(dns_answer_parse(m.b, m.n, 7, "BOOT.lab.test", DNS_TYPE_A,
					  a, DNS_MAX_ADDRS, &n, &tc), 0);
	assert_int_equal(n, 2);
	assert_false(tc);
	assert_int_equal(a[0].family, AF_INET);
	assert_string_equal(inet_ntop(AF_INET, &a[1].v4, t, sizeof(t)), "10.0.2.101");

	/* A CNAME after the record it leads to; an AAAA. */
	response(&m, 8, "www.lab.test", DNS_TYPE_AAAA, 0x8180, 2);
	rr(&m, "\x04" "boot\x03lab\x04test\0", 15, DNS_TYPE_AAAA,
	   "\xfe\xc0\0\0\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	rr(&m, "\xc0\x0c", 2, DNS_TYPE_CNAME, "\x04" "boot\xc0\x10", 7);
	assert_int_equal(dns_answer_parse(m.b, m.n, 8, "www.lab.test",
					  DNS_TYPE_AAAA, a, DNS_MAX_ADDRS, &n,
					  &tc), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].family, AF_INET6);
	assert_string_equal(inet_ntop(AF_INET6, &a[0].v6, t, sizeof(t)), "fec0::2");

	/* A record of another name, a wrong length: not ours. */
	response(&m, 9, "boot.lab.test", DNS_TYPE_A, 0x8180, 2);
	rr(&m, "\x05other\0", 7, DNS_TYPE_A, "\x01\x02\x03\x04", 4);
	rr(&m, "\xc0\x0c", 2, DNS_TYPE_A, "\x01\x02\x03", 3);
	assert_int_equal(dns_answer_parse(m.b, m.n, 9, "boot.lab.test", DNS_TYPE_A,
					  a, DNS_MAX_ADDRS, &n, &tc), 0);
	assert_int_equal(n, 0);
}

static void test_errors(void **state)
{
	struct dns_addr a[DNS_MAX_ADDRS];
	struct msg m;
	size_t n;
	bool tc;

	response(&m, 1, "nx.lab.test", DNS_TYPE_A, 0x8183, 0);
	assert_int_equal(dns_answer_parse(m.b, m.n, 1, "nx.lab.test", DNS_TYPE_A,
					  a, DNS_MAX_ADDRS, &n, &tc), -ENOENT);
	response(&m, 1, "x.lab.test", DNS_TYPE_A, 0x8182, 0);
	assert_int_equal(dns_answer_parse(m.b, m.n, 1, "x.lab.test", DNS_TYPE_A,
					  a, DNS_MAX_ADDRS, &n, &tc), -EAGAIN);
	response(&m, 1, "x.lab.test", DNS_TYPE_A, 0x8380, 0);
	assert_int_equal(dns_answer_parse(m.b, m.n, 1, "x.lab.test", DNS_TYPE_A,
					  a, DNS_MAX_ADDRS, &n, &tc), 0);
	assert_true(tc);
	/* Another id, a query (QR clear), another name or type. */
	response(&m, 2, "x.lab.test", DNS_TYPE_A, 0x8180, 0);
	assert_int_equal(dns_answer_parse(m.b, m.n, 1, "x.lab.test", DNS_TYPE_A,
					  a, DNS_MAX_ADDRS, &n, &tc), -ENOMSG);
	response(&m, 1, "x.lab.test", DNS_TYPE_A, 0x0100, 0);
	assert_int_equal(dns_answer_parse(m.b, m.n, 1, "x.lab.test", DNS_TYPE_A,
					  a, DNS_MAX_ADDRS, &n, &tc), -ENOMSG);
	response(&m, 1, "y.lab.test", DNS_TYPE_A, 0x8180, 0);
	assert_int_equal(dns_answer_parse(m.b, m.n, 1, "x.lab.test", DNS_TYPE_A,
					  a, DNS_MAX_ADDRS, &n, &tc), -ENOMSG);
	assert_int_equal(dns_answer_parse(m.b, m.n, 1, "y.lab.test", DNS_TYPE_AAAA,
					  a, DNS_MAX_ADDRS, &n, &tc), -ENOMSG);
	/* A pointer loop, a record running past the end, too short. */
	response(&m, 3, "x.lab.test", DNS_TYPE_A, 0x8180, 1);
	{
		size_t at = m.n;

		put(&m, "\xc0", 1);
		m.b[m.n++] = (uint8_t)at;
		put(&m, "\0\x01\0\x01\0\0\0\x3c\0\x04\x01\x02\x03\x04", 14);
	}
	assert_int_equal(dns_answer_parse(m.b, m.n, 3, "x.lab.test", DNS_TYPE_A,
					  a, DNS_MAX_ADDRS, &n, &tc), -EBADMSG);
	response(&m, 4, "x.lab.test", DNS_TYPE_A, 0x8180, 1);
	rr(&m, "\xc0\x0c", 2, DNS_TYPE_A, "\x01\x02\x03\x04", 4);
	assert_int_equal(dns_answer_parse(m.b, m.n - 2, 4, "x.lab.test",
					  DNS_TYPE_A, a, DNS_MAX_ADDRS, &n, &tc),
			 -EBADMSG);
	assert_int_equal(dns_answer_parse(m.b, 11, 4, "x.lab.test", DNS_TYPE_A,
					  a, DNS_MAX_ADDRS, &n, &tc), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
