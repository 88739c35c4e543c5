/* Host unit tests: a UKI's Authenticode signature (boot/secure/
 * authenticode.c, pkcs7.c, verify.c) and the signature lists it is
 * checked against (siglist.c, sigdb.c), on images test/unit/mksigned made
 * with openssl keys, sbsign and efitools ($KEXSHIM_SIGNED_DIR): good
 * signatures through a CA and as a self-signed db certificate, a wrong
 * signer, one byte changed, unsigned, revoked by hash, by certificate and
 * by TBS hash, and efitools' own image hash next to ours. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mbedtls/x509_crt.h>

#include "common/guid.h"
#include "common/le.h"
#include "common/sha256.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/readfile.h"
#include "secure/authenticode.h"
#include "secure/efivar.h"
#include "secure/pkcs7.h"
#include "secure/sigdb.h"
#include "secure/siglist.h"
#include "secure/verify.h"
#include "tree.h"

static const char *dir;

struct file {
	uint8_t *p;
	size_t n;
};

static struct file get(const char *name)
{
	char path[4096];
	struct file f;
	char *b;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(read_file_whole("test", path, 0, &b, &f.n), 0);
	f.p = (uint8_t *)b;
	return f;
}

/* One EFI_SIGNATURE_LIST of type with one entry data[0, n). */
static size_t esl(uint8_t *out, const char *type, const void *data, size_t n)
{
	assert_int_equal(guid_from_text(type, out), 0);
	put_le32(out + ESL_LIST_SIZE, ESL_HEADER_LEN + ESL_OWNER_LEN + n);
	put_le32(out + ESL_HEADER_SIZE, 0);
	put_le32(out + ESL_SIGNATURE_SIZE, ESL_OWNER_LEN + n);
	memset(out + ESL_HEADER_LEN, 0x5a, ESL_OWNER_LEN);
	memcpy(out + ESL_HEADER_LEN + ESL_OWNER_LEN, data, n);
	return ESL_HEADER_LEN + ESL_OWNER_LEN + n;
}

static void db_of(struct sigdb *d, const char *name, const char *file)
{
	struct file f = get(file);

	assert_int_equal(sigdb_add(d, name, f.p, f.n), 0);
	free(f.p);
}

static int check(const char *file, const struct sigdb *allow,
		 const struct sigdb *deny, char *how)
{
	struct file f = get(file);
	int rc;

	how[0] = '\0';
	rc = verify_image(file, f.p, f.n, allow, deny, how, 320);
	free(f.p);
	return rc;
}

static int setup(void **state)
{
	dir = getenv("KEXSHIM_SIGNED_DIR");
	/* Missing inputs fail (make check-unit makes them), never skip. */
	assert_non_null(dir);
	return 0;
}

/* Our image hash is efitools' (hash-to-efi-sig-list) and sbsign's (the
 * digest it signed).  Both pad a file to 8 bytes before they hash it, as
 * a signed file is padded before its certificate table; the firmware
 * (edk2's image verification) hashes an unsigned file as it is, and so
 * does kexshim: unsigned-8.efi is the padded one. */
static void test_hash(void **state)
{
	static const char *const names[] = { "signed-ca.efi", "unsigned-8.efi" };
	static const char *const lists[] = { "dbx-hash.esl", "unsigned-hash.esl" };
	struct authenticode a;
	struct pkcs7_signed s;
	struct sig_entry e;
	struct siglist_iter it;
	size_t i;

	for (i = 0; i < 2; i++) {
		struct file f = get(names[i]), l = get(lists[i]);

		assert_int_equal(authenticode_hash(names[i], f.p, f.n, &a), 0);
		siglist_begin(&it, l.p, l.n);
		assert_int_equal(siglist_next(&it, lists[i], &e), 1);
		assert_int_equal(e.type, SIG_SHA256);
		assert_memory_equal(e.data, a.sha256, 32);
		assert_int_equal(siglist_next(&it, lists[i], &e), 0);
		if (i == 0) {
			assert_int_equal(a.nr_sigs, 1);
			assert_int_equal(pkcs7_verify_signed("x", a.sig[0],
							     a.sig_size[0], &s), 0);
			assert_int_equal(s.image_md, MBEDTLS_MD_SHA256);
			assert_int_equal(s.image_digest_len, 32);
			assert_memory_equal(s.image_digest, a.sha256, 32);
			pkcs7_free(&s);
		} else {
			assert_int_equal(a.nr_sigs, 0);
		}
		free(f.p);
		free(l.p);
	}
}

