/* kexshim: the PKCS#7 SignedData of an Authenticode signature (RFC 2315;
 * "Windows Authenticode Portable Executable Signature Format"): walked
 * with mbedTLS's ASN.1 reader, certificates parsed and the signer's
 * signature checked by mbedTLS.  What it establishes: the SignerInfo's
 * certificate (from the embedded set, by issuer and serial number) signed
 * the SpcIndirectDataContent, whose DigestInfo is the image hash the
 * signer claims.  Whether that certificate is trusted is verify.c's
 * question.  Runs while a UKI is verified, and in fuzzers. */
#ifndef KEXSHIM_SECURE_PKCS7_H
#define KEXSHIM_SECURE_PKCS7_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/md.h>
#include <mbedtls/x509_crt.h>

struct pkcs7_signed {
	/* SpcIndirectDataContent.messageDigest: the claimed image hash. */
	mbedtls_md_type_t image_md;
	const uint8_t *image_digest;   /* a view into the DER */
	size_t image_digest_len;
	mbedtls_x509_crt certs;        /* SignedData.certificates, in order */
	const mbedtls_x509_crt *signer; /* one of certs */
};

/* Parse the SignedData in der[0, len) (trailing padding allowed), find the
 * signer's certificate and check its signature over the content (through
 * the authenticatedAttributes' messageDigest when there are any).
 * Messages read "secure: PATH: ...".
 * Return: 0 with *s (pkcs7_free() it in every case), -EBADMSG (malformed,
 * or not Authenticode), -ENOKEY (the signer's certificate is not in the
 * set), -EKEYREJECTED (the signature does not verify) with kx_fail(). */
int pkcs7_verify_signed(const char *path, const uint8_t *der, size_t len,
			struct pkcs7_signed *s);

void pkcs7_free(struct pkcs7_signed *s);

/* The subject of c as text ("CN=kexshim test, O=..."), into buf. */
void pkcs7_subject(const mbedtls_x509_crt *c, char *buf, size_t size);

#endif
