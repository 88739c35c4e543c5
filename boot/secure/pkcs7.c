/* kexshim: Authenticode's PKCS#7 SignedData (see pkcs7.h).  The layout
 * (RFC 2315 9.1, 9.2; Authenticode 2.1, 2.3):
 *   ContentInfo SEQUENCE { contentType signedData, content [0] EXPLICIT
 *     SignedData SEQUENCE { version, digestAlgorithms SET,
 *       contentInfo SEQUENCE { SPC_INDIRECT_DATA_OBJID, [0] EXPLICIT
 *         SpcIndirectDataContent SEQUENCE { data SEQUENCE,
 *           messageDigest DigestInfo SEQUENCE { AlgorithmIdentifier,
 *                                              digest OCTET STRING } } },
 *       certificates [0] IMPLICIT SET OF Certificate OPTIONAL,
 *       crls [1] IMPLICIT OPTIONAL,
 *       signerInfos SET { SignerInfo SEQUENCE { version,
 *         issuerAndSerialNumber SEQUENCE { Name, INTEGER },
 *         digestAlgorithm, authenticatedAttributes [0] IMPLICIT OPTIONAL,
 *         digestEncryptionAlgorithm, encryptedDigest OCTET STRING,
 *         unauthenticatedAttributes [1] IMPLICIT OPTIONAL } } } }
 * Every read goes through mbedtls_asn1_*, bounded by the enclosing
 * element; the crypto is mbedTLS's. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509.h>

#include "lib/error.h"
#include "secure/pkcs7.h"

#define SEQ (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)
#define SET (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SET)
#define CTX(n) (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | (n))

/* Object identifiers, DER content octets. */
static const uint8_t oid_signed_data[] =      /* 1.2.840.113549.1.7.2 */
	{ 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
static const uint8_t oid_spc_indirect[] =     /* 1.3.6.1.4.1.311.2.1.4 */
	{ 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x01, 0x04 };
static const uint8_t oid_content_type[] =     /* 1.2.840.113549.1.9.3 */
	{ 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03 };
static const uint8_t oid_message_digest[] =   /* 1.2.840.113549.1.9.4 */
	{ 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04 };

struct der {
	unsigned char *p, *end;
};

static bool oid_is(const unsigned char *p, size_t len, const uint8_t *oid,
		   size_t oid_len)
{
	return len == oid_len && !memcmp(p, oid, oid_len);
}

/* Enter the element with tag at d->p: *in covers its contents, d moves
 * past it.  Return: 0 or an mbedTLS error. */
static int enter(struct der *d, int tag, struct der *in)
{
	size_t len;
	int rc = mbedtls_asn1_get_tag(&d->p, d->end, &len, tag);

	if (rc)
		return rc;
	in->p = d->p;
	in->end = d->p + len;
	d->p += len;
	return 0;
}

/* An OID element equal to oid.  Return: 0, or -1. */
static int expect_oid(struct der *d, const uint8_t *oid, size_t oid_len)
{
	struct der o;

	if (enter(d, MBEDTLS_ASN1_OID, &o))
		return -1;
	return oid_is(o.p, (size_t)(o.end - o.p), oid, oid_len) ? 0 : -1;
}

static int peek_tag(const struct der *d)
{
	return d->p < d->end ? *d->p : -1;
}

/* AlgorithmIdentifier of a digest.  Return: 0 with *md, or -1. */
static int get_md(struct der *d, mbedtls_md_type_t *md)
{
	mbedtls_asn1_buf oid, params;

	if (mbedtls_asn1_get_alg(&d->p, d->end, &oid, &params))
		return -1;
	return mbedtls_oid_get_md_alg(&oid, md) ? -1 : 0;
}

struct signer_info {
	const unsigned char *issuer;   /* Name, whole TLV */
	size_t issuer_len;
	const unsigned char *serial;   /* INTEGER contents */
	size_t serial_len;
	mbedtls_md_type_t md;
	const unsigned char *attrs;    /* [0] TLV, NULL when absent */
	size_t attrs_len;
	const unsigned char *attr_digest;  /* messageDigest's value */
	size_t attr_digest_len;
	bool attr_type_ok;             /* contentType is SPC_INDIRECT_DATA */
	const unsigned char *sig;
	size_t sig_len;
};

/* authenticatedAttributes: the two PKCS#9 ones that matter (RFC 2315
 * 9.2: "if the field is present, it must contain, at a minimum, ... the
 * PKCS #9 content-type attribute ... and the message-digest attribute"). */
static int get_attrs(struct der *a, struct signer_info *si)
{
	while (a->p < a->end) {
		struct der attr, oid, vals, v;

		if (enter(a, SEQ, &attr) || enter(&attr, MBEDTLS_ASN1_OID, &oid) ||
		    enter(&attr, SET, &vals))
			return -1;
		if (oid_is(oid.p, (size_t)(oid.end - oid.p), oid_message_digest,
			   sizeof(oid_message_digest))) {
			if (si->attr_digest ||
			    enter(&vals, MBEDTLS_ASN1_OCTET_STRING, &v))
				return -1;
			si->attr_digest = v.p;
			si->attr_digest_len = (size_t)(v.end - v.p);
		} else if (oid_is(oid.p, (size_t)(oid.end - oid.p),
				  oid_content_type, sizeof(oid_content_type))) {
			if (si->attr_type_ok || expect_oid(&vals, oid_spc_indirect,
							   sizeof(oid_spc_indirect)))
				return -1;
			si->attr_type_ok = true;
		}
	}
	return 0;
}

static int get_signer_info(struct der *set, struct signer_info *si)
{
	struct der s, ias, name, serial, a, sig;
	mbedtls_asn1_buf oid, params;
	int ver;

	memset(si, 0, sizeof(*si));
	/* Authenticode 2.3: "signerInfos ... contains only one signerInfo". */
	if (enter(set, SEQ, &s) || set->p != set->end)
		return -1;
	if (mbedtls_asn1_get_int(&s.p, s.end, &ver) || ver != 1)
		return -1;
	if (enter(&s, SEQ, &ias))
		return -1;
	name.p = ias.p;
	if (enter(&ias, SEQ, &serial))  /* the Name, skipped over */
		return -1;
	si->issuer = name.p;
	si->issuer_len = (size_t)(ias.p - name.p);
	if (enter(&ias, MBEDTLS_ASN1_INTEGER, &serial) || ias.p != ias.end)
		return -1;
	si->serial = serial.p;
	si->serial_len = (size_t)(serial.end - serial.p);
	if (get_md(&s, &si->md))
		return -1;
	if (peek_tag(&s) == CTX(0)) {
		si->attrs = s.p;
		if (enter(&s, CTX(0), &a))
			return -1;
		si->attrs_len = (size_t)(s.p - si->attrs);
		if (get_attrs(&a, si) || !si->attr_digest || !si->attr_type_ok)
			return -1;
	}
	/* digestEncryptionAlgorithm: the signer's key says what it is. */
	if (mbedtls_asn1_get_alg(&s.p, s.end, &oid, &params) ||
	    enter(&s, MBEDTLS_ASN1_OCTET_STRING, &sig))
		return -1;
	si->sig = sig.p;
	si->sig_len = (size_t)(sig.end - sig.p);
	return 0;
}

/* The content: SpcIndirectDataContent, and in it the claimed digest.
 * *value covers the SEQUENCE's contents octets, which is what is signed
 * (RFC 2315 9.3: "Only the contents octets of the DER encoding ... are
 * digested, not the identifier octets or the length octets"). */
static int get_content(struct der *sd, struct pkcs7_signed *s,
		       struct der *value)
{
	struct der ci, wrap, in, type_value, digest_info, digest;

	if (enter(sd, SEQ, &ci) ||
	    expect_oid(&ci, oid_spc_indirect, sizeof(oid_spc_indirect)) ||
	    enter(&ci, CTX(0), &wrap) || enter(&wrap, SEQ, value))
		return -1;
	in = *value;
	if (enter(&in, SEQ, &type_value) ||  /* SpcAttributeTypeAndOptionalValue */
	    enter(&in, SEQ, &digest_info) || get_md(&digest_info, &s->image_md) ||
	    enter(&digest_info, MBEDTLS_ASN1_OCTET_STRING, &digest))
		return -1;
	s->image_digest = digest.p;
	s->image_digest_len = (size_t)(digest.end - digest.p);
	return 0;
}

static int get_certs(struct der *sd, struct pkcs7_signed *s)
{
	struct der set, c;

	if (peek_tag(sd) != CTX(0))
		return 0;
	if (enter(sd, CTX(0), &set))
		return -1;
	while (set.p < set.end) {
		unsigned char *start = set.p;

		if (enter(&set, SEQ, &c) ||
		    mbedtls_x509_crt_parse_der(&s->certs, start,
					       (size_t)(set.p - start)))
			return -1;
	}
	return 0;
}

static const mbedtls_x509_crt *find_signer(const struct pkcs7_signed *s,
					   const struct signer_info *si)
{
	const mbedtls_x509_crt *c;

	for (c = &s->certs; c && c->raw.p; c = c->next)
		if (c->issuer_raw.len == si->issuer_len &&
		    !memcmp(c->issuer_raw.p, si->issuer, si->issuer_len) &&
		    c->serial.len == si->serial_len &&
		    !memcmp(c->serial.p, si->serial, si->serial_len))
			return c;
	return NULL;
}

/* What the signer signed: the content's digest, or with attributes the
 * digest of their DER with the [0] IMPLICIT tag read as SET OF (RFC 2315
 * 9.3: "a separate encoding of the Attributes value's DER"). */
static int signed_digest(const struct signer_info *si, const struct der *value,
			 uint8_t *out, const char *path)
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(si->md);
	uint8_t content[MBEDTLS_MD_MAX_SIZE];
	mbedtls_md_context_t ctx;
	const unsigned char set_tag = SET;
	int rc;

	if (!md)
		return kx_fail(EBADMSG, "secure: %s: signer digest algorithm not "
			       "supported", path);
	if (mbedtls_md(md, value->p, (size_t)(value->end - value->p), content))
		return kx_fail(EBADMSG, "secure: %s: digest failed", path);
	if (!si->attrs) {
		memcpy(out, content, mbedtls_md_get_size(md));
		return 0;
	}
	if (si->attr_digest_len != mbedtls_md_get_size(md) ||
	    memcmp(si->attr_digest, content, si->attr_digest_len))
		return kx_fail(EKEYREJECTED, "secure: %s: the signed attributes' "
			       "messageDigest is not the content's", path);
	mbedtls_md_init(&ctx);
	rc = mbedtls_md_setup(&ctx, md, 0) || mbedtls_md_starts(&ctx) ||
	     mbedtls_md_update(&ctx, &set_tag, 1) ||
	     mbedtls_md_update(&ctx, si->attrs + 1, si->attrs_len - 1) ||
	     mbedtls_md_finish(&ctx, out);
	mbedtls_md_free(&ctx);
	return rc ? kx_fail(EBADMSG, "secure: %s: digest failed", path) : 0;
}