static void test_verdicts(void **state)
{
	struct sigdb db = { 0 }, none = { 0 }, dbx = { 0 };
	char how[320];

	db_of(&db, "db", "db.esl");
	assert_int_equal(check("signed-ca.efi", &db, &none, how), 0);
	assert_string_equal(how, "Authenticode signature by 'CN=kexshim test "
			    "signer' verified against db/MokListRT");
	assert_int_equal(check("signed-self.efi", &db, &none, how), 0);
	/* The bare kernel: an EFI-stub bzImage, PE32+ too. */
	assert_int_equal(check("signed-kernel.efi", &db, &none, how), 0);
	assert_int_equal(check("signed-stub.efi", &db, &none, how), 0);

	assert_int_equal(check("signed-wrong.efi", &db, &none, how), -ENOKEY);
	assert_string_equal(kx_last_error(), "secure: signed-wrong.efi: signed "
			    "by 'CN=kexshim test wrong', which is not in db or "
			    "MokListRT and does not chain to a certificate there");
	assert_int_equal(check("tampered.efi", &db, &none, how), -EKEYREJECTED);
	assert_string_equal(kx_last_error(), "secure: tampered.efi: its "
			    "Authenticode hash is not the one signed: the file "
			    "was changed after signing");
	assert_int_equal(check("unsigned.efi", &db, &none, how), -ENODATA);
	assert_string_equal(kx_last_error(), "secure: unsigned.efi: not signed "
			    "(no Authenticode signature) and its hash is not in db");
	/* No database at all: nothing is trusted. */
	assert_int_equal(check("signed-ca.efi", &none, &none, how), -ENOKEY);

	/* dbx: the image's hash, whatever its signature. */
	db_of(&dbx, "dbx", "dbx-hash.esl");
	assert_int_equal(check("signed-ca.efi", &db, &dbx, how), -EKEYREJECTED);
	assert_string_equal(kx_last_error(), "secure: signed-ca.efi: its "
			    "Authenticode hash is revoked (in dbx or MokListXRT)");
	/* The same image, signed by another: the hash leaves the signature
	 * out, so it is revoked too; another image is not. */
	assert_int_equal(check("signed-self.efi", &db, &dbx, how), -EKEYREJECTED);
	assert_int_equal(check("signed-kernel.efi", &db, &dbx, how), 0);
	sigdb_free(&dbx);
	/* dbx: the signer's certificate. */
	db_of(&dbx, "dbx", "dbx-leaf.esl");
	assert_int_equal(check("signed-ca.efi", &db, &dbx, how), -EKEYREJECTED);
	assert_string_equal(kx_last_error(), "secure: signed-ca.efi: signed with "
			    "a revoked certificate 'CN=kexshim test signer' (in "
			    "dbx or MokListXRT)");
	assert_int_equal(check("signed-kernel.efi", &db, &dbx, how), -EKEYREJECTED);
	assert_int_equal(check("signed-self.efi", &db, &dbx, how), 0);
	sigdb_free(&dbx);
	sigdb_free(&db);
}

