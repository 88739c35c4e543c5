/* kexshim: the Authenticode image hash of a PE file and its attribute
 * certificate table (Microsoft "Windows Authenticode Portable Executable
 * Signature Format", "Calculating the PE Image Hash"; PE Format 5.7 "The
 * Attribute Certificate Table").  Pure: bytes in, a SHA-256 digest and
 * bounded views out.  Runs while a UKI is verified, and in fuzzers. */
#ifndef KEXSHIM_SECURE_AUTHENTICODE_H
#define KEXSHIM_SECURE_AUTHENTICODE_H

#include <stddef.h>
#include <stdint.h>

/* WIN_CERTIFICATE (PE Format 5.7.1); entries are 8-byte aligned. */
#define WIN_CERT_LENGTH 0x0        /* u32 dwLength, header included */
#define WIN_CERT_REVISION 0x4      /* u16 wRevision */
#define WIN_CERT_TYPE 0x6          /* u16 wCertificateType */
#define WIN_CERT_HEADER_LEN 0x8
#define WIN_CERT_REVISION_2_0 0x0200
#define WIN_CERT_TYPE_PKCS_SIGNED_DATA 0x0002

#define AUTHENTICODE_MAX_SIGS 8

struct authenticode {
	uint8_t sha256[32];        /* the image hash */
	size_t nr_sigs;            /* PKCS#7 SignedData blobs in the table */
	const uint8_t *sig[AUTHENTICODE_MAX_SIGS];
	size_t sig_size[AUTHENTICODE_MAX_SIGS];
};

/* Hash buf as Authenticode does: the headers without CheckSum and the
 * Certificate Table data directory entry, every section's raw data in
 * file order, then what follows the sections up to the attribute
 * certificate table, which must end the file (nothing after the
 * signatures can be left unhashed).  Stricter than the spec where a
 * looser file would leave bytes kexshim reads unhashed: the section table
 * must lie inside SizeOfHeaders, every section inside the file.  Each
 * WIN_CERT_TYPE_PKCS_SIGNED_DATA entry becomes a sig[] view (others are
 * skipped).  Messages read "secure: PATH: ...".
 * Return: 0 with *a, or -ENOEXEC (not a PE), -EBADMSG (a table or header
 * that does not add up) with kx_fail(). */
int authenticode_hash(const char *path, const uint8_t *buf, size_t len,
		      struct authenticode *a);

#endif
