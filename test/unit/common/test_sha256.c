/* test/unit: SHA-256 (common/sha256.c) on the host, the same code the
 * purgatory runs.  Vectors from FIPS 180-4's examples / NIST CAVP; the
 * padding-boundary digests were computed with Python's hashlib.  The x86_64
 * SHA-NI block function (common/arch/x86_64/sha256_ni.S) runs here too when
 * the host CPU has the instructions (the build machine's EPYC does), and
 * must agree with the portable one block for block. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/arch/x86_64/sha_ni.h"
#include "common/sha256.h"

static void to_hex(const uint8_t d[SHA256_DIGEST_SIZE], char out[65])
{
	int i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void check_oneshot(const void *data, size_t len, const char *want)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[65];

	sha256(data, len, d);
	to_hex(d, hex);
	assert_string_equal(hex, want);
}

static void test_empty(void **state)
{
	check_oneshot("", 0,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
	check_oneshot("abc", 3,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* 448 bits: the padding no longer fits, a second block is needed. */
static void test_448(void **state)
{
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	check_oneshot(m, strlen(m),
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896(void **state)
{
	const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklm"
			"ghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
			"mnopqrstnopqrstu";

	check_oneshot(m, strlen(m),
		"cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a', fed in odd-sized chunks so every path of
 * sha256_update (partial top-up, whole blocks, tail) runs many times. */
static void test_million_a(void **state)
{
	static const size_t chunks[] = { 1, 3, 63, 64, 65, 127, 1000, 4097, 7 };
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[65];
	char *buf = malloc(8192);
	size_t left = 1000000, i = 0;

	assert_non_null(buf);
	memset(buf, 'a', 8192);
	sha256_init(&ctx);
	while (left) {
		size_t n = chunks[i++ % (sizeof(chunks) / sizeof(chunks[0]))];

		if (n > left)
			n = left;
		sha256_update(&ctx, buf, n);
		left -= n;
	}
	sha256_final(&ctx, d);
	to_hex(d, hex);
	assert_string_equal(hex,
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

	/* And once more in one go. */
	free(buf);
	buf = malloc(1000000);
	assert_non_null(buf);
	memset(buf, 'a', 1000000);
	check_oneshot(buf, 1000000,
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(buf);
}

/* Lengths around the 55/56-byte padding edge and the block edge. */
static void test_padding_edges(void **state)
{
	static const struct {
		size_t len;
		const char *want;
	} v[] = {
		{ 55, "16fa57a0a3423a715d594516339f36189d6b5f93754a9714fef202616a9fabfe" },
		{ 56, "c37b44e5f1b18554b36966f4f8e08bfbf3164c4b6c10374d12d89850892073c5" },
		{ 57, "12b234922502022f755ab8550a3d4e202ad39c81d961a4f59ec39d5fd83d15a7" },
		{ 63, "bbba992d2c85af960fb2987a1fd05e0aa82a3db3c740dd8982a9e273b75e36a3" },
		{ 64, "66bd4633ed6f71c4ecfa4763bf7ba1c8ec7612de9aa6c0578a7b675207c71e0b" },
		{ 65, "9f7dc47107b750a1f3d35db5d9547f24ef40da5b731b9540d4f43710a154f6c9" },
		{ 119, "a3ed307b730fa77c07531300c6e4a282330011d4d4caf6bb7b63ae05950f4b66" },
		{ 120, "8e3b15d9fea7472655aa069620b7f8c2e55ee1499f763200a7515fe826e99d20" },
		{ 128, "e462c130fef8c97e34f7dc3ff3ad2f8b3533ab849af21c10531552a2852387a4" },
	};
	uint8_t buf[128];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		check_oneshot(buf, v[i].len, v[i].want);
}

static uint32_t rng_state = 0x2545f491;

static uint32_t rng(void)
{
	/* xorshift32: reproducible, good enough to pick lengths. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Chunked updates must equal the one-shot digest for every length 0..300
 * (crossing block boundaries several times), whatever the split. */
static void test_chunked_equals_oneshot(void **state)
{
	uint8_t data[300];
	uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];
	size_t len, i;
	int round;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)rng();

	for (len = 0; len <= sizeof(data); len++) {
		sha256(data, len, want);
		for (round = 0; round < 4; round++) {
			struct sha256_ctx ctx;
			size_t off = 0;

			sha256_init(&ctx);
			while (off < len) {
				size_t n = rng() % (len - off + 1);

				sha256_update(&ctx, data + off, n);
				off += n;
			}
			sha256_update(&ctx, data, 0);
			sha256_final(&ctx, got);
			assert_memory_equal(got, want, SHA256_DIGEST_SIZE);
		}
	}
}

/* ---- the block functions themselves ---- */

typedef void block_fn(uint32_t h[8], const uint8_t *p, size_t nblocks);

/* SHA-256 of data with fn as the block function: whole blocks straight
 * from data (at whatever alignment it has), then FIPS 180-4 5.1.1's
 * padding, written out here independently of sha256_final. */
static void sha256_with(block_fn *fn, const uint8_t *data, size_t len,
			uint8_t out[SHA256_DIGEST_SIZE])
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	uint8_t tail[2 * SHA256_BLOCK_SIZE] = { 0 };
	size_t full = len / SHA256_BLOCK_SIZE, rest = len % SHA256_BLOCK_SIZE;
	size_t tlen = rest < 56 ? 64 : 128;
	uint64_t bits = (uint64_t)len * 8;
	int i;

	fn(h, data, full);
	memcpy(tail, data + full * SHA256_BLOCK_SIZE, rest);
	tail[rest] = 0x80;
	for (i = 0; i < 8; i++)
		tail[tlen - 1 - i] = (uint8_t)(bits >> (8 * i));
	fn(h, tail, tlen / SHA256_BLOCK_SIZE);
	for (i = 0; i < 32; i++)
		out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void skip_without_ni(void)
{
	if (!sha256_ni_cpu()) {
		print_message("host CPU has no SHA-NI: sha256_blocks_ni not run\n");
		skip();
	}
}

static void check_with(block_fn *fn, const void *data, size_t len,
		       const char *want)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	char hex[65];

	sha256_with(fn, data, len, d);
	to_hex(d, hex);
	assert_string_equal(hex, want);
}

/* The NIST vectors through each block function on its own. */
static void test_blocks_nist(void **state)
{
	static const char m448[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const char m896[] =
		"abcdefghbcdefghicdefghijdefghijkefghijklfghijklm"
		"ghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
		"mnopqrstnopqrstu";
	block_fn *fns[] = { sha256_blocks_generic, sha256_blocks_ni };
	uint8_t *million = malloc(1000000);
	size_t f;

	skip_without_ni();
	assert_non_null(million);
	memset(million, 'a', 1000000);
	for (f = 0; f < 2; f++) {
		check_with(fns[f], "", 0,
			"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
		check_with(fns[f], "abc", 3,
			"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		check_with(fns[f], m448, strlen(m448),
			"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
		check_with(fns[f], m896, strlen(m896),
			"cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
		check_with(fns[f], million, 1000000,
			"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	}
	free(million);
}

/* Many random messages at every alignment: SHA-NI equals the portable
 * rounds.  The message ends right at a PROT_NONE page, so reading one
 * byte past the last block faults; h sits between guard words, so a store
 * past h[7] (or before h[0]) shows. */
static void test_ni_equals_generic(void **state)
{
	const size_t max = 64 * 80;
	long pg = sysconf(_SC_PAGESIZE);
	size_t span = (max + 64 + pg - 1) / pg * pg;
	uint8_t *map, *end, want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];
	uint32_t h[10], g[8];
	size_t i, k;

	skip_without_ni();
	map = mmap(NULL, span + pg, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + span, pg, PROT_NONE), 0);
	end = map + span;
	for (i = 0; i < span; i++)
		map[i] = (uint8_t)rng();

	for (i = 0; i < 3000; i++) {
		size_t nblocks = rng() % 81, align = rng() % 64;
		/* Whole blocks ending at the guard page, p misaligned by
		 * align: the tail of the mapping, shifted down. */
		const uint8_t *p = end - nblocks * 64 - align;

		for (k = 0; k < 8; k++)
			g[k] = h[k + 1] = rng();
		h[0] = h[9] = 0xdeadbeef;
		sha256_blocks_generic(g, p, nblocks);
		sha256_blocks_ni(h + 1, p, nblocks);
		assert_memory_equal(h + 1, g, sizeof(g));
		assert_int_equal(h[0], 0xdeadbeef);
		assert_int_equal(h[9], 0xdeadbeef);

		/* Whole messages of any length: padding blocks too. */
		k = rng() % (max + 1);
		sha256_with(sha256_blocks_generic, end - k, k, want);
		sha256_with(sha256_blocks_ni, end - k, k, got);
		assert_memory_equal(got, want, SHA256_DIGEST_SIZE);
	}
	/* nblocks == 0 leaves h alone. */
	for (k = 0; k < 8; k++)
		g[k] = h[k + 1] = rng();
	sha256_blocks_ni(h + 1, end, 0);
	assert_memory_equal(h + 1, g, sizeof(g));
	munmap(map, span + pg);
}

/* The CPUID decision, fed words with and without each bit. */
static void test_ni_cpuid_decision(void **state)
{
	const uint32_t ecx = CPUID1_ECX_SSSE3 | CPUID1_ECX_SSE41;
	const uint32_t ebx = CPUID7_EBX_SHA;

	assert_int_equal(sha256_ni_supported(7, ecx, ebx), 1);
	assert_int_equal(sha256_ni_supported(0x20, ~0u, ~0u), 1);
	assert_int_equal(sha256_ni_supported(7, ecx, ~0u & ~ebx), 0);
	assert_int_equal(sha256_ni_supported(7, ~0u & ~CPUID1_ECX_SSSE3, ebx), 0);
	assert_int_equal(sha256_ni_supported(7, ~0u & ~CPUID1_ECX_SSE41, ebx), 0);
	assert_int_equal(sha256_ni_supported(7, 0, 0), 0);
	/* Leaf 7 does not exist: whatever EBX said is garbage. */
	assert_int_equal(sha256_ni_supported(6, ecx, ebx), 0);
	assert_int_equal(sha256_ni_supported(0, ~0u, ~0u), 0);
}

/* The probe on this CPU agrees with what Linux found (/proc/cpuinfo's
 * flags sha_ni, ssse3, sse4_1), an independent reading of CPUID. */
static void test_ni_cpuid_host(void **state)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192];
	int sha = 0, ssse3 = 0, sse41 = 0, seen = 0;

	if (!f)
		skip();
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		seen = 1;
		sha = strstr(line, " sha_ni") != NULL;
		ssse3 = strstr(line, " ssse3") != NULL;
		sse41 = strstr(line, " sse4_1") != NULL;
		break;
	}
	fclose(f);
	assert_true(seen);
	assert_int_equal(sha256_ni_cpu(), sha && ssse3 && sse41);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_abc),
		cmocka_unit_test(test_448),
		cmocka_unit_test(test_896),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_padding_edges),
		cmocka_unit_test(test_chunked_equals_oneshot),
		cmocka_unit_test(test_blocks_nist),
		cmocka_unit_test(test_ni_equals_generic),
		cmocka_unit_test(test_ni_cpuid_decision),
		cmocka_unit_test(test_ni_cpuid_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