static void test_rules(void **state)
{
	struct sigdb db = { 0 }, dbx = { 0 }, none = { 0 };
	struct file leaf = get("leaf.der"), ca = get("ca.der");
	struct file hash = get("unsigned-hash.esl");
	mbedtls_x509_crt crt;
	uint8_t buf[4096], tbs[48];
	char how[320];
	size_t n;

	/* A db certificate that is no CA but the signer itself. */
	n = esl(buf, EFI_CERT_X509_GUID, leaf.p, leaf.n);
	assert_int_equal(sigdb_add(&db, "db", buf, n), 0);
	assert_int_equal(check("signed-ca.efi", &db, &none, how), 0);
	assert_int_equal(check("signed-self.efi", &db, &none, how), -ENOKEY);
	sigdb_free(&db);

	/* An unsigned image whose hash db lists (efitools hashed it padded:
	 * the unpadded file is another image). */
	assert_int_equal(sigdb_add(&db, "db", hash.p, hash.n), 0);
	assert_int_equal(check("unsigned-8.efi", &db, &none, how), 0);
	assert_string_equal(how, "its Authenticode hash is in db/MokListRT");
	assert_int_equal(check("unsigned.efi", &db, &none, how), -ENODATA);
	/* The signed image is the same image as far as the hash goes... */
	assert_int_equal(check("signed-wrong.efi", &db, &none, how), 0);
	/* ...unless one byte changed. */
	assert_int_equal(check("tampered.efi", &db, &none, how), -EKEYREJECTED);
	sigdb_free(&db);

	/* dbx names the CA: it anchors nothing any more. */
	db_of(&db, "db", "db.esl");
	n = esl(buf, EFI_CERT_X509_GUID, ca.p, ca.n);
	assert_int_equal(sigdb_add(&dbx, "dbx", buf, n), 0);
	assert_int_equal(check("signed-ca.efi", &db, &dbx, how), -ENOKEY);
	assert_int_equal(check("signed-self.efi", &db, &dbx, how), 0);
	sigdb_free(&dbx);

	/* EFI_CERT_X509_SHA256: the signer's TBSCertificate hash. */
	mbedtls_x509_crt_init(&crt);
	assert_int_equal(mbedtls_x509_crt_parse_der(&crt, leaf.p, leaf.n), 0);
	memset(tbs, 0, sizeof(tbs));
	sha256(crt.tbs.p, crt.tbs.len, tbs);
	mbedtls_x509_crt_free(&crt);
	n = esl(buf, EFI_CERT_X509_SHA256_GUID, tbs, sizeof(tbs));
	assert_int_equal(sigdb_add(&dbx, "MokListXRT", buf, n), 0);
	assert_int_equal(check("signed-ca.efi", &db, &dbx, how), -EKEYREJECTED);
	assert_non_null(strstr(kx_last_error(), "revoked certificate"));
	sigdb_free(&dbx);
	sigdb_free(&db);
	free(leaf.p);
	free(ca.p);
	free(hash.p);
}

static void test_malformed(void **state)
{
	struct file f = get("signed-ca.efi");
	struct sigdb db = { 0 }, none = { 0 };
	struct authenticode a;
	struct pkcs7_signed s;
	uint32_t cert_off;
	uint8_t *c;
	char how[320];
	size_t off;

	db_of(&db, "db", "db.esl");
	/* Data after the signatures would go unhashed: refused. */
	c = malloc(f.n + 8);
	memcpy(c, f.p, f.n);
	memset(c + f.n, 0, 8);
	assert_int_equal(verify_image("x", c, f.n + 8, &db, &none, how, 320),
			 -EBADMSG);
	assert_non_null(strstr(kx_last_error(), "does not end the"));
	/* Cut: the same. */
	assert_int_equal(verify_image("x", f.p, f.n - 100, &db, &none, how, 320),
			 -EBADMSG);
	/* A signature whose DER is garbage: a SignedData that does not parse. */
	assert_int_equal(authenticode_hash("x", f.p, f.n, &a), 0);
	off = (size_t)(a.sig[0] - f.p);
	memcpy(c, f.p, f.n);
	c[off + 20] ^= 0xff;
	assert_true(verify_image("x", c, f.n, &db, &none, how, 320) < 0);
	/* The signature bytes changed: its signature does not verify. */
	memcpy(c, f.p, f.n);
	c[off + a.sig_size[0] - 40] ^= 1;
	assert_int_equal(authenticode_hash("x", c, f.n, &a), 0);
	assert_int_equal(pkcs7_verify_signed("x", a.sig[0], a.sig_size[0], &s),
			 -EKEYREJECTED);
	pkcs7_free(&s);
	/* A WIN_CERTIFICATE length past the table. */
	memcpy(c, f.p, f.n);
	cert_off = (uint32_t)(off - WIN_CERT_HEADER_LEN);
	put_le32(c + cert_off, 0x7fffffff);
	assert_int_equal(authenticode_hash("x", c, f.n, &a), -EBADMSG);
	/* Not a PE. */
	assert_int_equal(verify_image("x", (const uint8_t *)"hello", 5, &db,
				      &none, how, 320), -ENOEXEC);
	free(c);
	free(f.p);
	sigdb_free(&db);
}

