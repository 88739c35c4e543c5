/*
 * test/unit/net/test_http.c: host tests of boot/net/http_resp.c: response
 * heads (status line, Content-Length lists, Transfer-Encoding, a 206's
 * Content-Range, Location, ETag, Retry-After, bare LF lines) and the ones
 * to refuse (obs-fold, disagreeing lengths, a coding other than chunked,
 * a bad range), and the chunked decoder fed one byte at a time and in
 * one piece, with extensions and trailers, and broken.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/warn.h"
#include "net/http_resp.h"

#define HEAD(s) s, sizeof(s) - 1

static void test_head_end(void **state)
{
	assert_int_equal(http_head_end(HEAD("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody")),
			 25);
	assert_int_equal(http_head_end(HEAD("HTTP/1.1 200 OK\nA: b\n\nbody")), 22);
	assert_int_equal(http_head_end(HEAD("HTTP/1.1 200 OK\r\nA: b\r\n")), 0);
	assert_int_equal(http_head_end(HEAD("")), 0);
}

static void test_ok_response(void **state)
{
	static const char h[] =
		"HTTP/1.1 200 OK\r\n"
		"Content-Length: 42, 42\r\n"
		"ETag: \"abc\"\r\n"
		"Last-Modified: Tue, 01 Dec 2026 10:00:00 GMT\r\n"
		"accept-ranges:  bytes \r\n"
		"Connection: keep-alive, close\r\n"
		"X-Unknown: whatever\r\n\r\n";
	struct http_resp r;
	struct warnings w = { 0 };

	assert_int_equal(http_resp_parse(HEAD(h), &r, &w), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.minor, 1);
	assert_string_equal(r.reason, "OK");
	assert_true(r.has_length);
	assert_int_equal(r.length, 42);
	assert_false(r.chunked);
	assert_string_equal(r.etag, "\"abc\"");
	assert_false(r.etag_weak);
	assert_string_equal(r.last_modified, "Tue, 01 Dec 2026 10:00:00 GMT");
	assert_true(r.accept_ranges);
	assert_true(r.close);
	assert_int_equal(warn_count(&w), 0);
}

static void test_partial_redirect_retry(void **state)
{
	struct http_resp r;

	assert_int_equal(http_resp_parse(HEAD(
		"HTTP/1.1 206 Partial Content\nContent-Range: bytes 100-199/2000\n"
		"Content-Length: 100\nETag: W/\"weak\"\n\n"), &r, NULL), 0);
	assert_int_equal(r.status, 206);
	assert_true(r.has_range);
	assert_int_equal(r.range_first, 100);
	assert_int_equal(r.range_last, 199);
	assert_int_equal(r.range_total, 2000);
	assert_true(r.etag_weak);
	assert_int_equal(http_resp_parse(HEAD(
		"HTTP/1.1 206 x\r\nContent-Range: bytes 5-9/*\r\n\r\n"), &r, NULL), 0);
	assert_int_equal(r.range_total, HTTP_RANGE_UNKNOWN);
	assert_int_equal(http_resp_parse(HEAD(
		"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */2000\r\n\r\n"),
		&r, NULL), 0);
	assert_false(r.has_range);
	assert_int_equal(http_resp_parse(HEAD(
		"HTTP/1.1 302 Found\r\nLocation: /lab/x86/vmlinuz\r\n\r\n"), &r, NULL), 0);
	assert_string_equal(r.location, "/lab/x86/vmlinuz");
	assert_int_equal(http_resp_parse(HEAD(
		"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 7\r\n\r\n"), &r, NULL), 0);
	assert_int_equal(r.retry_after, 7);
	assert_true(r.close); /* HTTP/1.0 */
	assert_int_equal(http_resp_parse(HEAD(
		"HTTP/1.1 503 x\r\nRetry-After: Fri, 31 Dec 1999 23:59:59 GMT\r\n\r\n"),
		&r, NULL), 0);
	assert_int_equal(r.retry_after, 0);
	/* No reason phrase at all. */
	assert_int_equal(http_resp_parse(HEAD("HTTP/1.1 204\r\n\r\n"), &r, NULL), 0);
	assert_int_equal(r.status, 204);
}

