/* kexshim: is this UKI signed by someone the firmware trusts?  What it
 * trusts, exactly:
 *   - the firmware's db and dbx as efivarfs shows them (the shim kernel
 *     reads them through the firmware's runtime services; with PK set,
 *     SetupMode 0, only KEK-signed updates can have changed them), and
 *     MokListRT / MokListXRT only as shim leaves them: volatile, made this
 *     boot before ExitBootServices;  in SetupMode every variable is
 *     writable, so nothing is trusted then
 *   - mbedTLS: X.509 parsing, RSA/ECDSA signatures, chain building
 *   - our Authenticode image hash (authenticode.c) and SignedData walk
 *     (pkcs7.c), which check that every byte kexshim reads of the UKI is
 *     hashed
 * The rules, as UEFI's image verification (UEFI 2.10 32.5) applies them:
 *   1 the image's SHA-256 Authenticode hash in dbx/MokListXRT: refused
 *   2 a signature whose signer, or any certificate it carries, is in the
 *     deny lists (as the DER, or as the SHA-256 of its TBSCertificate):
 *     refused, whatever the other signatures say
 *   3 the hash in db/MokListRT: allowed
 *   4 a signature that verifies, whose digest is this image's hash, whose
 *     signer is a db certificate or chains to one (intermediates from the
 *     signature; db certificates that a deny list names do not count):
 *     allowed
 *   5 anything else: refused, with the reason of the best attempt
 * Not checked, as UEFI does not: validity dates (firmware has no trusted
 * clock; expired certificates still verify), extended key usage,
 * countersignatures and timestamps, SBAT.  Runs in the shim. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/x509_crt.h>

#include "common/sha256.h"
#include "lib/console.h"
#include "lib/error.h"
#include "secure/authenticode.h"
#include "secure/lockdown.h"
#include "secure/pkcs7.h"
#include "secure/sigdb.h"
#include "secure/siglist.h"
#include "secure/verify.h"

/* Return: true when list holds an entry of type t whose data is p[0, n). */
static bool listed(const struct sigdb *d, enum sig_type t, const uint8_t *p,
		   size_t n)
{
	struct siglist_iter it;
	struct sig_entry e;
	size_t i;

	for (i = 0; i < d->n; i++) {
		siglist_begin(&it, d->buf[i], d->len[i]);
		/* A malformed tail: what came before it still counts. */
		while (siglist_next(&it, d->name[i], &e) > 0)
			if (e.type == t && e.size >= n && !memcmp(e.data, p, n) &&
			    (t != SIG_X509 || e.size == n))
				return true;
	}
	return false;
}

static bool cert_denied(const mbedtls_x509_crt *c, const struct sigdb *deny)
{
	uint8_t tbs[32];

	sha256(c->tbs.p, c->tbs.len, tbs);
	return listed(deny, SIG_X509, c->raw.p, c->raw.len) ||
	       listed(deny, SIG_X509_SHA256, tbs, sizeof(tbs));
}

/* The allow lists' certificates that no deny list names. */
static int anchors(const struct sigdb *allow, const struct sigdb *deny,
		   mbedtls_x509_crt *out)
{
	struct siglist_iter it;
	struct sig_entry e;
	mbedtls_x509_crt one;
	size_t i;
	int n = 0, rc;

	for (i = 0; i < allow->n; i++) {
		siglist_begin(&it, allow->buf[i], allow->len[i]);
		while ((rc = siglist_next(&it, allow->name[i], &e)) > 0) {
			if (e.type != SIG_X509)
				continue;
			mbedtls_x509_crt_init(&one);
			if (!mbedtls_x509_crt_parse_der(&one, e.data, e.size) &&
			    !cert_denied(&one, deny) &&
			    !mbedtls_x509_crt_parse_der(out, e.data, e.size))
				n++;
			else
				con_debug("secure: %s: a certificate that does not "
					  "parse or is denied", allow->name[i]);
			mbedtls_x509_crt_free(&one);
		}
		if (rc < 0)
			con_warn("%s; the entries before it are used", kx_last_error());
	}
	return n;
}

/* Rule 4's trust half: the signer is an anchor, or chains to one. */
static bool trusted(const struct pkcs7_signed *s, mbedtls_x509_crt *ca)
{
	const uint32_t dates = MBEDTLS_X509_BADCERT_EXPIRED |
			       MBEDTLS_X509_BADCERT_FUTURE;
	const mbedtls_x509_crt *c;
	mbedtls_x509_crt chain;
	uint32_t flags = 0;
	bool ok = false;
	int rc;

	for (c = ca; c && c->raw.p; c = c->next)
		if (c->raw.len == s->signer->raw.len &&
		    !memcmp(c->raw.p, s->signer->raw.p, c->raw.len))
			return true;
	/* The signer first, then the signature's other certificates as the
	 * intermediates mbedTLS may pick from. */
	mbedtls_x509_crt_init(&chain);
	rc = mbedtls_x509_crt_parse_der(&chain, s->signer->raw.p,
					s->signer->raw.len);
	for (c = &s->certs; !rc && c && c->raw.p; c = c->next)
		if (c != s->signer)
			rc = mbedtls_x509_crt_parse_der(&chain, c->raw.p, c->raw.len);
	if (!rc) {
		rc = mbedtls_x509_crt_verify(&chain, ca, NULL, NULL, &flags,
					     NULL, NULL);
		ok = !rc || (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED &&
			     !(flags & ~dates));
	}
	mbedtls_x509_crt_free(&chain);
	return ok;
}

