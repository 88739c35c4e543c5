/* kexshim: EFI_SIGNATURE_LIST, the format of db, dbx, MokListRT and
 * MokListXRT (UEFI 2.10 32.4.1 "Signature Database"): lists back to back,
 * each a header, an optional SignatureHeader and SignatureSize-byte
 * EFI_SIGNATURE_DATA entries (an owner GUID, then the signature: a
 * SHA-256 hash, a DER X.509 certificate, ...).  Pure: bytes in, bounded
 * views out; the bytes come from efivarfs (the firmware's variables) and
 * from fuzzers.  Runs while a UKI is verified. */
#ifndef KEXSHIM_SECURE_SIGLIST_H
#define KEXSHIM_SECURE_SIGLIST_H

#include <stddef.h>
#include <stdint.h>

/* EFI_SIGNATURE_LIST header (UEFI 2.10 32.4.1). */
#define ESL_TYPE 0x00           /* EFI_GUID SignatureType */
#define ESL_LIST_SIZE 0x10      /* u32 SignatureListSize, header included */
#define ESL_HEADER_SIZE 0x14    /* u32 SignatureHeaderSize */
#define ESL_SIGNATURE_SIZE 0x18 /* u32 SignatureSize, owner GUID included */
#define ESL_HEADER_LEN 0x1c
#define ESL_OWNER_LEN 16        /* EFI_SIGNATURE_DATA.SignatureOwner */

/* SignatureType GUIDs (UEFI 2.10 32.4.1, in text form). */
#define EFI_CERT_SHA256_GUID "c1c41626-504c-4092-aca9-41f936934328"
#define EFI_CERT_X509_GUID "a5c059a1-94e4-4aa7-87b5-ab155c2bf072"
#define EFI_CERT_X509_SHA256_GUID "3bd2a492-96c0-4079-b420-fcf98ef103ed"

enum sig_type {
	SIG_SHA256,       /* 32 bytes: an image's Authenticode SHA-256 */
	SIG_X509,         /* a DER certificate */
	SIG_X509_SHA256,  /* 32 bytes: SHA-256 of a certificate's
			   * TBSCertificate, then a 16-byte EFI_TIME of
			   * revocation (dbx) */
	SIG_OTHER,        /* RSA2048, SHA1, ...: not used by kexshim */
};

struct sig_entry {
	enum sig_type type;
	const uint8_t *data;  /* the signature, owner GUID not included */
	size_t size;
};

struct siglist_iter {
	const uint8_t *buf;
	size_t len;
	size_t list;       /* offset of the current list */
	size_t next;       /* offset of the next entry in it, 0: none yet */
};

/* Start walking the signature lists in buf (a variable's data). */
void siglist_begin(struct siglist_iter *it, const uint8_t *buf, size_t len);

/* The next entry.  A list whose sizes do not add up ends the walk with an
 * error (nothing after it can be trusted to start where it says); an
 * entry of a known type with the wrong size too.  Messages read "secure:
 * NAME: ...".
 * Return: 1 with *e, 0 at the end, -EINVAL (kx_fail). */
int siglist_next(struct siglist_iter *it, const char *name,
		 struct sig_entry *e);

/* Return: how many entries of type t the lists hold, or -EINVAL
 * (malformed, kx_fail). */
int siglist_count(const uint8_t *buf, size_t len, const char *name,
		  enum sig_type t);

#endif
