/* kexshim: TPM 2.0 command marshalling (see tpm2.h). */
#include <errno.h>
#include <string.h>

#include "lib/error.h"
#include "secure/tpm2.h"

size_t tpm2_alg_size(uint16_t alg)
{
	switch (alg) {
	case TPM_ALG_SHA1: return 20;
	case TPM_ALG_SHA256: return 32;
	case TPM_ALG_SHA384: return 48;
	case TPM_ALG_SHA512: return 64;
	default: return 0;
	}
}

const char *tpm2_alg_name(uint16_t alg)
{
	switch (alg) {
	case TPM_ALG_SHA1: return "sha1";
	case TPM_ALG_SHA256: return "sha256";
	case TPM_ALG_SHA384: return "sha384";
	case TPM_ALG_SHA512: return "sha512";
	default: return NULL;
	}
}

struct out {
	uint8_t *p;
	size_t len, size;
	int err;
};

static void put(struct out *o, const void *src, size_t n)
{
	if (o->err || n > o->size - o->len) {
		o->err = -E2BIG;
		return;
	}
	memcpy(o->p + o->len, src, n);
	o->len += n;
}

static void put8(struct out *o, uint8_t v)
{
	put(o, &v, 1);
}

static void put16(struct out *o, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(o, b, 2);
}

static void put32(struct out *o, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };

	put(o, b, 4);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The header with commandSize 0, patched by finish(). */
static void start(struct out *o, uint8_t *buf, size_t size, uint16_t tag,
		  uint32_t cc)
{
	o->p = buf;
	o->size = size;
	o->len = 0;
	o->err = 0;
	put16(o, tag);
	put32(o, 0);
	put32(o, cc);
}

static ssize_t finish(struct out *o)
{
	if (o->err)
		return o->err;
	o->p[2] = (uint8_t)(o->len >> 24);
	o->p[3] = (uint8_t)(o->len >> 16);
	o->p[4] = (uint8_t)(o->len >> 8);
	o->p[5] = (uint8_t)o->len;
	return (ssize_t)o->len;
}

ssize_t tpm2_pcr_extend_cmd(uint8_t *buf, size_t size, uint32_t pcr,
			    const struct tpm2_digest *d, size_t n)
{
	struct out o;
	size_t i;

	if (!n || n > TPM2_MAX_BANKS)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!tpm2_alg_size(d[i].alg))
			return -EINVAL;
	start(&o, buf, size, TPM_ST_SESSIONS, TPM_CC_PCR_EXTEND);
	put32(&o, pcr);                 /* @pcrHandle: TPMI_DH_PCR+ */
	/* Part 1 18.6.3 authorization area: authorizationSize, then one
	 * TPMS_AUTH_COMMAND: the password session, no nonce, continueSession
	 * clear, an empty password (PCRs 0-15 have no auth value set). */
	put32(&o, 4 + 2 + 1 + 2);
	put32(&o, TPM_RS_PW);
	put16(&o, 0);                   /* nonceCaller */
	put8(&o, 0);                    /* sessionAttributes */
	put16(&o, 0);                   /* hmac (the password) */
	put32(&o, (uint32_t)n);         /* TPML_DIGEST_VALUES.count */
	for (i = 0; i < n; i++) {
		put16(&o, d[i].alg);    /* TPMT_HA.hashAlg */
		put(&o, d[i].d, tpm2_alg_size(d[i].alg));
	}
	return finish(&o);
}

ssize_t tpm2_get_pcrs_cmd(uint8_t *buf, size_t size)
{
	struct out o;

	start(&o, buf, size, TPM_ST_NO_SESSIONS, TPM_CC_GET_CAPABILITY);
	put32(&o, TPM_CAP_PCRS);        /* capability */
	put32(&o, 0);                   /* property */
	put32(&o, 1);                   /* propertyCount */
	return finish(&o);
}

ssize_t tpm2_pcr_read_cmd(uint8_t *buf, size_t size, uint32_t pcr,
			  uint16_t alg)
{
	uint8_t select[3] = { 0 };
	struct out o;

	if (pcr >= 8 * sizeof(select) || !tpm2_alg_size(alg))
		return -EINVAL;
	select[pcr / 8] = (uint8_t)(1u << (pcr % 8));
	start(&o, buf, size, TPM_ST_NO_SESSIONS, TPM_CC_PCR_READ);
	put32(&o, 1);                   /* TPML_PCR_SELECTION.count */
	put16(&o, alg);
	put8(&o, sizeof(select));       /* sizeofSelect: PCRs 0-23 */
	put(&o, select, sizeof(select));
	return finish(&o);
}