int pkcs7_verify_signed(const char *path, const uint8_t *der, size_t len,
			struct pkcs7_signed *s)
{
	struct der d = { (unsigned char *)der, (unsigned char *)der + len };
	struct der ci, wrap, sd, skip, value;
	const mbedtls_md_info_t *md;
	struct signer_info si;
	uint8_t digest[MBEDTLS_MD_MAX_SIZE];
	char who[256];
	int ver, rc;

	memset(s, 0, sizeof(*s));
	mbedtls_x509_crt_init(&s->certs);
	/* WIN_CERTIFICATE pads to 8 bytes after the DER: d.end stays. */
	if (enter(&d, SEQ, &ci) ||
	    expect_oid(&ci, oid_signed_data, sizeof(oid_signed_data)) ||
	    enter(&ci, CTX(0), &wrap) || enter(&wrap, SEQ, &sd) ||
	    mbedtls_asn1_get_int(&sd.p, sd.end, &ver) ||
	    enter(&sd, SET, &skip) ||              /* digestAlgorithms */
	    get_content(&sd, s, &value))
		return kx_fail(EBADMSG, "secure: %s: not an Authenticode "
			       "PKCS#7 SignedData", path);
	if (get_certs(&sd, s))
		return kx_fail(EBADMSG, "secure: %s: a certificate in the "
			       "signature does not parse", path);
	if (peek_tag(&sd) == CTX(1) && enter(&sd, CTX(1), &skip))
		return kx_fail(EBADMSG, "secure: %s: bad crls in the signature",
			       path);
	if (enter(&sd, SET, &skip) || get_signer_info(&skip, &si))
		return kx_fail(EBADMSG, "secure: %s: the signature's SignerInfo "
			       "does not parse (one, version 1, with contentType "
			       "and messageDigest when attributed)", path);
	s->signer = find_signer(s, &si);
	if (!s->signer)
		return kx_fail(ENOKEY, "secure: %s: the signer's certificate is "
			       "not in the signature", path);
	rc = signed_digest(&si, &value, digest, path);
	if (rc)
		return rc;
	md = mbedtls_md_info_from_type(si.md);
	if (mbedtls_pk_verify((mbedtls_pk_context *)&s->signer->pk, si.md,
			      digest, mbedtls_md_get_size(md), si.sig,
			      si.sig_len)) {
		pkcs7_subject(s->signer, who, sizeof(who));
		return kx_fail(EKEYREJECTED, "secure: %s: the signature by '%s' "
			       "does not verify", path, who);
	}
	return 0;
}

void pkcs7_free(struct pkcs7_signed *s)
{
	mbedtls_x509_crt_free(&s->certs);
	s->signer = NULL;
}

void pkcs7_subject(const mbedtls_x509_crt *c, char *buf, size_t size)
{
	if (mbedtls_x509_dn_gets(buf, size, &c->subject) < 0)
		snprintf(buf, size, "?");
}