static void test_transfer_encoding(void **state)
{
	struct http_resp r;

	/* RFC 9112 6.3: Transfer-Encoding wins over Content-Length. */
	assert_int_equal(http_resp_parse(HEAD(
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n"
		"Transfer-Encoding: identity, Chunked\r\n\r\n"), &r, NULL), 0);
	assert_true(r.chunked);
	assert_false(r.has_length);
	assert_int_equal(http_resp_parse(HEAD(
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"), &r,
		NULL), -ENOTSUP);
	assert_int_equal(http_resp_parse(HEAD(
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"), &r,
		NULL), -EBADMSG);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 11\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX-A: b\r\n folded\r\n\r\n",
		"HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
		"HTTP/1.1 200 OK\r\nBad name: x\r\n\r\n",
		"HTTP/1.1 206 x\r\nContent-Range: bytes 9-5/10\r\n\r\n",
		"HTTP/1.1 206 x\r\nContent-Range: bytes 0-10/10\r\n\r\n",
		"HTTP/1.1 206 x\r\nContent-Range: items 0-1/10\r\n\r\n",
		"HTTP/1.1 206 x\r\nContent-Range: bytes 0-1\r\n\r\n",
		"HTTP/2 200 OK\r\n\r\n",
		"HTTP/1.1 20 OK\r\n\r\n",
		"HTTP/1.1 700 x\r\n\r\n",
		"HTTP/1.1 200OK\r\n\r\n",
		"ICY 200 OK\r\n\r\n",
		"HTTP/1.1 200 OK",
	};
	struct http_resp r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (http_resp_parse(bad[i], strlen(bad[i]), &r, NULL) != -EBADMSG)
			fail_msg("case %zu was accepted: %s", i, bad[i]);
}

static void test_odd_fields(void **state)
{
	char h[2200];
	struct http_resp r;
	struct warnings w = { 0 };

	/* A Location too long to keep, a control character in an ETag. */
	strcpy(h, "HTTP/1.1 302 x\r\nLocation: /");
	memset(h + strlen(h), 'a', 2100);
	strcpy(h + 27 + 2100, "\r\nETag: \"a\x01\"\r\n\r\n");
	assert_int_equal(http_resp_parse(h, strlen(h), &r, &w), 0);
	assert_false(r.location[0]);
	assert_false(r.etag[0]);
	assert_int_equal(warn_count(&w), 2);
}

/* Feed s to a fresh decoder in pieces of step bytes; the body into out. */
static int decode(const char *s, size_t step, char *out, size_t *outlen,
		  bool *done)
{
	struct chunked c = { 0 };
	uint8_t buf[256];
	size_t n = strlen(s), i, body;
	int rc;

	*outlen = 0;
	for (i = 0; i < n; i += step) {
		size_t k = n - i < step ? n - i : step;

		memcpy(buf, s + i, k);
		rc = chunked_feed(&c, buf, k, &body);
		if (rc)
			return rc;
		memcpy(out + *outlen, buf, body);
		*outlen += body;
	}
	*done = c.done;
	return 0;
}

static void test_chunked(void **state)
{
	static const char good[] = "4\r\nWiki\r\n5;name=val\r\npedia\r\nE\r\n in\r\n"
				   "\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\nJUNK";
	char out[128];
	size_t n, step;
	bool done;

	for (step = 1; step <= sizeof(good); step++) {
		assert_int_equal(decode(good, step, out, &n, &done), 0);
		assert_true(done);
		assert_int_equal(n, 23);
		assert_memory_equal(out, "Wikipedia in\r\n\r\nchunks.", 23);
	}
	/* Bare LFs; an unfinished body is not done. */
	assert_int_equal(decode("3\nabc\n0\n\n", 1, out, &n, &done), 0);
	assert_true(done);
	assert_int_equal(n, 3);
	assert_int_equal(decode("a\r\n01234", 3, out, &n, &done), 0);
	assert_false(done);
	assert_int_equal(n, 5);
	/* Broken: no size, a non-hex size, no CRLF after the data, an
	 * overflowing size. */
	assert_int_equal(decode("\r\n", 1, out, &n, &done), -EBADMSG);
	assert_int_equal(decode("g\r\n", 1, out, &n, &done), -EBADMSG);
	assert_int_equal(decode("2\r\nabX", 1, out, &n, &done), -EBADMSG);
	assert_int_equal(decode("1000000000000000\r\n", 1, out, &n, &done),
			 -EBADMSG);
	assert_int_equal(decode("2\rX", 1, out, &n, &done), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head_end),
		cmocka_unit_test(test_ok_response),
		cmocka_unit_test(test_partial_redirect_retry),
		cmocka_unit_test(test_transfer_encoding),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_odd_fields),
		cmocka_unit_test(test_chunked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
