/* kexshim: the few TPM 2.0 commands kexshim sends, marshalled by hand
 * (TPM 2.0 Library Part 3 "Commands": TPM2_PCR_Extend, TPM2_GetCapability,
 * TPM2_PCR_Read; Part 2 "Structures" for the types).  Big-endian on the
 * wire; every command is a 10-byte header (tag, commandSize, commandCode)
 * and every response one (tag, responseSize, responseCode).  Pure: bytes
 * in, bytes out; tpm_dev.c moves them.  Runs in the shim before kexec and
 * in host tests. */
#ifndef KEXSHIM_SECURE_TPM2_H
#define KEXSHIM_SECURE_TPM2_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Part 2 6.9 TPM_ST, 6.5 TPM_CC, 7.4 TPM_RH/TPM_RS, 6.12 TPM_CAP. */
#define TPM_ST_NO_SESSIONS 0x8001u
#define TPM_ST_SESSIONS 0x8002u
#define TPM_CC_PCR_EXTEND 0x00000182u
#define TPM_CC_GET_CAPABILITY 0x0000017au
#define TPM_CC_PCR_READ 0x0000017eu
#define TPM_RS_PW 0x40000009u       /* the password authorization session */
#define TPM_CAP_PCRS 0x00000005u
#define TPM_RC_SUCCESS 0u
#define TPM2_HEADER_LEN 10

/* Part 2 6.3 TPM_ALG_ID: the hashes a PCR bank may use that kexshim can
 * compute (mbedTLS for all but SHA-256). */
#define TPM_ALG_SHA1 0x0004u
#define TPM_ALG_SHA256 0x000bu
#define TPM_ALG_SHA384 0x000cu
#define TPM_ALG_SHA512 0x000du

#define TPM2_MAX_DIGEST 64
#define TPM2_MAX_BANKS 8
#define TPM2_PCR_SELECT_MAX 4       /* 32 PCRs */
#define TPM2_CMD_MAX 4096

/* TPMT_HA: one bank's digest. */
struct tpm2_digest {
	uint16_t alg;
	uint8_t d[TPM2_MAX_DIGEST];
};

/* TPMS_PCR_SELECTION: a bank and the PCRs allocated in it. */
struct tpm2_bank {
	uint16_t alg;
	uint8_t size_of_select;
	uint8_t select[TPM2_PCR_SELECT_MAX];
};

/* Return: the digest size of alg (20, 32, 48, 64), or 0 if unknown. */
size_t tpm2_alg_size(uint16_t alg);

/* Return: "sha1", "sha256", "sha384", "sha512" (the names CEL-JSON's
 * hashAlg uses), or NULL. */
const char *tpm2_alg_name(uint16_t alg);

/* TPM2_PCR_Extend(pcrHandle = pcr, password session with an empty auth,
 * digests = d[0, n)) into buf.
 * Return: its length, or -E2BIG / -EINVAL (unknown alg, n 0). */
ssize_t tpm2_pcr_extend_cmd(uint8_t *buf, size_t size, uint32_t pcr,
			    const struct tpm2_digest *d, size_t n);

/* TPM2_GetCapability(TPM_CAP_PCRS, 0, 1): which banks are allocated.
 * Return: its length, or -E2BIG. */
ssize_t tpm2_get_pcrs_cmd(uint8_t *buf, size_t size);

/* TPM2_PCR_Read of one PCR in one bank (tests and diagnostics).
 * Return: its length, or -E2BIG / -EINVAL. */
ssize_t tpm2_pcr_read_cmd(uint8_t *buf, size_t size, uint32_t pcr,
			  uint16_t alg);

/* Check a response header (what = the command, for the message): the
 * size must be the buffer's, responseCode TPM_RC_SUCCESS.  *params is
 * what follows the header (for TPM_ST_SESSIONS after parameterSize, which
 * is checked too).
 * Return: 0, or -EIO "tpm: WHAT: responseCode 0x..." / -EBADMSG (kx_fail). */
int tpm2_response(const char *what, const uint8_t *buf, size_t len,
		  const uint8_t **params, size_t *plen);

/* The TPML_PCR_SELECTION of a GetCapability(TPM_CAP_PCRS) response's
 * parameters into banks (at most TPM2_MAX_BANKS; each size_of_select <=
 * TPM2_PCR_SELECT_MAX).
 * Return: the count, or -EBADMSG (kx_fail). */
int tpm2_parse_pcrs(const uint8_t *p, size_t len, struct tpm2_bank *banks);

/* A PCR_Read response's parameters: the one digest.
 * Return: its size, or -EBADMSG (kx_fail). */
int tpm2_parse_pcr_read(const uint8_t *p, size_t len, uint8_t *out,
			size_t size);

/* Return: true when PCR pcr is allocated in bank b. */
int tpm2_bank_has(const struct tpm2_bank *b, unsigned pcr);

#endif
