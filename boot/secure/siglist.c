/* kexshim: EFI_SIGNATURE_LIST walker (see siglist.h). */
#include <errno.h>
#include <string.h>

#include "common/guid.h"
#include "common/le.h"
#include "lib/error.h"
#include "secure/siglist.h"

static enum sig_type type_of(const uint8_t guid[16])
{
	static const char *const text[] = {
		[SIG_SHA256] = EFI_CERT_SHA256_GUID,
		[SIG_X509] = EFI_CERT_X509_GUID,
		[SIG_X509_SHA256] = EFI_CERT_X509_SHA256_GUID,
	};
	uint8_t g[16];
	unsigned t;

	for (t = 0; t < SIG_OTHER; t++)
		if (!guid_from_text(text[t], g) && !memcmp(g, guid, 16))
			return (enum sig_type)t;
	return SIG_OTHER;
}

void siglist_begin(struct siglist_iter *it, const uint8_t *buf, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->buf = buf;
	it->len = len;
}

int siglist_next(struct siglist_iter *it, const char *name,
		 struct sig_entry *e)
{
	for (;;) {
		const uint8_t *h = it->buf + it->list;
		uint32_t list_size, hdr_size, sig_size;
		size_t first, end;

		if (it->list == it->len)
			return 0;
		if (it->len - it->list < ESL_HEADER_LEN)
			return kx_fail(EINVAL, "secure: %s: signature list at "
				       "0x%zx: %zu bytes, shorter than its header",
				       name, it->list, it->len - it->list);
		list_size = get_le32(h + ESL_LIST_SIZE);
		hdr_size = get_le32(h + ESL_HEADER_SIZE);
		sig_size = get_le32(h + ESL_SIGNATURE_SIZE);
		if (list_size > it->len - it->list || list_size < ESL_HEADER_LEN ||
		    hdr_size > list_size - ESL_HEADER_LEN ||
		    sig_size <= ESL_OWNER_LEN ||
		    (list_size - ESL_HEADER_LEN - hdr_size) % sig_size)
			return kx_fail(EINVAL, "secure: %s: signature list at "
				       "0x%zx: sizes do not add up (list %u, "
				       "header %u, signature %u, %zu bytes left)",
				       name, it->list, list_size, hdr_size,
				       sig_size, it->len - it->list);
		first = it->list + ESL_HEADER_LEN + hdr_size;
		end = it->list + list_size;
		if (!it->next)
			it->next = first;
		if (it->next < end) {
			e->type = type_of(h + ESL_TYPE);
			e->data = it->buf + it->next + ESL_OWNER_LEN;
			e->size = sig_size - ESL_OWNER_LEN;
			it->next += sig_size;
			if ((e->type == SIG_SHA256 && e->size != 32) ||
			    (e->type == SIG_X509_SHA256 && e->size != 48))
				return kx_fail(EINVAL, "secure: %s: a %s entry "
					       "of %zu bytes", name,
					       e->type == SIG_SHA256 ? "SHA-256"
					       : "X509-SHA256", e->size);
			return 1;
		}
		it->list = end;
		it->next = 0;
	}
}

int siglist_count(const uint8_t *buf, size_t len, const char *name,
		  enum sig_type t)
{
	struct siglist_iter it;
	struct sig_entry e;
	int n = 0, rc;

	siglist_begin(&it, buf, len);
	while ((rc = siglist_next(&it, name, &e)) > 0)
		n += e.type == t;
	return rc < 0 ? rc : n;
}