int tpm2_response(const char *what, const uint8_t *buf, size_t len,
		  const uint8_t **params, size_t *plen)
{
	uint32_t size, rc, psize;
	uint16_t tag;

	if (len < TPM2_HEADER_LEN)
		return kx_fail(EBADMSG, "tpm: %s: a %zu-byte response", what, len);
	tag = get16(buf);
	size = get32(buf + 2);
	rc = get32(buf + 6);
	if (size != len)
		return kx_fail(EBADMSG, "tpm: %s: responseSize %u, %zu bytes came",
			       what, size, len);
	if (rc != TPM_RC_SUCCESS)
		return kx_fail(EIO, "tpm: %s: responseCode 0x%x", what, rc);
	*params = buf + TPM2_HEADER_LEN;
	*plen = len - TPM2_HEADER_LEN;
	if (tag == TPM_ST_SESSIONS) {
		/* parameterSize, the parameters, then the auth area. */
		if (*plen < 4 || (psize = get32(*params)) > *plen - 4)
			return kx_fail(EBADMSG, "tpm: %s: bad parameterSize", what);
		*params += 4;
		*plen = psize;
	} else if (tag != TPM_ST_NO_SESSIONS) {
		return kx_fail(EBADMSG, "tpm: %s: response tag 0x%x", what, tag);
	}
	return 0;
}

int tpm2_parse_pcrs(const uint8_t *p, size_t len, struct tpm2_bank *banks)
{
	size_t off = 1 + 4 + 4, i; /* moreData, capability, count */
	uint32_t n;

	if (len < off || get32(p + 1) != TPM_CAP_PCRS)
		return kx_fail(EBADMSG, "tpm: GetCapability(PCRS): not a PCR "
			       "selection");
	n = get32(p + 5);
	if (n > TPM2_MAX_BANKS)
		return kx_fail(EBADMSG, "tpm: GetCapability(PCRS): %u banks", n);
	for (i = 0; i < n; i++) {
		struct tpm2_bank *b = &banks[i];

		if (len - off < 3)
			return kx_fail(EBADMSG, "tpm: GetCapability(PCRS): "
				       "truncated at bank %zu", i);
		b->alg = get16(p + off);
		b->size_of_select = p[off + 2];
		off += 3;
		if (b->size_of_select > TPM2_PCR_SELECT_MAX ||
		    len - off < b->size_of_select)
			return kx_fail(EBADMSG, "tpm: GetCapability(PCRS): bank "
				       "%zu selects %u bytes", i, b->size_of_select);
		memset(b->select, 0, sizeof(b->select));
		memcpy(b->select, p + off, b->size_of_select);
		off += b->size_of_select;
	}
	return (int)n;
}

int tpm2_parse_pcr_read(const uint8_t *p, size_t len, uint8_t *out,
			size_t size)
{
	size_t off = 4, i; /* pcrUpdateCounter */
	uint32_t n;
	uint16_t dsize;

	/* pcrSelectionOut: TPML_PCR_SELECTION, then pcrValues: TPML_DIGEST. */
	if (len < off + 4)
		goto bad;
	n = get32(p + off);
	off += 4;
	for (i = 0; i < n; i++) {
		if (len - off < 3 || len - off - 3 < p[off + 2])
			goto bad;
		off += 3 + p[off + 2];
	}
	if (len - off < 4 || get32(p + off) != 1)
		goto bad;
	off += 4;
	if (len - off < 2)
		goto bad;
	dsize = get16(p + off);
	off += 2;
	if (dsize > size || len - off < dsize)
		goto bad;
	memcpy(out, p + off, dsize);
	return dsize;
bad:
	return kx_fail(EBADMSG, "tpm: PCR_Read: a response that does not add up");
}

int tpm2_bank_has(const struct tpm2_bank *b, unsigned pcr)
{
	return pcr / 8 < b->size_of_select && (b->select[pcr / 8] >> (pcr % 8)) & 1;
}
