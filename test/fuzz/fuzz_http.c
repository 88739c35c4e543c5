/* fuzz: an HTTP response as it arrives: http_head_end() finds the head in
 * the input, http_resp_parse() reads it, the rest goes through the
 * chunked decoder in pieces whose sizes come from the first byte.  Checks
 * http_resp.h's promises: the head ends within the input; a parsed status
 * is 100..599, a range first <= last < total, no Content-Length with
 * chunked, strings terminated; the decoder never writes more body bytes
 * than it was fed, and once done stays done. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/warn.h"
#include "net/http_resp.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_resp r;
	struct warnings w = { 0 };
	struct chunked c = { 0 };
	const char *buf;
	size_t step, head, i;
	uint8_t *body;

	if (size < 1)
		return 0;
	step = (size_t)(data[0] % 64) + 1;
	buf = (const char *)data + 1;
	size--;
	head = http_head_end(buf, size);
	CHECK(head <= size);
	if (!head)
		head = size; /* parse what there is: it must not crash */
	if (!http_resp_parse(buf, head, &r, &w)) {
		CHECK(r.status >= 100 && r.status <= 599);
		CHECK(!(r.chunked && r.has_length));
		if (r.has_range) {
			CHECK(r.range_first <= r.range_last);
			CHECK(r.range_total == HTTP_RANGE_UNKNOWN ||
			      r.range_last < r.range_total);
		}
		CHECK(strnlen(r.location, sizeof(r.location)) < sizeof(r.location));
		CHECK(strnlen(r.etag, sizeof(r.etag)) < sizeof(r.etag));
		CHECK(strnlen(r.reason, sizeof(r.reason)) < sizeof(r.reason));
	}
	for (i = 0; i < w.n; i++)
		CHECK(!strncmp(w.msg[i], "http: ", 6));
	body = malloc(size - head + 1);
	if (!body)
		return 0;
	for (i = head; i < size; i += step) {
		size_t k = size - i < step ? size - i : step, out = 0;
		bool was_done = c.done;

		memcpy(body, buf + i, k);
		if (chunked_feed(&c, body, k, &out))
			break;
		CHECK(out <= k);
		CHECK(!was_done || (c.done && out == 0));
	}
	free(body);
	return 0;
}
