/*
 * test/unit/net/test_tftp.c: host tests of boot/net/tftp_pkt.c: the RRQ
 * with and without options (RFC 2347 layout), OACK negotiation (RFC
 * 2348/2349/7440: values a server may lower but not raise, timeout
 * unchanged, options nobody asked for, duplicates, junk), ACK and ERROR
 * packets, malformed ones.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "net/tftp_pkt.h"

static void test_rrq(void **state)
{
	static const uint8_t plain[] = "\0\x01pxelinux.cfg/default\0octet\0";
	static const uint8_t opts[] = "\0\x01k\0octet\0blksize\0" "1468\0tsize\0"
				      "0\0timeout\0" "3\0windowsize\0" "16\0";
	struct tftp_opts want = { .blksize = 1468, .tsize = true, .timeout = 3,
				  .windowsize = 16 };
	uint8_t b[600];
	size_t n;

	n = tftp_rrq_build(b, sizeof(b), "pxelinux.cfg/default", NULL);
	assert_int_equal(n, sizeof(plain) - 1);
	assert_memory_equal(b, plain, n);
	n = tftp_rrq_build(b, sizeof(b), "k", &want);
	assert_int_equal(n, sizeof(opts) - 1);
	assert_memory_equal(b, opts, n);
	assert_int_equal(tftp_rrq_build(b, sizeof(b), "", NULL), 0);
	assert_int_equal(tftp_rrq_build(b, 12, "abcdefghij", NULL), 0);
	assert_int_equal(tftp_opcode(b, 1), 0);
}

/* "\0\6" + s[0..len), s holding NUL-separated name/value pairs. */
static size_t oack(uint8_t *b, const char *s, size_t len)
{
	b[0] = 0;
	b[1] = TFTP_OACK;
	memcpy(b + 2, s, len);
	return 2 + len;
}

#define OACK(b, lit) oack(b, lit, sizeof(lit) - 1)

static void test_oack_negotiation(void **state)
{
	struct tftp_opts want = { .blksize = 1468, .tsize = true, .windowsize = 16,
				  .timeout = 3 }, got;
	char why[128];
	uint8_t b[256];
	size_t n;

	n = OACK(b, "blksize\0" "1024\0TSIZE\0" "33554432\0windowsize\0" "8\0"
		    "timeout\0" "3\0");
	assert_int_equal(tftp_oack_parse(b, n, &want, &got, why, sizeof(why)), 0);
	assert_int_equal(got.blksize, 1024);
	assert_int_equal(got.windowsize, 8);
	assert_int_equal(got.timeout, 3);
	assert_true(got.tsize);
	assert_int_equal(got.size, 33554432);

	/* What the OACK leaves out takes its default (a server without
	 * windowsize, such as QEMU's). */
	n = OACK(b, "blksize\0" "1428\0");
	assert_int_equal(tftp_oack_parse(b, n, &want, &got, why, sizeof(why)), 0);
	assert_int_equal(got.blksize, 1428);
	assert_int_equal(got.windowsize, 1);
	assert_false(got.tsize);
	n = OACK(b, "");
	assert_int_equal(tftp_oack_parse(b, n, &want, &got, why, sizeof(why)), 0);
	assert_int_equal(got.blksize, TFTP_BLKSIZE_DEFAULT);
}

static void test_oack_refused(void **state)
{
	static const struct {
		const char *s;
		size_t n;
		const char *why;
	} bad[] = {
#define B(lit, why) { lit, sizeof(lit) - 1, why }
		B("blksize\0" "2000\0", "blksize"),         /* above asked */
		B("blksize\0" "7\0", "blksize"),            /* RFC 2348: >= 8 */
		B("blksize\0" "12a\0", "blksize"),
		B("blksize\0" "\0", "blksize"),
		B("windowsize\0" "17\0", "windowsize"),
		B("windowsize\0" "0\0", "windowsize"),
		B("timeout\0" "5\0", "timeout"),            /* RFC 2349: as asked */
		B("tsize\0" "-1\0", "tsize"),
		B("tsize\0" "99999999999999999999999\0", "tsize"),
		B("frobnicate\0" "1\0", "was not asked"),
		B("blksize\0" "512\0blksize\0" "512\0", "was not asked"),
		B("blksize\0" "512", "no value"),
		B("blksize", "not terminated"),
#undef B
	};
	struct tftp_opts want = { .blksize = 1468, .tsize = true, .windowsize = 16,
				  .timeout = 3 }, got;
	char why[128];
	uint8_t b[256];
	size_t i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = oack(b, bad[i].s, bad[i].n);
		assert_int_equal(tftp_oack_parse(b, n, &want, &got, why,
						 sizeof(why)), -EPROTO);
		if (!strstr(why, bad[i].why))
			fail_msg("case %zu: '%s' does not say '%s'", i, why,
				 bad[i].why);
	}
	/* An option we did not ask for this time. */
	want.windowsize = 0;
	n = OACK(b, "windowsize\0" "4\0");
	assert_int_equal(tftp_oack_parse(b, n, &want, &got, why, sizeof(why)),
			 -EPROTO);
	b[1] = TFTP_DATA;
	assert_int_equal(tftp_oack_parse(b, n, &want, &got, why, sizeof(why)),
			 -EPROTO);
}

static void test_ack_error(void **state)
{
	uint8_t b[64];
	char msg[16];
	uint16_t code;
	size_t n;

	assert_int_equal(tftp_ack_build(b, 0xfffe), 4);
	assert_memory_equal(b, "\0\x04\xff\xfe", 4);
	n = tftp_error_build(b, sizeof(b), TFTP_EBADID, "unknown transfer ID");
	assert_int_equal(n, 4 + 20);
	assert_int_equal(tftp_opcode(b, n), TFTP_ERROR);
	assert_int_equal(tftp_error_parse(b, n, &code, msg, sizeof(msg)), 0);
	assert_int_equal(code, TFTP_EBADID);
	assert_string_equal(msg, "unknown transfe"); /* cut to fit */
	/* A message without its NUL, with a control character. */
	memcpy(b, "\0\x05\0\x01no\nfile", 11);
	assert_int_equal(tftp_error_parse(b, 11, &code, msg, sizeof(msg)), 0);
	assert_int_equal(code, TFTP_ENOTFOUND);
	assert_string_equal(msg, "no?file");
	assert_int_equal(tftp_error_parse(b, 3, &code, msg, sizeof(msg)), -EBADMSG);
	b[1] = TFTP_DATA;
	assert_int_equal(tftp_error_parse(b, 11, &code, msg, sizeof(msg)), -EBADMSG);
	/* Too small for the message: an empty one. */
	n = tftp_error_build(b, 8, TFTP_EOPTNEG, "a long message");
	assert_int_equal(n, 5);
	assert_int_equal(tftp_error_build(b, 4, 0, ""), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rrq),
		cmocka_unit_test(test_oack_negotiation),
		cmocka_unit_test(test_oack_refused),
		cmocka_unit_test(test_ack_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
