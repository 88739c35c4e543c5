/* fuzz: a signed PE end to end: authenticode_hash() (the image hash and
 * the attribute certificate table), pkcs7_verify_signed() on each
 * signature (mbedTLS's ASN.1 reader, X.509 parser and signature check),
 * then verify_image() twice: with nothing trusted, and with a db made of
 * the certificates the first signature carries (so the chain and
 * revocation code runs on what the fuzzer made).  Checks: every view
 * lies inside the input; errors are the documented errnos with "secure:
 * f.efi: " messages; an image is never trusted by an empty db; a verdict
 * does not change when asked again. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "common/guid.h"
#include "common/le.h"
#include "lib/error.h"
#include "secure/authenticode.h"
#include "secure/pkcs7.h"
#include "secure/sigdb.h"
#include "secure/siglist.h"
#include "secure/verify.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *lo, *hi;

static void check_view(const void *p, size_t n)
{
	const uint8_t *b = p;

	CHECK(b >= lo && b <= hi && n <= (size_t)(hi - b));
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool known(int rc)
{
	return rc == 0 || rc == -ENODATA || rc == -ENOKEY || rc == -EKEYREJECTED ||
	       rc == -EBADMSG || rc == -ENOEXEC || rc == -ENOMEM;
}

/* A db of the certificates s carries, as EFI_CERT_X509 lists. */
static void db_of(const struct pkcs7_signed *s, struct sigdb *db)
{
	const mbedtls_x509_crt *c;
	uint8_t *l;

	for (c = &s->certs; c && c->raw.p && db->n < SIGDB_MAX; c = c->next) {
		size_t n = ESL_HEADER_LEN + ESL_OWNER_LEN + c->raw.len;

		l = calloc(1, n);
		CHECK(l);
		CHECK(!guid_from_text(EFI_CERT_X509_GUID, l));
		put_le32(l + ESL_LIST_SIZE, (uint32_t)n);
		put_le32(l + ESL_SIGNATURE_SIZE, ESL_OWNER_LEN + (uint32_t)c->raw.len);
		memcpy(l + ESL_HEADER_LEN + ESL_OWNER_LEN, c->raw.p, c->raw.len);
		CHECK(!sigdb_add(db, "db", l, n));
		free(l);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigdb none = { 0 }, db = { 0 };
	struct authenticode a;
	char how[320];
	size_t i;
	int rc, again;

	lo = data;
	hi = data + size;
	rc = authenticode_hash("f.efi", data, size, &a);
	if (rc) {
		CHECK(rc == -ENOEXEC || rc == -EBADMSG || rc == -ENOMEM);
		CHECK(starts(kx_last_error(), "secure: f.efi: "));
		return 0;
	}
	CHECK(a.nr_sigs <= AUTHENTICODE_MAX_SIGS);
	for (i = 0; i < a.nr_sigs; i++) {
		struct pkcs7_signed s;

		check_view(a.sig[i], a.sig_size[i]);
		rc = pkcs7_verify_signed("f.efi", a.sig[i], a.sig_size[i], &s);
		CHECK(rc == 0 || rc == -EBADMSG || rc == -ENOKEY ||
		      rc == -EKEYREJECTED);
		if (rc) {
			CHECK(starts(kx_last_error(), "secure: f.efi: "));
		} else {
			CHECK(s.signer);
			check_view(s.image_digest, s.image_digest_len);
			if (!db.n)
				db_of(&s, &db);
		}
		pkcs7_free(&s);
	}
	rc = verify_image("f.efi", data, size, &none, &none, how, sizeof(how));
	CHECK(rc != 0); /* nothing trusted, nothing allowed */
	CHECK(known(rc));
	CHECK(starts(kx_last_error(), "secure: f.efi: "));
	if (!a.nr_sigs)
		CHECK(rc == -ENODATA);
	rc = verify_image("f.efi", data, size, &db, &none, how, sizeof(how));
	CHECK(known(rc));
	again = verify_image("f.efi", data, size, &db, &none, how, sizeof(how));
	CHECK(rc == again);
	if (!rc)
		CHECK(starts(how, "Authenticode signature by '"));
	/* What db trusts, db as dbx must revoke. */
	if (!rc) {
		rc = verify_image("f.efi", data, size, &db, &db, how, sizeof(how));
		CHECK(rc == -EKEYREJECTED || rc == -ENOKEY);
	}
	sigdb_free(&db);
	return 0;
}
