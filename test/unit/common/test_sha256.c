/* test/unit: SHA-256 (purgatory/sha256.c) on the host, the same code the
 * purgatory runs.  Vectors from FIPS 180-4's examples / NIST CAVP; the
 * padding-boundary digests were computed with Python's hashlib. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