int verify_image(const char *path, const uint8_t *buf, size_t len,
		 const struct sigdb *allow, const struct sigdb *deny,
		 char *how, size_t how_size)
{
	struct authenticode a;
	mbedtls_x509_crt ca;
	char who[256], why[512] = "";
	int why_err = 0, rc;
	bool ok = false;
	size_t i;

	rc = authenticode_hash(path, buf, len, &a);
	if (rc)
		return rc;
	if (listed(deny, SIG_SHA256, a.sha256, sizeof(a.sha256)))
		return kx_fail(EKEYREJECTED, "secure: %s: its Authenticode hash "
			       "is revoked (in dbx or MokListXRT)", path);
	mbedtls_x509_crt_init(&ca);
	anchors(allow, deny, &ca);
	for (i = 0; i < a.nr_sigs; i++) {
		struct pkcs7_signed s;
		const mbedtls_x509_crt *c;

		rc = pkcs7_verify_signed(path, a.sig[i], a.sig_size[i], &s);
		if (!rc && (s.image_md != MBEDTLS_MD_SHA256 ||
			    s.image_digest_len != sizeof(a.sha256)))
			rc = kx_fail(EBADMSG, "secure: %s: the signature's image "
				     "digest is not SHA-256", path);
		else if (!rc && memcmp(s.image_digest, a.sha256, sizeof(a.sha256)))
			rc = kx_fail(EKEYREJECTED, "secure: %s: its Authenticode "
				     "hash is not the one signed: the file was "
				     "changed after signing", path);
		if (rc) {
			/* A mismatch says more than a parse error. */
			if (!why_err || rc == -EKEYREJECTED) {
				snprintf(why, sizeof(why), "%s", kx_last_error());
				why_err = -rc;
			}
			pkcs7_free(&s);
			continue;
		}
		pkcs7_subject(s.signer, who, sizeof(who));
		for (c = &s.certs; c && c->raw.p; c = c->next)
			if (cert_denied(c, deny)) {
				pkcs7_subject(c, who, sizeof(who));
				pkcs7_free(&s);
				mbedtls_x509_crt_free(&ca);
				return kx_fail(EKEYREJECTED, "secure: %s: signed "
					       "with a revoked certificate '%s' "
					       "(in dbx or MokListXRT)", path, who);
			}
		if (!ok && trusted(&s, &ca)) {
			ok = true;
			snprintf(how, how_size, "Authenticode signature by '%s' "
				 "verified against db/MokListRT", who);
		} else if (!ok && why_err != EKEYREJECTED) {
			snprintf(why, sizeof(why), "secure: %s: signed by '%s', "
				 "which is not in db or MokListRT and does not "
				 "chain to a certificate there", path, who);
			why_err = ENOKEY;
		}
		pkcs7_free(&s);
	}
	mbedtls_x509_crt_free(&ca);
	if (ok)
		return 0;
	if (listed(allow, SIG_SHA256, a.sha256, sizeof(a.sha256))) {
		snprintf(how, how_size, "its Authenticode hash is in db/MokListRT");
		return 0;
	}
	if (!a.nr_sigs)
		return kx_fail(ENODATA, "secure: %s: not signed (no Authenticode "
			       "signature) and its hash is not in db", path);
	return kx_fail(why_err, "%s", why);
}

int verify_uki_hook(void *ctx, const char *path, const uint8_t *buf,
		    size_t len)
{
	static struct sigdb allow, deny;
	static int loaded; /* 0: not yet, 1: read, < 0: -errno */
	const struct secure_state *st = secure_state();
	char how[320];
	int rc;

	(void)ctx;
	if (st->setup_mode == 1)
		return kx_fail(EPERM, "secure: %s: refused: the firmware is in "
			       "SetupMode, so db and dbx are not write-protected "
			       "and prove nothing", path);
	if (!loaded) {
		rc = sigdb_read("", &allow, &deny);
		loaded = rc ? rc : 1;
	}
	if (loaded < 0)
		return kx_fail(-loaded, "secure: %s: refused: the signature "
			       "databases cannot be read", path);
	if (!allow.n)
		return kx_fail(ENOKEY, "secure: %s: refused: no db (nor "
			       "MokListRT) to verify its signature against",
			       path);
	rc = verify_image(path, buf, len, &allow, &deny, how, sizeof(how));
	if (rc)
		return rc;
	con_info("secure: %s: %s", path, how);
	return 0;
}
