/* fuzz: what the TPM answers and what the event log is made of: a
 * response through tpm2_response() and, when it passes, the PCR
 * selection and PCR_Read parsers on its parameters (a TPM, or anything
 * behind /dev/tpmrm0, may answer garbage); the input as the string of a
 * CEL-JSON record (cel_append()) and as the data of the log's cpio
 * (cpio_one_file()).  Checks: errors are the documented ones with "tpm: "
 * messages, banks and selections stay in bounds, every record is RS, one
 * line of well-formed UTF-8 JSON without control characters, and LF,
 * archives are whole newc records padded to 4. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "lib/error.h"
#include "secure/cel.h"
#include "secure/cpio.h"
#include "secure/tpm2.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void responses(const uint8_t *data, size_t size)
{
	struct tpm2_bank b[TPM2_MAX_BANKS];
	uint8_t d[TPM2_MAX_DIGEST];
	const uint8_t *p;
	size_t plen;
	int rc, n, i;

	rc = tpm2_response("f", data, size, &p, &plen);
	CHECK(rc == 0 || rc == -EIO || rc == -EBADMSG);
	if (rc) {
		CHECK(starts(kx_last_error(), "tpm: f: "));
		return;
	}
	CHECK(p >= data && plen <= size && (size_t)(p - data) <= size - plen);
	n = tpm2_parse_pcrs(p, plen, b);
	CHECK(n == -EBADMSG || (n >= 0 && n <= TPM2_MAX_BANKS));
	for (i = 0; i < n; i++) {
		CHECK(b[i].size_of_select <= TPM2_PCR_SELECT_MAX);
		CHECK(!tpm2_bank_has(&b[i], 8 * TPM2_PCR_SELECT_MAX));
	}
	rc = tpm2_parse_pcr_read(p, plen, d, sizeof(d));
	CHECK(rc == -EBADMSG || (rc >= 0 && rc <= (int)sizeof(d)));
}

static void record(const uint8_t *data, size_t size)
{
	struct tpm2_digest dg = { .alg = TPM_ALG_SHA256 };
	struct cel c = { 0 };
	char *s = malloc(size + 1);
	size_t i;

	CHECK(s);
	memcpy(s, data, size);
	s[size] = '\0';
	memset(dg.d, 0x42, sizeof(dg.d));
	CHECK(!cel_append(&c, 12, &dg, 1, "cmdline", s));
	CHECK(c.len >= 3 && c.buf[0] == 0x1e && c.buf[c.len - 1] == '\n');
	CHECK(!strcmp(c.buf + c.len - 3, "}}\n"));
	for (i = 1; i + 1 < c.len; i++)
		CHECK((unsigned char)c.buf[i] >= 0x20 && c.buf[i] != 0x7f);
	CHECK(utf8_valid((const uint8_t *)c.buf + 1, c.len - 2));
	cel_free(&c);
	free(s);
}

static void archive(const uint8_t *data, size_t size)
{
	long n = cpio_one_file("a/b/log", data, size, 0444, NULL, 0);
	uint8_t *out;

	CHECK(n > 0 && n % 4 == 0);
	CHECK((size_t)n >= size + 4 * CPIO_NEWC_HEADER_LEN);
	out = malloc((size_t)n);
	CHECK(out);
	CHECK(cpio_one_file("a/b/log", data, size, 0444, out, (size_t)n) == n);
	CHECK(!memcmp(out, "070701", 6));
	/* The trailer: its header, "TRAILER!!!" and the NUL, padded to 124. */
	CHECK(!memcmp(out + n - 124, "070701", 6));
	CHECK(!memcmp(out + n - 14, "TRAILER!!!", 11));
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	responses(data, size);
	if (size < 4096) {
		record(data, size);
		archive(data, size);
	}
	return 0;
}