static void test_siglist(void **state)
{
	uint8_t buf[256], d[32] = { 1 };
	struct siglist_iter it;
	struct sig_entry e;
	size_t n;

	n = esl(buf, EFI_CERT_SHA256_GUID, d, 32);
	n += esl(buf + n, "00000000-0000-0000-0000-000000000001", "abc", 3);
	assert_int_equal(siglist_count(buf, n, "t", SIG_SHA256), 1);
	assert_int_equal(siglist_count(buf, n, "t", SIG_OTHER), 1);
	/* Two entries in one list. */
	put_le32(buf + ESL_LIST_SIZE, ESL_HEADER_LEN + 2 * (16 + 32));
	memcpy(buf + ESL_HEADER_LEN + 48, buf + ESL_HEADER_LEN, 48);
	assert_int_equal(siglist_count(buf, ESL_HEADER_LEN + 96, "t", SIG_SHA256), 2);
	/* Sizes that do not add up. */
	esl(buf, EFI_CERT_SHA256_GUID, d, 32);
	put_le32(buf + ESL_LIST_SIZE, ESL_HEADER_LEN + 47);
	assert_int_equal(siglist_count(buf, ESL_HEADER_LEN + 47, "db", SIG_SHA256),
			 -EINVAL);
	assert_non_null(strstr(kx_last_error(), "secure: db: signature list at 0x0"));
	put_le32(buf + ESL_LIST_SIZE, 1000);
	assert_int_equal(siglist_count(buf, 76, "db", SIG_SHA256), -EINVAL);
	esl(buf, EFI_CERT_SHA256_GUID, d, 32);
	put_le32(buf + ESL_SIGNATURE_SIZE, 16);
	assert_int_equal(siglist_count(buf, 76, "db", SIG_SHA256), -EINVAL);
	/* A SHA-256 entry that is not 32 bytes. */
	n = esl(buf, EFI_CERT_SHA256_GUID, d, 20);
	assert_int_equal(siglist_count(buf, n, "db", SIG_SHA256), -EINVAL);
	/* Stray bytes after the last list. */
	n = esl(buf, EFI_CERT_SHA256_GUID, d, 32);
	siglist_begin(&it, buf, n + 5);
	assert_int_equal(siglist_next(&it, "db", &e), 1);
	assert_int_equal(siglist_next(&it, "db", &e), -EINVAL);
	/* An empty variable: no entries. */
	assert_int_equal(siglist_count(buf, 0, "db", SIG_X509), 0);
}

static void test_sigdb(void **state)
{
	const uint32_t vol = EFI_VARIABLE_BOOTSERVICE_ACCESS |
			     EFI_VARIABLE_RUNTIME_ACCESS;
	struct file db = get("db.esl"), leaf = get("dbx-leaf.esl");
	struct sigdb allow, deny;
	char *root = tree_new();
	unsigned w;

	assert_non_null(root);
	assert_int_equal(sigdb_read(root, &allow, &deny), 0);
	assert_int_equal(allow.n + deny.n, 0);
	assert_int_equal(tree_var(root, "db", EFI_IMAGE_SECURITY_DATABASE_GUID,
				  0x27, db.p, db.n), 0);
	assert_int_equal(tree_var(root, "dbx", EFI_IMAGE_SECURITY_DATABASE_GUID,
				  0x27, leaf.p, leaf.n), 0);
	/* shim's volatile copy counts; a non-volatile one was not shim's. */
	assert_int_equal(tree_var(root, "MokListRT", SHIM_LOCK_GUID, vol,
				  leaf.p, leaf.n), 0);
	assert_int_equal(tree_var(root, "MokListXRT", SHIM_LOCK_GUID,
				  vol | EFI_VARIABLE_NON_VOLATILE, db.p, db.n), 0);
	w = con_warnings();
	assert_int_equal(sigdb_read(root, &allow, &deny), 0);
	assert_int_equal(allow.n, 2);
	assert_string_equal(allow.name[0], "db");
	assert_string_equal(allow.name[1], "MokListRT");
	assert_int_equal(allow.len[0], db.n);
	assert_int_equal(deny.n, 1);
	assert_string_equal(deny.name[0], "dbx");
	assert_int_equal(con_warnings(), w + 1);
	assert_non_null(strstr(con_last_warning(), "MokListXRT is non-volatile"));
	sigdb_free(&allow);
	sigdb_free(&deny);
	tree_free(root);
	free(db.p);
	free(leaf.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_siglist),
		cmocka_unit_test(test_sigdb),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
