/* fuzz: EFI_SIGNATURE_LIST bytes as efivarfs would hand them over (db,
 * dbx, MokListRT): siglist_next() walked to the end, siglist_count(), and
 * verify_image() of a minimal unsigned PE with the input as allow and as
 * deny list (listed(), anchors(): every X.509 entry through mbedTLS).
 * Checks: entries lie inside the input, SHA-256 entries are 32 bytes and
 * X509-SHA256 ones 48, the walk ends (0) or fails with a "secure: db: "
 * message, counts agree with the walk, the PE is trusted only through a
 * SHA-256 entry of its hash and then revoked by the same list as dbx. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "common/le.h"
#include "kexshim/pe.h"
#include "lib/error.h"
#include "secure/authenticode.h"
#include "secure/sigdb.h"
#include "secure/siglist.h"
#include "secure/verify.h"

#define CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* MZ, PE, a PE32+ optional header with 16 data directories, no sections:
 * the smallest image authenticode_hash() takes. */
static size_t tiny_pe(uint8_t *b)
{
	const size_t pe = 0x40, opt = pe + 4 + 20;

	memset(b, 0, 0x200);
	put_le16(b, PE_DOS_MAGIC);
	put_le32(b + PE_DOS_LFANEW, pe);
	put_le32(b + pe, PE_SIGNATURE);
	put_le16(b + pe + 4, PE_MACHINE_X86_64);
	put_le16(b + pe + 4 + 16, 0xf0);
	put_le16(b + opt, PE_OPT_MAGIC_PE32PLUS);
	put_le32(b + opt + PE32PLUS_SIZE_OF_HEADERS, 0x200);
	put_le32(b + opt + PE32PLUS_NR_RVA_SIZES, 16);
	return 0x200;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigdb list = { 0 }, none = { 0 };
	struct siglist_iter it;
	struct sig_entry e;
	struct authenticode a;
	int rc, n = 0, sha = 0, count;
	uint8_t pe[0x200];
	size_t pe_len = tiny_pe(pe);
	char how[320];
	bool hash_listed = false;

	CHECK(!authenticode_hash("pe", pe, pe_len, &a));
	siglist_begin(&it, data, size);
	while ((rc = siglist_next(&it, "db", &e)) > 0) {
		CHECK(e.data >= data && e.size <= size &&
		      (size_t)(e.data - data) <= size - e.size);
		CHECK(e.size > 0);
		if (e.type == SIG_SHA256) {
			CHECK(e.size == 32);
			sha++;
			hash_listed |= !memcmp(e.data, a.sha256, 32);
		}
		if (e.type == SIG_X509_SHA256)
			CHECK(e.size == 48);
		CHECK(++n <= (int)size);
	}
	CHECK(rc == 0 || rc == -EINVAL);
	if (rc)
		CHECK(starts(kx_last_error(), "secure: db: "));
	count = siglist_count(data, size, "db", SIG_SHA256);
	CHECK(rc ? count == -EINVAL : count == sha);

	CHECK(!sigdb_add(&list, "db", data, size));
	rc = verify_image("pe", pe, pe_len, &list, &none, how, sizeof(how));
	CHECK(rc == 0 || rc == -ENODATA);
	CHECK(!rc == hash_listed);
	if (!rc)
		CHECK(verify_image("pe", pe, pe_len, &list, &list, how,
				   sizeof(how)) == -EKEYREJECTED);
	sigdb_free(&list);
	return 0;
}
