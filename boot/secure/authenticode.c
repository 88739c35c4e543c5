/* kexshim: Authenticode image hash (see authenticode.h).  Every offset
 * comes from the file and is checked before use: UKIs come from disks
 * nobody vetted, and this runs before the signature says anything. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/le.h"
#include "common/sha256.h"
#include "image/pe.h"
#include "kexshim/pe.h"
#include "lib/error.h"
#include "secure/authenticode.h"

/* PE32 (PE Format 3.4): the fields after ImageBase sit 0x10 lower than
 * in PE32+ for the two this needs. */
#define PE32_NR_RVA_SIZES 0x5c
#define PE32_DATA_DIRS 0x60
#define PE_SIZE_OF_HEADERS 0x3c /* both layouts */
#define PE_CHECKSUM 0x40        /* both layouts */

struct range {
	uint32_t off, size;
};

static int by_offset(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* The attribute certificate table [off, off + size): its entries. */
static int read_table(const char *path, const uint8_t *buf, size_t off,
		      size_t size, struct authenticode *a)
{
	size_t p = off, end = off + size;

	while (p < end) {
		uint32_t n;

		if (end - p < WIN_CERT_HEADER_LEN)
			return kx_fail(EBADMSG, "secure: %s: attribute certificate "
				       "table: %zu stray bytes at 0x%zx", path,
				       end - p, p);
		n = get_le32(buf + p + WIN_CERT_LENGTH);
		if (n < WIN_CERT_HEADER_LEN || n > end - p)
			return kx_fail(EBADMSG, "secure: %s: attribute certificate "
				       "at 0x%zx: dwLength %u does not fit the "
				       "table", path, p, n);
		if (get_le16(buf + p + WIN_CERT_REVISION) == WIN_CERT_REVISION_2_0 &&
		    get_le16(buf + p + WIN_CERT_TYPE) == WIN_CERT_TYPE_PKCS_SIGNED_DATA) {
			if (a->nr_sigs == AUTHENTICODE_MAX_SIGS)
				return kx_fail(EBADMSG, "secure: %s: more than %d "
					       "signatures", path,
					       AUTHENTICODE_MAX_SIGS);
			a->sig[a->nr_sigs] = buf + p + WIN_CERT_HEADER_LEN;
			a->sig_size[a->nr_sigs++] = n - WIN_CERT_HEADER_LEN;
		}
		/* PE Format 5.7: "the next entry ... on an 8-byte boundary". */
		n = (n + 7) & ~7u;
		if (n > end - p)
			break;
		p += n;
	}
	return 0;
}

int authenticode_hash(const char *path, const uint8_t *buf, size_t len,
		      struct authenticode *a)
{
	struct sha256_ctx ctx;
	struct pe_file pe;
	struct range *sec = NULL;
	size_t dirs, nr_rva, cert_dir, hdr_size, sum, cert_off = len, cert_size;
	unsigned i, n = 0;
	int rc;

	memset(a, 0, sizeof(*a));
	rc = pe_parse("secure", path, buf, len, &pe);
	if (rc)
		return rc;
	if (pe.opt_magic == PE_OPT_MAGIC_PE32PLUS) {
		nr_rva = PE32PLUS_NR_RVA_SIZES;
		dirs = PE32PLUS_DATA_DIRS;
	} else if (pe.opt_magic == PE_OPT_MAGIC_PE32) {
		nr_rva = PE32_NR_RVA_SIZES;
		dirs = PE32_DATA_DIRS;
	} else {
		return kx_fail(ENOEXEC, "secure: %s: optional header magic 0x%x "
			       "is neither PE32 nor PE32+", path, pe.opt_magic);
	}
	if (pe.opt_size < dirs)
		return kx_fail(EBADMSG, "secure: %s: optional header of %zu bytes "
			       "has no data directories", path, pe.opt_size);
	hdr_size = get_le32(buf + pe.opt_offset + PE_SIZE_OF_HEADERS);
	/* Everything kexshim reads of the headers must be hashed. */
	if (hdr_size > len || hdr_size < pe.sections_offset +
	    (size_t)pe.nr_sections * sizeof(struct pe_section_header))
		return kx_fail(EBADMSG, "secure: %s: SizeOfHeaders 0x%zx does not "
			       "cover the section table or exceeds the file",
			       path, hdr_size);
	cert_dir = pe.opt_offset + dirs + PE_DIR_CERTIFICATE * 8;
	cert_size = 0;
	if (get_le32(buf + pe.opt_offset + nr_rva) > PE_DIR_CERTIFICATE &&
	    cert_dir + 8 <= pe.opt_offset + pe.opt_size) {
		/* The one data directory that holds a file offset. */
		cert_off = get_le32(buf + cert_dir);
		cert_size = get_le32(buf + cert_dir + 4);
		if (!cert_size)
			cert_off = len;
	} else {
		cert_dir = 0;
	}
	if (cert_size && (cert_off > len || cert_size != len - cert_off))
		return kx_fail(EBADMSG, "secure: %s: the attribute certificate "
			       "table [0x%zx, +0x%zx) does not end the 0x%zx-byte "
			       "file", path, cert_off, cert_size, len);

	sha256_init(&ctx);
	/* Steps 3-6: the headers, less CheckSum and the Certificate Table
	 * entry. */
	sha256_update(&ctx, buf, pe.opt_offset + PE_CHECKSUM);
	if (cert_dir) {
		sha256_update(&ctx, buf + pe.opt_offset + PE_CHECKSUM + 4,
			      cert_dir - (pe.opt_offset + PE_CHECKSUM + 4));
		sha256_update(&ctx, buf + cert_dir + 8, hdr_size - (cert_dir + 8));
	} else {
		sha256_update(&ctx, buf + pe.opt_offset + PE_CHECKSUM + 4,
			      hdr_size - (pe.opt_offset + PE_CHECKSUM + 4));
	}
	/* Steps 7-13: the sections by PointerToRawData. */
	sum = hdr_size;
	if (pe.nr_sections) {
		sec = calloc(pe.nr_sections, sizeof(*sec));
		if (!sec)
			return kx_fail(ENOMEM, "secure: %s: out of memory", path);
	}
	for (i = 0; i < pe.nr_sections; i++) {
		struct pe_section s;

		pe_section(&pe, i, &s);
		if (!s.raw_size)
			continue;
		if ((uint64_t)s.raw_offset + s.raw_size > cert_off) {
			free(sec);
			return kx_fail(EBADMSG, "secure: %s: PE section %s "
				       "[0x%x, +0x%x) runs into the signatures or "
				       "past the file", path, s.name, s.raw_offset,
				       s.raw_size);
		}
		sec[n].off = s.raw_offset;
		sec[n++].size = s.raw_size;
	}
	if (n)
		qsort(sec, n, sizeof(*sec), by_offset);
	for (i = 0; i < n; i++) {
		sha256_update(&ctx, buf + sec[i].off, sec[i].size);
		sum += sec[i].size;
	}
	free(sec);
	/* Step 14: extra data after the sections, up to the signatures. */
	if (cert_off > sum)
		sha256_update(&ctx, buf + sum, cert_off - sum);
	sha256_final(&ctx, a->sha256);
	if (cert_size)
		return read_table(path, buf, cert_off, cert_size, a);
	return 0;
}
